"""The review pages: every page in three languages, the forms' actions, CSRF, and scoping."""

import io
import json
import re
import uuid

import pytest
from flask import g
from flask_babel import refresh
from reviewtools import conflicts_of, make_visit

from server.extensions import db
from server.models import SyncConflict, Visit


def sign_in(client, username="chair.almaty"):
    """Sign a browser session in."""
    response = client.post("/login", data={"username": username, "password": "tekseru-demo"})
    assert response.status_code == 302


def csrf_of(html: str) -> str:
    """Return the CSRF token of a page's first form."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_pages_render_in_every_language(client, conflicted, sizo, lang):
    sign_in(client)
    pages = ["/review/", f"/review/facilities/{sizo.id}", f"/review/visits/{conflicted.id}",
             "/review/export/", "/review/import"]
    words = {"ru": "Расхождения", "kk": "Алшақтықтар", "en": "Conflicts"}
    for url in pages:
        refresh()  # the test's app context outlives requests; drop the cached language
        response = client.get(url, query_string={"lang": lang})
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:2000])
        assert f'<html lang="{lang}">' in response.get_data(as_text=True)
    refresh()
    visit_page = client.get(f"/review/visits/{conflicted.id}").get_data(as_text=True)
    assert words[lang] in visit_page
    assert "review.visit" not in visit_page  # every key translated


def test_visit_page_shows_the_conflict_both_values_and_the_rule_outcomes(client, conflicted):
    sign_in(client)
    html = client.get(f"/review/visits/{conflicted.id}?lang=ru").get_data(as_text=True)
    assert "Значение A" in html and "Значение B" in html
    assert conflicted.tablet_a.id in html and conflicted.tablet_b.id in html
    assert "Нурлан Абенов" in html and "Елена Ким" in html
    assert "не соблюдено" in html and "соблюдено" in html
    critical = html.index('id="critical"')
    assert html.index("правило 1", critical) < html.index('id="conflicts"')  # critical first
    assert 'action="/review/conflicts/' in html and 'name="csrf_token"' in html


def test_resolve_and_approve_through_the_pages(client, conflicted):
    sign_in(client)
    html = client.get(f"/review/visits/{conflicted.id}").get_data(as_text=True)
    conflict_id = re.search(r'/review/conflicts/([0-9a-f-]+)/resolve', html).group(1)
    cursor = re.search(r'name="cursor" value="(\d+)"', html).group(1)
    response = client.post(f"/review/conflicts/{conflict_id}/resolve", data={
        "choice": "value", "value": "2", "reason": "по журналу раздачи", "cursor": cursor})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    assert db.session.get(SyncConflict, uuid.UUID(conflict_id)).status == "resolved"
    stale = client.post(f"/review/visits/{conflicted.id}/approve", data={"cursor": cursor})
    assert stale.status_code == 409
    assert "После загрузки страницы" in stale.get_data(as_text=True)
    fresh = re.search(r'name="cursor" value="(\d+)"', stale.get_data(as_text=True)).group(1)
    done = client.post(f"/review/visits/{conflicted.id}/approve", data={"cursor": fresh})
    assert done.status_code == 302
    assert db.session.get(Visit, uuid.UUID(conflicted.id)).status == "approved"
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Посещение утверждено." in page and "Открыть дополнение" in page
    assert "председатель (сервер)" in page  # the corrected answer came from the chair


def test_forms_need_a_csrf_token(app, client, conflicted):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in_with_csrf(client)
    g.pop("csrf_token", None)  # the test's app context outlives requests: no stale token
    cursor = conflicts_of_page(client, conflicted.id)
    refused = client.post(f"/review/visits/{conflicted.id}/approve", data={"cursor": cursor})
    assert refused.status_code == 400  # CSRFProtect refuses before the view runs
    html = client.get(f"/review/visits/{conflicted.id}").get_data(as_text=True)
    refused_token = client.post(f"/review/visits/{conflicted.id}/approve",
                                data={"cursor": cursor, "csrf_token": "forged"})
    assert refused_token.status_code == 400
    accepted = client.post(f"/review/visits/{conflicted.id}/approve",
                           data={"cursor": cursor, "csrf_token": csrf_of(html)})
    assert accepted.status_code == 409  # past CSRF: refused for the open conflict only


def sign_in_with_csrf(client):
    """Sign in through the login form with its CSRF token."""
    token = csrf_of(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "chair.almaty",
                                           "password": "tekseru-demo", "csrf_token": token})
    assert response.status_code == 302


def conflicts_of_page(client, visit_id) -> str:
    """Return the cursor the visit page was rendered at."""
    html = client.get(f"/review/visits/{visit_id}").get_data(as_text=True)
    return re.search(r'name="cursor" value="(\d+)"', html).group(1)


def test_karaganda_chair_gets_404_on_every_almaty_page_export_and_action(
        client, conflicted, sizo, demo, login):
    listed = conflicts_of(client, login("chair.almaty"), conflicted.id)
    conflict_id, cursor = listed["conflicts"][0]["id"], listed["cursor"]
    almaty = demo.commission("almaty").id
    sign_in(client, "chair.karaganda")
    for url in (f"/review/facilities/{sizo.id}", f"/review/visits/{conflicted.id}",
                f"/review/export/?commission_id={almaty}",
                f"/review/export/visits?commission_id={almaty}",
                f"/review/export/answers?commission_id={almaty}&format=xlsx"):
        assert client.get(url).status_code == 404, url
    for url, data in ((f"/review/visits/{conflicted.id}/approve", {"cursor": cursor}),
                      (f"/review/visits/{conflicted.id}/reopen", {"reason": "попытка"}),
                      (f"/review/conflicts/{conflict_id}/resolve",
                       {"choice": "winner", "reason": "попытка", "cursor": cursor})):
        assert client.post(url, data=data).status_code == 404, url
    headers = login("chair.karaganda")
    for url in (f"/api/v1/visits/{conflicted.id}/conflicts",
                f"/api/v1/visits/{conflicted.id}/approvals",
                f"/api/v1/visits/{conflicted.id}/findings",
                f"/api/v1/facilities/{sizo.id}/findings",
                f"/api/v1/exports/visits?commission_id={almaty}",
                f"/api/v1/exports/answers?commission_id={almaty}"):
        assert client.get(url, headers=headers).status_code == 404, url
    for url, body in ((f"/api/v1/visits/{conflicted.id}/approve", {"cursor": cursor}),
                      (f"/api/v1/visits/{conflicted.id}/reopen", {"reason": "попытка"}),
                      (f"/api/v1/conflicts/{conflict_id}/resolve",
                       {"choice": "winner", "reason": "попытка", "cursor": cursor})):
        assert client.post(url, json=body, headers=headers).status_code == 404, url
    dashboard = client.get("/review/").get_data(as_text=True)
    assert str(sizo.id) not in dashboard
    exported = client.get("/review/export/visits?format=csv").get_data(as_text=True)
    assert conflicted.id not in exported


def test_import_applies_an_export_file_once(client, login, sizo, demo):
    from synctools import Device, new_id

    tablet, visit_id = Device(), new_id()
    ops = [tablet.upsert(visit_id, sizo), tablet.answer(visit_id, "nutrition.meals_per_day", 3)]
    export = {"format": "tekseru-export", "version": 1, "schema_version": 2,
              "exported_at": "2026-11-25T10:00:00Z", "device_id": tablet.id,
              "user": {"id": str(demo.user("inspector.almaty").id),
                       "username": "inspector.almaty"},
              "ops": ops, "rejected": [], "blobs": []}
    sign_in(client)
    for expected in ("applied", "duplicate"):
        html = client.get("/review/import").get_data(as_text=True)
        response = client.post("/review/import", data={
            "file": (io.BytesIO(json.dumps(export).encode()), "tekseru-unsynced.json"),
            "csrf_token": csrf_of(html)}, content_type="multipart/form-data")
        assert response.status_code == 200, response.get_data(as_text=True)[:2000]
        assert db.session.get(Visit, uuid.UUID(visit_id)) is not None
        assert f"review.import.op.{expected}" not in response.get_data(as_text=True)
    bad = client.post("/review/import", data={
        "file": (io.BytesIO(b"not json"), "x.json")}, content_type="multipart/form-data")
    assert bad.status_code == 422
    sign_in(client, "chair.karaganda")
    foreign = client.post("/review/import", data={
        "file": (io.BytesIO(json.dumps(export).encode()), "x.json")},
        content_type="multipart/form-data")
    assert foreign.status_code == 422 and "не состоит" in foreign.get_data(as_text=True)


def test_submitted_visit_without_conflicts_shows_the_approve_button(client, login, sizo):
    visit = make_visit(client, login, sizo, conflict=False, submit=True)
    sign_in(client, "inspector.almaty")
    html = client.get(f"/review/visits/{visit.id}").get_data(as_text=True)
    assert 'id="approve"' not in html  # inspectors read, chairs act
    sign_in(client)
    html = client.get(f"/review/visits/{visit.id}").get_data(as_text=True)
    assert 'id="approve"' in html
