"""Sign-off: a compare-and-set on the cursor reviewed; it locks the visit and signs its content."""

import hashlib
import uuid

from reviewtools import conflicts_of, make_visit, picture, push_ok, upload_photo
from sqlalchemy import text

from server.extensions import db
from server.models import AuditEvent, Visit, VisitApproval
from server.review.snapshot import content_hash, snapshot_of


def _approve(client, headers, visit_id, cursor):
    """Post an approval; return the response."""
    return client.post(f"/api/v1/visits/{visit_id}/approve", json={"cursor": cursor},
                       headers=headers)


def _settle(client, chair, visit_id) -> int:
    """Resolve every open conflict of a visit; return the cursor after."""
    listed = conflicts_of(client, chair, visit_id)
    cursor = listed["cursor"]
    for conflict in listed["conflicts"]:
        response = client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", headers=chair,
                               json={"choice": "winner", "reason": "проверено", "cursor": cursor})
        cursor = response.get_json()["cursor"]
    return cursor


def test_approval_refused_while_a_conflict_is_open(client, chair, conflicted):
    cursor = conflicts_of(client, chair, conflicted.id)["cursor"]
    response = _approve(client, chair, conflicted.id, cursor)
    assert response.status_code == 409
    assert response.get_json()["code"] == "open_conflicts"
    assert db.session.get(Visit, uuid.UUID(conflicted.id)).status == "draft"


def test_approval_refused_when_a_change_arrived_after_the_cursor(client, chair, conflicted):
    cursor = _settle(client, chair, conflicted.id)
    tab = conflicted.tablet_a
    push_ok(client, conflicted.headers_a, tab, [tab.answer(conflicted.id, "walk.minutes_per_day",
                                                           40)])
    response = _approve(client, chair, conflicted.id, cursor)
    assert response.status_code == 409 and response.get_json()["code"] == "changed_since"
    fresh = conflicts_of(client, chair, conflicted.id)["cursor"]
    assert _approve(client, chair, conflicted.id, fresh).status_code == 201


def test_approval_locks_the_visit_and_signs_its_content(client, chair, conflicted, demo):
    cursor = _settle(client, chair, conflicted.id)
    response = _approve(client, chair, conflicted.id, cursor)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    visit = db.session.get(Visit, uuid.UUID(conflicted.id))
    assert visit.status == "approved" and visit.approved_by_id == demo.user("chair.almaty").id
    assert body["content_hash"] == visit.content_hash == content_hash(snapshot_of(visit))
    assert db.session.execute(db.select(AuditEvent).filter_by(
        action="visit_approved")).scalar_one().data["content_hash"] == visit.content_hash
    late = push_ok(client, conflicted.headers_b, conflicted.tablet_b, [
        conflicted.tablet_b.answer(conflicted.id, "nutrition.meals_per_day", 1)])
    assert late["results"][0] == {"op_id": late["results"][0]["op_id"], "status": "rejected",
                                  "reason": "visit_locked"}
    again = _approve(client, chair, conflicted.id, conflicts_of(client, chair,
                                                                conflicted.id)["cursor"])
    assert again.status_code == 409 and again.get_json()["code"] == "already_approved"


def test_approval_refused_while_a_photo_is_missing(client, chair, login, sizo):
    visit = make_visit(client, login, sizo, conflict=False)
    tab = visit.tablet_a
    sha = "b" * 64
    push_ok(client, visit.headers_a, tab, [tab.photo(visit.id, sha, domain="nutrition")])
    cursor = conflicts_of(client, chair, visit.id)["cursor"]
    response = _approve(client, chair, visit.id, cursor)
    assert response.status_code == 409 and response.get_json()["code"] == "missing_photos"
    assert sha in str(response.get_json()["errors"]["photos"])


def test_hash_covers_photo_bytes_and_tampering_is_caught(client, chair, login, sizo, runner):
    visit = make_visit(client, login, sizo, conflict=False)
    tab = visit.tablet_a
    sha = hashlib.sha256(picture(seed=3)).hexdigest()
    push_ok(client, visit.headers_a, tab, [tab.photo(visit.id, sha, domain="nutrition")])
    assert upload_photo(client, visit.headers_a, seed=3) == sha
    cursor = conflicts_of(client, chair, visit.id)["cursor"]
    assert _approve(client, chair, visit.id, cursor).status_code == 201
    snapshot = db.session.execute(db.select(VisitApproval.snapshot)).scalar_one()
    assert snapshot["photos"][0][1] == sha and len(snapshot["photos"][0][2]) == 64
    intact = runner.invoke(args=["audit", "verify"])
    assert intact.exit_code == 0 and "approved visits intact: 1 checked" in intact.output
    db.session.execute(text("UPDATE answer SET value = :v WHERE question_id = :q"),
                       {"v": "4", "q": "nutrition.meals_per_day"})
    db.session.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"approved visit {visit.id}: stored data changed after approval" in broken.output


def test_reopen_keeps_the_approved_version_and_approves_again(client, chair, conflicted):
    cursor = _settle(client, chair, conflicted.id)
    first = _approve(client, chair, conflicted.id, cursor).get_json()
    bad = client.post(f"/api/v1/visits/{conflicted.id}/reopen", json={"reason": ""},
                      headers=chair)
    assert bad.status_code == 422
    reopened = client.post(f"/api/v1/visits/{conflicted.id}/reopen", headers=chair,
                           json={"reason": "Поступили сведения о прогулках"})
    assert reopened.status_code == 201, reopened.get_json()
    assert db.session.get(Visit, uuid.UUID(conflicted.id)).status == "submitted"
    tab = conflicted.tablet_a  # tablets stay locked out of a reopened visit
    late = push_ok(client, conflicted.headers_a, tab, [tab.answer(conflicted.id,
                                                                  "walk.minutes_per_day", 90)])
    assert late["results"][0]["reason"] == "visit_locked"
    second = _approve(client, chair, conflicted.id,
                      conflicts_of(client, chair, conflicted.id)["cursor"])
    assert second.status_code == 201 and second.get_json()["number"] == 2
    history = client.get(f"/api/v1/visits/{conflicted.id}/approvals", headers=chair).get_json()
    assert [a["content_hash"] for a in history["approvals"]] == [first["content_hash"]] * 2
    assert history["addenda"][0]["reason"] == "Поступили сведения о прогулках"
    assert history["approvals"][0]["snapshot"]["visit"]["id"] == conflicted.id


def test_report_adapter_sees_the_approval(client, chair, conflicted):
    from server.reports.review import approval_of

    cursor = _settle(client, chair, conflicted.id)
    _approve(client, chair, conflicted.id, cursor)
    visit = db.session.get(Visit, uuid.UUID(conflicted.id))
    approval = approval_of(visit)
    assert approval["signer"] == "Айгерим Сейтова"
    assert approval["content_hash"] == visit.content_hash and approval["at"] == visit.approved_at
