"""Push: operations arrive, apply in one transaction, and answer per operation."""

from synctools import Device, new_id, push, push_ok, statuses

from server.extensions import db
from server.models import Answer, AuditEvent, Note, PhotoLink, SyncOp, Visit

SHA = "a" * 64


def test_a_new_visit_arrives_with_answers_notes_and_photos(client, almaty, demo, tablet):
    visit_id = new_id()
    ops = [
        tablet.upsert(visit_id, demo.facility("almaty-sizo")),
        tablet.answer(visit_id, "nutrition.meals_per_day", 3),
        tablet.answer(visit_id, "nutrition.drinking_water_always", False),
        tablet.answer(visit_id, "walk.minutes_per_day", 45),
        tablet.answer(visit_id, "heating.system", "central"),
        tablet.note(visit_id, "Вода только по расписанию", domain="nutrition"),
        tablet.photo(visit_id, SHA, question_id="sanitation.toilet_photo", caption="камера 12"),
    ]
    body = push_ok(client, almaty, tablet, ops)
    assert statuses(body) == ["applied"] * 7
    assert [r["op_id"] for r in body["results"]] == [op["op_id"] for op in ops]
    assert body["last_seq"] == 7
    assert body["missing_blobs"] == [SHA]
    assert body["cursor"] >= 7 and body["server_time"].endswith("+00:00")
    detail = client.get(f"/api/v1/visits/{visit_id}", headers=almaty).get_json()
    assert detail["status"] == "draft" and detail["form_id"] == "detention-visit"
    assert detail["form_version"] == "1"
    answers = {a["question_id"]: a["value"] for a in detail["answers"]}
    assert answers == {"nutrition.meals_per_day": 3, "nutrition.drinking_water_always": False,
                       "walk.minutes_per_day": 45, "heating.system": "central"}
    assert detail["notes"][0]["text"] == "Вода только по расписанию"
    assert detail["photos"][0]["sha256"] == SHA and detail["photos"][0]["uploaded"] is False
    assert detail["team"] == [str(demo.user("inspector.almaty").id)]


def test_visits_list_shows_the_visit_in_scope_only(client, almaty, karaganda, visit):
    listed = client.get("/api/v1/visits", headers=almaty).get_json()
    assert [v["id"] for v in listed["items"]] == [visit] and listed["total"] == 1
    assert client.get("/api/v1/visits", headers=karaganda).get_json()["total"] == 0
    assert client.get(f"/api/v1/visits/{visit}", headers=karaganda).status_code == 404


def test_answer_clear_removes_the_answer(client, almaty, tablet, visit):
    push_ok(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 2)])
    body = push_ok(client, almaty, tablet, [tablet.clear(visit, "nutrition.meals_per_day")])
    assert statuses(body) == ["applied"]
    assert db.session.execute(db.select(Answer)).scalars().all() == []
    body = push_ok(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 3)])
    assert db.session.execute(db.select(Answer.value)).scalars().all() == [3]


def test_per_regime_answers_are_kept_apart(client, almaty, demo, tablet):
    visit_id = new_id()
    body = push_ok(client, almaty, tablet, [
        tablet.upsert(visit_id, demo.facility("almaty-minimum")),
        tablet.answer(visit_id, "walk.minutes_per_day", 60, regime="strict"),
        tablet.answer(visit_id, "walk.minutes_per_day", 120, regime="eased"),
        tablet.answer(visit_id, "walk.minutes_per_day", 90),
        tablet.answer(visit_id, "walk.minutes_per_day", 90, regime="privileged"),
    ])
    assert statuses(body) == ["applied", "applied", "applied", "rejected", "rejected"]
    assert [r.get("reason") for r in body["results"][3:]] == ["regime_required", "unknown_regime"]
    rows = db.session.execute(db.select(Answer.regime, Answer.value)).all()
    assert sorted(rows) == [("eased", 120), ("strict", 60)]


def test_rejected_ops_carry_a_reason_and_never_block_the_rest(client, almaty, tablet, visit):
    ops = [
        tablet.answer(visit, "nutrition.no_such_question", 3),
        tablet.answer(visit, "nutrition.meals_per_day", "three"),
        tablet.answer(visit, "nutrition.meals_per_day", 99),
        tablet.answer(visit, "heating.system", "fireplace"),
        tablet.op("answer.move", visit, 1, question_id="nutrition.meals_per_day"),
        tablet.answer(new_id(), "nutrition.meals_per_day", 3),
        tablet.answer(visit, "NOT A QUESTION", 3),
        tablet.note(visit, "note", domain="no_such_domain"),
        tablet.answer(visit, "nutrition.meals_per_day", 3, regime="strict"),
        tablet.answer(visit, "walk.minutes_per_day", 60, regime="strict"),
        tablet.answer(visit, "nutrition.meals_per_day", 3),
    ]
    body = push_ok(client, almaty, tablet, ops)
    reasons = [(r["status"], r.get("reason")) for r in body["results"]]
    assert reasons == [
        ("rejected", "unknown_question"), ("rejected", "bad_type"),
        ("rejected", "constraint_failed"), ("rejected", "unknown_choice"),
        ("rejected", "unknown_op_type"), ("rejected", "out_of_scope"),
        ("rejected", "invalid_op"), ("rejected", "unknown_domain"),
        ("rejected", "not_per_regime"), ("rejected", "unknown_regime"), ("applied", None),
    ]
    assert "question_id" in body["results"][6]["errors"]
    assert body["last_seq"] == tablet.seq
    assert db.session.execute(db.select(Answer.value)).scalars().all() == [3]
    logged = db.session.execute(db.select(SyncOp.status)).scalars().all()
    assert logged.count("rejected") == 10


