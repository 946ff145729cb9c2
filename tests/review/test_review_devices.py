"""The devices page of the review desk: who manages which tablets, and revocation by form."""

import re

import pytest
from flask import g
from flask_babel import refresh
from reviewtools import Device, new_id, push_ok

from server.extensions import db
from server.models import AuditEvent, SyncDevice

PAGE = "/review/devices"


def sign_in_tablet(client, username, pending=0, version="pwa-7") -> tuple[Device, dict]:
    """Sign a tablet in with a device id (which registers it); return it and its headers."""
    tablet = Device()
    response = client.post("/api/v1/auth/token", json={
        "username": username, "password": "tekseru-demo", "device_id": tablet.id,
        "app_version": version, "pending": pending})
    assert response.status_code == 201, response.get_json()
    return tablet, {"Authorization": "Bearer " + response.get_json()["token"]}


def sign_in_page(client, username):
    """Sign a browser session in (through the form with its CSRF token, when it is on)."""
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"',
                      client.get("/login").get_data(as_text=True))
    data = {"username": username, "password": "tekseru-demo"}
    if token:
        data["csrf_token"] = token.group(1)
    assert client.post("/login", data=data).status_code == 302


def device_row(html: str, device_id: str) -> str:
    """Return the table row of a device on the page."""
    match = re.search(r"<tr class=\"device-[a-z]+\">(?:(?!</tr>).)*" + re.escape(device_id)
                      + r"(?:(?!</tr>).)*</tr>", html, re.S)
    assert match, f"{device_id} is not listed"
    return match.group(0)


def page(client, lang="ru") -> str:
    """Return the devices page in a language."""
    refresh()  # the test's app context outlives requests; drop the cached language
    response = client.get(PAGE, query_string={"lang": lang})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html and "review.devices" not in html  # all translated
    return html


def revoked_at(device_id):
    """Return when a device was revoked, read afresh from the database."""
    return db.session.get(SyncDevice, device_id, populate_existing=True).revoked_at


@pytest.fixture
def tablets(client, demo):
    """Register one tablet in Almaty (3 operations pending) and one in Karaganda."""
    almaty, almaty_headers = sign_in_tablet(client, "inspector.almaty", pending=3)
    karaganda, _ = sign_in_tablet(client, "inspector.karaganda", version="pwa-9")
    return {"almaty": almaty, "almaty_headers": almaty_headers, "karaganda": karaganda}


@pytest.mark.parametrize("lang,title", [("ru", "Устройства"), ("kk", "Құрылғылар"),
                                        ("en", "Devices")])
def test_chair_sees_only_the_devices_of_own_commission(client, tablets, lang, title):
    sign_in_page(client, "chair.almaty")
    html = page(client, lang)
    assert f"<h1>{title}</h1>" in html
    row = device_row(html, tablets["almaty"].id)
    assert "inspector.almaty" in row and "pwa-7" in row
    assert re.search(r'<td class="num">3</td>', row)  # the pending count it reported
    assert f'action="/review/devices/{tablets["almaty"].id}/revoke"' in row
    assert tablets["karaganda"].id not in html and "inspector.karaganda" not in html
    dashboard = client.get("/review/").get_data(as_text=True)
    assert f'href="{PAGE}"' in dashboard


def test_admin_sees_every_device_and_others_get_404(client, tablets):
    sign_in_page(client, "admin")
    html = page(client)
    device_row(html, tablets["almaty"].id)
    assert "pwa-9" in device_row(html, tablets["karaganda"].id)
    for username in ("inspector.almaty", "ombudsman"):
        other = client.application.test_client()
        sign_in_page(other, username)
        assert other.get(PAGE).status_code == 404, username
        assert other.post(f"{PAGE}/{tablets['almaty'].id}/revoke").status_code == 404
        assert f'href="{PAGE}"' not in other.get("/review/").get_data(as_text=True)
    assert revoked_at(tablets["almaty"].id) is None


def test_another_commissions_chair_gets_404_for_a_foreign_device(client, tablets):
    sign_in_page(client, "chair.karaganda")
    assert client.post(f"{PAGE}/{tablets['almaty'].id}/revoke").status_code == 404
    assert client.post(f"{PAGE}/no-such-device/revoke").status_code == 404
    assert revoked_at(tablets["almaty"].id) is None
    assert tablets["almaty"].id not in page(client)


def test_revoking_through_the_page_makes_the_token_401_and_is_audited(client, demo, tablets):
    headers, device_id = tablets["almaty_headers"], tablets["almaty"].id
    assert client.get("/api/v1/me", headers=headers).status_code == 200
    sign_in_page(client, "chair.almaty")
    response = client.post(f"{PAGE}/{device_id}/revoke")
    assert response.status_code == 302 and response.headers["Location"].endswith(PAGE)
    refused = client.get("/api/v1/me", headers=headers)
    assert refused.status_code == 401 and refused.get_json()["code"] == "device_revoked"
    events = db.session.execute(db.select(AuditEvent).where(
        AuditEvent.action == "device_revoked", AuditEvent.target_id == device_id)).scalars().all()
    assert len(events) == 1 and events[0].actor_id == demo.user("chair.almaty").id
    assert events[0].data["pending"] == 3
    assert "Доступ устройства отозван (inspector.almaty)" in page(client)  # the flash
    html = page(client, "en")
    row = device_row(html, device_id)
    assert "revoked, awaiting its final sync" in row and "/revoke" not in row
    again = client.post(f"{PAGE}/{device_id}/revoke")  # a second revocation changes nothing
    assert again.status_code == 302
    assert db.session.execute(db.select(db.func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "device_revoked")).scalar() == 1


def test_a_device_that_made_its_final_push_shows_as_erased(client, demo, tablets):
    tablet, headers = tablets["almaty"], tablets["almaty_headers"]
    sign_in_page(client, "chair.almaty")
    assert client.post(f"{PAGE}/{tablet.id}/revoke").status_code == 302
    final = push_ok(client, headers, tablet, [tablet.upsert(new_id(), demo.facility(
        "almaty-sizo"))], pending=1)
    assert final["wipe"] is True
    row = device_row(page(client, "en"), tablet.id)
    assert 'class="device-wiped"' in row and "revoked, data erased" in row
    assert "/revoke" not in row


def test_revoking_needs_the_csrf_token(app, client, tablets):
    app.config["WTF_CSRF_ENABLED"] = True
    sign_in_page(client, "chair.almaty")
    g.pop("csrf_token", None)  # the test's app context outlives requests: no stale token
    url = f"{PAGE}/{tablets['almaty'].id}/revoke"
    assert client.post(url).status_code == 400  # CSRFProtect refuses before the view
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    assert revoked_at(tablets["almaty"].id) is None
    html = page(client)
    token = re.search(r'name="csrf_token" value="([^"]+)"', device_row(
        html, tablets["almaty"].id)).group(1)
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    assert revoked_at(tablets["almaty"].id) is not None
