"""Conflicts: the chair's resolution is an operation in the tablets' log, audited."""

import uuid

from reviewtools import Device, conflicts_of, make_visit, push_ok
from synctools import now_ms, pull_all

from server.extensions import db
from server.models import Answer, AuditEvent, SyncConflict, SyncOp


def _resolve(client, headers, conflict_id, **body):
    """Post a resolution; return the response."""
    return client.post(f"/api/v1/conflicts/{conflict_id}/resolve", json=body, headers=headers)


def test_conflict_shows_both_values_authors_and_devices(client, chair, conflicted, demo):
    listed = conflicts_of(client, chair, conflicted.id)
    (conflict,) = listed["conflicts"]
    assert conflict["status"] == "open" and conflict["reason"] == "concurrent_edit"
    assert conflict["winner"]["value"] == 4 and conflict["loser"]["value"] == 3
    assert conflict["winner"]["device_id"] == conflicted.tablet_b.id
    assert conflict["loser"]["device_id"] == conflicted.tablet_a.id
    assert conflict["loser"]["author_id"] == str(demo.user("inspector.almaty").id)
    assert conflict["clock_skew"] is False and listed["cursor"] > 0


def test_picking_the_overwritten_value_writes_it_through_the_sync_log(client, chair, conflicted):
    listed = conflicts_of(client, chair, conflicted.id)
    conflict_id = listed["conflicts"][0]["id"]
    response = _resolve(client, chair, conflict_id, choice="loser", reason="Сверено с журналом",
                        cursor=listed["cursor"])
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["conflict"]["status"] == "resolved"
    assert body["conflict"]["resolution"]["choice"] == "loser"
    assert body["cursor"] > listed["cursor"]
    answer = db.session.execute(db.select(Answer).filter_by(
        question_id=conflicted.question)).scalar_one()
    assert answer.value == 3 and answer.device_id.startswith("review.")
    op = db.session.execute(db.select(SyncOp).where(
        SyncOp.op_id == uuid.UUID(body["conflict"]["resolution"]["op_id"]))).scalar_one()
    assert op.device_id.startswith("review.") and op.status == "applied"
    event = db.session.execute(db.select(AuditEvent).filter_by(
        action="conflict_resolved")).scalar_one()
    assert event.data["reason"] == "Сверено с журналом" and event.target_id == conflicted.id
    # The tablets pull the chair's value and the settled conflict like any other change.
    changes, _cursor = pull_all(client, conflicted.headers_b, cursor=listed["cursor"])
    kinds = {(c["entity"], c["key"]) for c in changes}
    assert ("answer", f"answer:{conflicted.question}:") in kinds
    assert ("conflict", f"conflict:{conflict_id}") in kinds
    settled = next(c for c in changes if c["entity"] == "conflict")
    assert settled["data"]["status"] == "resolved" and settled["data"]["resolution"]


def test_a_corrected_value_must_fit_the_question(client, chair, conflicted):
    listed = conflicts_of(client, chair, conflicted.id)
    conflict_id = listed["conflicts"][0]["id"]
    bad = _resolve(client, chair, conflict_id, choice="value", value=99, reason="перепроверено",
                   cursor=listed["cursor"])
    assert bad.status_code == 422 and bad.get_json()["code"] == "constraint_failed"
    assert db.session.get(SyncConflict, uuid.UUID(conflict_id)).status == "open"
    good = _resolve(client, chair, conflict_id, choice="value", value=2, reason="перепроверено",
                    cursor=listed["cursor"])
    assert good.status_code == 200
    assert db.session.execute(db.select(Answer.value).filter_by(
        question_id=conflicted.question)).scalar_one() == 2
    again = _resolve(client, chair, conflict_id, choice="winner", reason="ещё раз",
                     cursor=good.get_json()["cursor"])
    assert again.status_code == 409 and again.get_json()["code"] == "conflict_resolved"


def test_a_submitted_visit_takes_the_chairs_resolution_but_not_a_tablets_edit(
        client, chair, login, sizo):
    visit = make_visit(client, login, sizo, submit=True)
    late = push_ok(client, visit.headers_a, visit.tablet_a,
                   [visit.tablet_a.answer(visit.id, "nutrition.meals_per_day", 1)])
    assert late["results"][0]["reason"] == "visit_locked"
    listed = conflicts_of(client, chair, visit.id)
    response = _resolve(client, chair, listed["conflicts"][0]["id"], choice="winner",
                        reason="значение второго планшета верно", cursor=listed["cursor"])
    assert response.status_code == 200, response.get_json()
    assert conflicts_of(client, chair, visit.id)["conflicts"][0]["status"] == "resolved"


def test_only_the_commissions_chair_may_resolve(client, login, conflicted):
    listed = conflicts_of(client, login("chair.almaty"), conflicted.id)
    body = {"choice": "winner", "reason": "попытка", "cursor": listed["cursor"]}
    conflict_id = listed["conflicts"][0]["id"]
    for username in ("chair.karaganda", "inspector.almaty", "ombudsman", "admin"):
        response = _resolve(client, login(username), conflict_id, **body)
        assert response.status_code == 404, username
    assert client.get(f"/api/v1/visits/{conflicted.id}/conflicts",
                      headers=login("chair.karaganda")).status_code == 404


def test_a_skewed_clock_is_flagged_and_the_chairs_value_still_wins(client, chair, login, sizo):
    visit = make_visit(client, login, sizo, conflict=False)
    ahead = Device("tab-ahead", ms=now_ms() + 86_400_000)  # a day ahead
    body = push_ok(client, visit.headers_b, ahead,
                   [ahead.answer(visit.id, "nutrition.meals_per_day", 1)])
    assert body["results"][0]["reason"] == "clock_skew"
    listed = conflicts_of(client, chair, visit.id)
    (conflict,) = listed["conflicts"]
    assert conflict["clock_skew"] is True and conflict["winner"]["value"] == 1
    response = _resolve(client, chair, conflict["id"], choice="loser", cursor=listed["cursor"],
                        reason="часы планшета спешили на сутки")
    assert response.status_code == 200, response.get_json()
    assert db.session.execute(db.select(Answer.value).filter_by(
        question_id="nutrition.meals_per_day")).scalar_one() == 3
    assert [c["status"] for c in conflicts_of(client, chair, visit.id)["conflicts"]] == [
        "resolved"]  # the chair's reading beat the skewed one without a new conflict


def test_a_chairs_own_push_is_a_tablets_push(client, login, sizo):
    visit = make_visit(client, login, sizo, conflict=False, submit=True)
    tablet = Device("chair-tablet")
    body = push_ok(client, login("chair.almaty"), tablet,
                   [tablet.answer(visit.id, "nutrition.meals_per_day", 1)])
    assert body["results"][0]["reason"] == "visit_locked"  # review=True is never pushed
