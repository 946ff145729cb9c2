"""Reference data the tablet keeps offline: commission members (a visit's team) and the
facility list with each facility's last score."""

import hashlib
import sys
import uuid
from pathlib import Path

from sqlalchemy import event

from server.extensions import db
from server.models import User

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))

from reviewtools import Device, make_visit, new_id, picture, push_ok  # noqa: E402

ALMATY_MEMBERS = {"chair.almaty": ("Айгерим Сейтова", "chair"),
                  "inspector.almaty": ("Нурлан Абенов", "inspector"),
                  "inspector2.almaty": ("Елена Ким", "inspector")}


def _members_url(commission):
    return f"/api/v1/commissions/{commission.id}/members"


def test_inspector_lists_own_commission_members_names_and_roles_only(client, login, demo):
    response = client.get(_members_url(demo.commission("almaty")),
                          headers=login("inspector.almaty"))
    assert response.status_code == 200
    expected = {str(demo.user(name).id): {"id": str(demo.user(name).id), "name": full, "role": role}
                for name, (full, role) in ALMATY_MEMBERS.items()}
    assert {item["id"]: item for item in response.json} == expected
    assert all(set(item) == {"id", "name", "role"} for item in response.json)


def test_members_of_another_commission_look_like_nothing(client, login, demo):
    for username in ("inspector.almaty", "chair.almaty"):
        headers = login(username)
        other = client.get(_members_url(demo.commission("karaganda")), headers=headers)
        absent = client.get(f"/api/v1/commissions/{uuid.uuid4()}/members", headers=headers)
        assert other.status_code == absent.status_code == 404
        assert other.json["code"] == absent.json["code"] == "not_found"
        assert "Жанар" not in other.get_data(as_text=True)


def test_members_leave_out_disabled_accounts_and_name_by_username_without_full_name(
        client, login, demo):
    gone = demo.user("inspector2.almaty")
    gone.active = False
    demo.user("chair.almaty").full_name = ""
    db.session.commit()
    body = client.get(_members_url(demo.commission("almaty")),
                      headers=login("inspector.almaty")).json
    assert {item["name"] for item in body} == {"chair.almaty", "Нурлан Абенов"}
    assert str(gone.id) not in {item["id"] for item in body}


def test_national_roles_read_any_commissions_members(client, login, demo):
    body = client.get(_members_url(demo.commission("karaganda")), headers=login("ombudsman")).json
    assert {item["name"] for item in body} == {"Сергей Волков", "Жанар Ахметова",
                                                "Ерлан Жумабаев"}
    assert client.get(_members_url(demo.commission("almaty"))).status_code == 401


def _listed(client, headers, per_page=50):
    body = client.get(f"/api/v1/facilities?per_page={per_page}", headers=headers).json
    return {item["id"]: item for item in body["items"]}


def test_facility_list_carries_the_latest_scored_visit(client, login, demo):
    sizo = demo.facility("almaty-sizo")
    make_visit(client, login, sizo, conflict=False, started="2026-10-01T09:00:00+05:00")
    latest = make_visit(client, login, sizo, conflict=False,
                        answers=[("nutrition.meals_per_day", 3), ("walk.minutes_per_day", 90)],
                        started="2026-11-01T09:00:00+05:00")
    headers = login("inspector.almaty")
    tablet = Device()  # a later visit with nothing answered yet: no score
    push_ok(client, headers, tablet, [tablet.upsert(new_id(), sizo,
                                                    started_at="2026-11-20T09:00:00+05:00")])
    history = client.get(f"/api/v1/facilities/{sizo.id}/scores", headers=headers).json
    scored = [v for v in history if v["facility_score"] is not None]
    assert len(history) == 3 and len(scored) == 2 and scored[-1]["visit_id"] == latest.id
    items = _listed(client, headers)
    last = items[str(sizo.id)]["last_score"]
    assert last["visit_id"] == latest.id
    assert last["value"] == scored[-1]["facility_score"]
    assert last["value"] != scored[0]["facility_score"]
    assert last["started_at"].startswith("2026-11-01T04:00:00")
    assert last["status"] == "draft" and 0 < last["coverage"] <= 1
    assert items[str(demo.facility("almaty-ivs").id)]["last_score"] is None
    assert len(items) == 6


class _Statements:
    """Count the SQL statements run while active."""

    def __init__(self):
        self.count = 0

    def _seen(self, *_args):
        self.count += 1

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *_exc):
        event.remove(db.engine, "before_cursor_execute", self._seen)


def test_facility_list_scores_take_the_same_queries_for_one_or_six_facilities(
        client, login, demo):
    for key in ("almaty-sizo", "almaty-ivs", "almaty-sizo"):
        make_visit(client, login, demo.facility(key), conflict=False)
    headers = login("inspector.almaty")
    _listed(client, headers)  # the summaries are computed once
    with _Statements() as one:
        small = _listed(client, headers, per_page=1)
    with _Statements() as six:
        big = _listed(client, headers, per_page=6)
    assert len(small) == 1 and len(big) == 6
    assert sum(item["last_score"] is not None for item in big.values()) == 2
    assert six.count == one.count


def test_admin_creates_a_member_who_appears_in_the_list(client, login, demo):
    created = client.post("/api/v1/users", headers=login("admin"), json={
        "username": "new.inspector", "password": "long-enough-pw", "role": "inspector",
        "full_name": "Асель Нурова", "commission_id": str(demo.commission("almaty").id)})
    assert created.status_code == 201
    body = client.get(_members_url(demo.commission("almaty")),
                      headers=login("inspector.almaty")).json
    assert {"id": created.json["id"], "name": "Асель Нурова", "role": "inspector"} in body
    assert db.session.get(User, uuid.UUID(created.json["id"])).active


def test_chair_sees_the_team_and_the_photo_caption_sent_by_a_tablet(client, login, demo):
    headers, tablet, visit_id = login("inspector.almaty"), Device(), new_id()
    data = picture()
    sha = hashlib.sha256(data).hexdigest()
    team = [str(demo.user(name).id) for name in ("inspector.almaty", "inspector2.almaty")]
    body = push_ok(client, headers, tablet, [
        tablet.upsert(visit_id, demo.facility("almaty-sizo"), team=team),
        tablet.photo(visit_id, sha, domain="nutrition", caption="Камера 12: сырость на стене")])
    assert [r["status"] for r in body["results"]] == ["applied", "applied"]
    put = client.put(f"/api/v1/blobs/{sha}", data=data,
                     headers={**headers, "Content-Type": "image/jpeg"})
    assert put.status_code == 201
    client.post("/login", data={"username": "chair.almaty", "password": "tekseru-demo"})
    page = client.get(f"/review/visits/{visit_id}", query_string={"lang": "ru"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Камера 12: сырость на стене" in html
    assert "Нурлан Абенов" in html and "Елена Ким" in html  # the team