def test_upsert_rules(client, almaty, demo, tablet, visit):
    other = demo.facility("almaty-ivs")
    body = push_ok(client, almaty, tablet, [
        tablet.upsert(visit, other),
        tablet.upsert(new_id(), demo.facility("almaty-sizo"), form_id="no-such-form"),
        tablet.upsert(new_id(), demo.facility("karaganda-sizo")),
        tablet.upsert(new_id(), demo.facility("almaty-sizo"),
                      team=[str(demo.user("inspector.karaganda").id)]),
        tablet.upsert(visit, demo.facility("almaty-sizo"), started_at="2026-11-20T10:00:00+05:00",
                      team=[str(demo.user("inspector.almaty").id),
                            str(demo.user("inspector2.almaty").id)]),
    ])
    assert [(r["status"], r.get("reason")) for r in body["results"]] == [
        ("rejected", "visit_mismatch"), ("rejected", "unknown_form"),
        ("rejected", "out_of_scope"), ("rejected", "team_not_in_commission"),
        ("applied", None)]
    row = db.session.get(Visit, __import__("uuid").UUID(visit))
    db.session.refresh(row)
    assert row.started_at.hour == 5 and len(row.team) == 2


def test_submit_locks_the_visit_by_commit_order(client, almaty, almaty2, tablet, visit):
    other = Device(ms=tablet.ms + 60_000)  # a later clock does not get past the lock
    body = push_ok(client, almaty, tablet, [tablet.submit(visit),
                                             tablet.answer(visit, "nutrition.meals_per_day", 3)])
    assert [(r["status"], r.get("reason")) for r in body["results"]] == [
        ("applied", None), ("rejected", "visit_locked")]
    body = push_ok(client, almaty2, other, [other.answer(visit, "nutrition.meals_per_day", 2),
                                             other.note(visit, "late"), other.submit(visit)])
    assert {r.get("reason") for r in body["results"]} == {"visit_locked"}
    assert db.session.execute(db.select(Answer)).first() is None
    assert db.session.execute(db.select(Note)).first() is None
    detail = client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json()
    assert detail["status"] == "submitted"
    actions = db.session.execute(db.select(AuditEvent.action)).scalars().all()
    assert actions.count("visit_submitted") == 1


def test_previous_schema_version_is_accepted(client, almaty, tablet, visit):
    photo = tablet.op("photo.attach", visit, {"hash": SHA, "caption": "old app"})
    note = tablet.op("note.add", visit, "old-style note")
    body = push_ok(client, almaty, tablet, [photo, note], schema_version=1)
    assert statuses(body) == ["applied", "applied"]
    assert body["missing_blobs"] == [SHA]
    assert db.session.execute(db.select(PhotoLink.sha256)).scalars().all() == [SHA]
    assert db.session.execute(db.select(Note.text)).scalars().all() == ["old-style note"]
    again = push_ok(client, almaty, tablet, [photo, note], schema_version=1)
    assert statuses(again) == ["duplicate", "duplicate"]


def test_unknown_schema_version_is_refused(client, almaty, tablet, visit):
    response = push(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 3)],
                    schema_version=3)
    assert response.status_code == 400
    assert response.get_json()["code"] == "unsupported_schema_version"


def test_note_and_photo_ids_made_by_the_tablet_are_kept(client, almaty, tablet, visit):
    note_id, photo_id = new_id(), new_id()
    note = tablet.op("note.add", visit, {"note_id": note_id, "text": "x", "domain": "walk"})
    photo = tablet.op("photo.attach", visit, {"photo_id": photo_id, "sha256": SHA})
    reuse = tablet.op("note.add", visit, {"note_id": note_id, "text": "y"})
    body = push_ok(client, almaty, tablet, [note, photo, reuse])
    assert [(r["status"], r.get("reason")) for r in body["results"]] == [
        ("applied", None), ("applied", None), ("rejected", "duplicate_id")]
    detail = client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json()
    assert detail["notes"][0]["id"] == note_id and detail["photos"][0]["id"] == photo_id
