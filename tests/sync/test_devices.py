"""Device registry and revocation: listed in scope, 401 at once, one final push, then wipe."""

import hashlib

from synctools import Device, new_id, picture, push, push_ok

from server.extensions import db
from server.models import AuditEvent, SyncDevice

TOKEN = "/api/v1/auth/token"


def _sign_in(client, username, device, pending=0):
    """Sign a tablet in with its device id; return the Authorization header."""
    response = client.post(TOKEN, json={"username": username, "password": "tekseru-demo",
                                        "device_id": device.id, "app_version": "pwa-7",
                                        "pending": pending})
    assert response.status_code == 201, response.get_json()
    return {"Authorization": "Bearer " + response.get_json()["token"]}


def _revoke(client, headers, device_id):
    """Revoke a device; return the response."""
    return client.post(f"/api/v1/devices/{device_id}/revoke", json={}, headers=headers)


def test_sign_in_registers_the_device_with_what_it_reported(client, demo, login):
    tablet = Device()
    _sign_in(client, "inspector.almaty", tablet, pending=3)
    listed = client.get("/api/v1/devices", headers=login("chair.almaty")).get_json()
    row = next(d for d in listed if d["id"] == tablet.id)
    assert (row["username"], row["app_version"], row["pending"], row["status"]) == (
        "inspector.almaty", "pwa-7", 3, "active")
    assert row["first_seen_at"] and row["last_seen_at"]


def test_push_and_pull_report_version_and_pending(client, demo, login):
    tablet = Device()
    headers = _sign_in(client, "inspector.almaty", tablet)
    visit_id = new_id()
    push_ok(client, headers, tablet, [tablet.upsert(visit_id, demo.facility("almaty-sizo"))],
            app_version="pwa-8", pending=5)
    device = db.session.get(SyncDevice, tablet.id, populate_existing=True)
    assert (device.app_version, device.pending) == ("pwa-8", 5)
    client.get(f"/api/v1/sync/pull?device_id={tablet.id}&pending=0", headers=headers)
    assert db.session.get(SyncDevice, tablet.id, populate_existing=True).pending == 0


def test_only_admin_and_own_chair_manage_devices(client, demo, login):
    tablet = Device()
    _sign_in(client, "inspector.almaty", tablet)
    assert client.get("/api/v1/devices", headers=login("inspector.almaty")).status_code == 404
    assert client.get("/api/v1/devices", headers=login("ombudsman")).status_code == 404
    other_chair = login("chair.karaganda")
    assert tablet.id not in {d["id"] for d in client.get(
        "/api/v1/devices", headers=other_chair).get_json()}
    assert _revoke(client, other_chair, tablet.id).status_code == 404
    assert tablet.id in {d["id"] for d in client.get(
        "/api/v1/devices", headers=login("admin")).get_json()}


def test_revoked_device_pushes_once_then_wipes_then_401(client, demo, login):
    tablet = Device()
    headers = _sign_in(client, "inspector.almaty", tablet)
    visit_id = new_id()
    push_ok(client, headers, tablet, [tablet.upsert(visit_id, demo.facility("almaty-sizo"))])
    pending = [tablet.note(visit_id, "Prisoner A. said he was beaten"),
               tablet.answer(visit_id, "nutrition.meals_per_day", 3)]
    answer = _revoke(client, login("chair.almaty"), tablet.id)
    assert answer.status_code == 200 and answer.get_json()["status"] == "revoked"
    for url in ("/api/v1/me", f"/api/v1/sync/pull?device_id={tablet.id}", "/api/v1/facilities"):
        refused = client.get(url, headers=headers)
        assert refused.status_code == 401 and refused.get_json()["code"] == "device_revoked"
    final = push_ok(client, headers, tablet, pending)
    assert [r["status"] for r in final["results"]] == ["applied", "applied"]
    assert final["wipe"] is True and final["revoked"] is True
    assert push(client, headers, tablet, []).status_code == 401
    assert client.get("/api/v1/me", headers=headers).status_code == 401
    notes = client.get(f"/api/v1/visits/{visit_id}", headers=login("chair.almaty")).get_json()
    assert "beaten" in str(notes)
    actions = {e.action for e in db.session.execute(db.select(AuditEvent)).scalars()}
    assert {"device_revoked", "device_wiped"} <= actions


def test_a_revoked_device_uploads_its_photos_before_the_wipe(client, demo, login):
    tablet = Device()
    headers = _sign_in(client, "inspector.almaty", tablet)
    visit_id, data = new_id(), picture(seed=7)
    sha = hashlib.sha256(data).hexdigest()
    push_ok(client, headers, tablet, [tablet.upsert(visit_id, demo.facility("almaty-sizo"))])
    _revoke(client, login("admin"), tablet.id)
    first = push_ok(client, headers, tablet, [tablet.photo(visit_id, sha)])
    assert first["missing_blobs"] == [sha] and first["wipe"] is False
    put = client.put(f"/api/v1/blobs/{sha}", data=data,
                     headers={**headers, "Content-Type": "image/jpeg"})
    assert put.status_code in (200, 201), put.get_json()
    assert push_ok(client, headers, tablet, [])["wipe"] is True
    assert client.put(f"/api/v1/blobs/{sha}", data=data, headers=headers).status_code == 401


def test_a_revoked_device_cannot_sign_in_again_with_its_id(client, demo, login):
    tablet = Device()
    _sign_in(client, "inspector.almaty", tablet)
    _revoke(client, login("admin"), tablet.id)
    again = client.post(TOKEN, json={"username": "inspector.almaty",
                                     "password": "tekseru-demo", "device_id": tablet.id})
    assert again.status_code == 401 and again.get_json()["code"] == "device_revoked"
    assert client.post(TOKEN, json={"username": "inspector.almaty", "password": "tekseru-demo",
                                    "device_id": Device().id}).status_code == 201


def test_an_old_unbound_token_is_bound_by_its_first_push(client, demo, login):
    tablet, headers = Device(), login("inspector.almaty")
    visit_id = new_id()
    push_ok(client, headers, tablet, [tablet.upsert(visit_id, demo.facility("almaty-sizo"))])
    _revoke(client, login("chair.almaty"), tablet.id)
    assert push_ok(client, headers, tablet, [])["wipe"] is True
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_a_revoked_device_with_more_batches_is_not_finished_early(client, demo, login):
    tablet = Device()
    headers = _sign_in(client, "inspector.almaty", tablet)
    visit_id = new_id()
    _revoke(client, login("admin"), tablet.id)
    first = push_ok(client, headers, tablet,
                    [tablet.upsert(visit_id, demo.facility("almaty-sizo"))], pending=2)
    assert first["wipe"] is False
    last = push_ok(client, headers, tablet, [tablet.note(visit_id, "last")], pending=1)
    assert last["wipe"] is True
