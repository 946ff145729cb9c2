"""A whole visit with no network: reload offline, reopen the tablet, sync, check the server."""

import io
import json

from PIL import Image
from playwright.sync_api import expect
from pwa_helpers import (
    add_photo,
    answer_domain,
    go_domain,
    open_app,
    photo_bytes,
    question,
    reload,
    sign_in,
    start_visit,
    wait_synced,
)

from server.demo import demo_id
from server.forms.loader import load_forms
from server.forms.serialize import form_to_dict


def _form(app):
    form = next(f for f in load_forms(app.config["FORMS_DIR"]) if f.id == "detention-visit")
    return form_to_dict(form)


def _check_everything_is_there(page, visit_id, form, answered):
    for domain in form["domains"]:
        go_domain(page, visit_id, domain["id"])
        done, total = page.locator(f".domains a[data-domain={domain['id']}] .count") \
            .inner_text().split("/")
        assert done == total and int(total) > 0, domain["id"]
    go_domain(page, visit_id, "walk")
    expect(question(page, "walk.minutes_per_day", "strict").locator("input")).to_have_value("45")
    go_domain(page, visit_id, "nutrition")
    expect(page.locator(".photos-block .photo img")).to_have_count(1)
    expect(page.locator(".notes li")).to_contain_text(["Ключ от прогулочного двора"])
    assert answered > 60


def test_whole_visit_offline_then_synced(live, persistent, app, client, login):
    form = _form(app)
    facility = str(demo_id("facility:almaty-minimum"))
    tablet = persistent()
    page = tablet.pages[0] if tablet.pages else tablet.new_page()
    sign_in(page, live.url)

    tablet.set_offline(True)
    visit_id = start_visit(page, facility)
    answered = 0
    for domain in form["domains"]:
        go_domain(page, visit_id, domain["id"])
        answered += answer_domain(page, form, {"walk.minutes_per_day": 45})
    go_domain(page, visit_id, "nutrition")
    add_photo(page, photo_bytes())
    page.fill(".notes-block textarea", "Ключ от прогулочного двора у дежурного")
    page.click(".notes-block button")
    expect(page.locator(".notes li")).to_contain_text(["Ключ от прогулочного двора"])

    reload(page)  # offline: the worker serves the app, IndexedDB the visit; the PIN unlocks it
    _check_everything_is_there(page, visit_id, form, answered)
    tablet.close()

    tablet = persistent()  # the same profile: the tablet switched off and on again
    tablet.set_offline(True)
    page = tablet.pages[0] if tablet.pages else tablet.new_page()
    open_app(page, live.url)
    _check_everything_is_there(page, visit_id, form, answered)

    tablet.set_offline(False)  # the link returns: the app syncs by itself
    wait_synced(page, timeout=60)
    headers = login("inspector.almaty")
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=headers).json
    assert len(visit["answers"]) == answered
    walk = [a for a in visit["answers"] if a["question_id"] == "walk.minutes_per_day"]
    assert {a["regime"]: a["value"] for a in walk} == {"strict": 45, "regular": 45, "eased": 45}
    assert [n["text"] for n in visit["notes"]] == ["Ключ от прогулочного двора у дежурного"]
    [photo] = visit["photos"]
    stored = client.get(f"/api/v1/blobs/{photo['sha256']}", headers=headers)
    assert stored.status_code == 200, stored.json
    image = Image.open(io.BytesIO(stored.data))
    assert max(image.size) == 1600  # shrunk on the tablet
    assert not image.getexif().get(0x8825)  # no GPS
    assert json.dumps(visit).count(visit_id) >= 1
