"""A revoked tablet: its unsynced work is still taken once, then its local store is erased."""

from playwright.sync_api import Error
from pwa_helpers import answer, backlog, go_domain, sign_in, start_visit, sync_now, wait_synced

from server.demo import demo_id

SIZO = str(demo_id("facility:almaty-sizo"))
STORES = ["visits", "answers", "notes", "photos", "blobs", "outbox", "rejected", "conflicts"]
COUNT = ("import('/app/js/db.js').then(async (m) => { const out = {}; for (const s of %s) "
         "out[s] = await m.count(s); return out; })")


def _meta(page, key):
    """Return one meta value of the tablet's store."""
    return page.evaluate(f"import('/app/js/db.js').then((m) => m.getMeta('{key}'))")


def test_revoked_tablet_pushes_its_work_then_erases_it(live, context_factory, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url, "inspector.almaty")
    visit_id = start_visit(page, SIZO)
    wait_synced(page)
    page.context.set_offline(True)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 3)
    device, token = _meta(page, "device_id"), _meta(page, "token")
    assert backlog(page)["pending"] >= 1
    revoked = client.post(f"/api/v1/devices/{device}/revoke", json={},
                          headers=login("chair.almaty"))
    assert revoked.status_code == 200
    page.context.set_offline(False)
    try:
        sync_now(page)
    except Error:
        pass  # the app reloads itself once it has erased its data
    page.wait_for_selector("main[data-view=loginView]", timeout=30000)
    assert set(page.evaluate(COUNT % STORES).values()) == {0}
    assert _meta(page, "token") is None and _meta(page, "device_id") is None
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=login("chair.almaty")).json
    assert {a["question_id"]: a["value"] for a in visit["answers"]}[
        "nutrition.meals_per_day"] == 3
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer " + token}
                      ).status_code == 401
