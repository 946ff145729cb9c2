"""Sign-off: approve a visit as a compare-and-set on the change cursor; reopen as an addendum."""

from sqlalchemy import func, select

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..models import (
    PhotoLink,
    SyncChange,
    SyncConflict,
    Visit,
    VisitAddendum,
    VisitApproval,
    utcnow,
)
from ..scope import review_or_404
from ..sync.changes import PendingChange, current_head, record_changes
from ..sync.push import missing_blobs
from ..sync.visits import visit_to_dict
from .findings import record_findings
from .snapshot import content_hash, snapshot_of


def last_change(visit_id) -> int:
    """Return the seq of the last change of a visit (0 when none)."""
    return db.session.execute(select(func.max(SyncChange.seq))
                              .where(SyncChange.visit_id == visit_id)).scalar() or 0


def open_conflicts(visit_id) -> int:
    """Return how many conflicts of a visit are open."""
    return db.session.execute(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.visit_id == visit_id, SyncConflict.status == "open")).scalar_one()


def missing_photos(visit_id) -> list[str]:
    """Return the hashes of photos the visit names that the server does not hold."""
    refs = set(db.session.execute(select(PhotoLink.sha256)
                                  .where(PhotoLink.visit_id == visit_id)).scalars())
    return missing_blobs(refs)


def _problems(visit: Visit, cursor: int) -> dict:
    """Return {field: [messages]} of everything that forbids approving now."""
    problems = {}
    head, last = current_head(), last_change(visit.id)
    if cursor > head:
        problems["cursor"] = [f"the server's change seq is {head}; reload the visit"]
    elif last > cursor:
        problems["cursor"] = [f"changes up to {last} arrived after {cursor}, the cursor reviewed"]
    conflicts = open_conflicts(visit.id)
    if conflicts:
        problems["conflicts"] = [f"{conflicts} conflict(s) still open"]
    missing = missing_photos(visit.id)
    if missing:
        problems["photos"] = [f"photo {sha} has not been uploaded" for sha in missing]
    return problems


CODES = (("cursor", "changed_since", "The visit changed after you loaded it; review it again."),
         ("conflicts", "open_conflicts", "Resolve every conflict before approving."),
         ("photos", "missing_photos", "Some photos have not reached the server yet."))


def check_approvable(visit: Visit, cursor: int) -> None:
    """Raise 409 naming the first reason (and listing all) why the visit cannot be approved."""
    if visit.status == "approved":
        raise APIError(409, "already_approved", "This visit is already approved.")
    problems = _problems(visit, cursor)
    for field, code, message in CODES:
        if field in problems:
            raise APIError(409, code, message, problems)


def approve_visit(user, visit_id, cursor: int) -> VisitApproval:
    """Approve a visit reviewed at `cursor`: lock it, sign its content hash, carry findings."""
    visit = review_or_404(user, Visit, visit_id, "visit")
    check_approvable(visit, cursor)
    snapshot = snapshot_of(visit)
    digest, now = content_hash(snapshot), utcnow()
    number = db.session.execute(select(func.count()).select_from(VisitApproval)
                                .where(VisitApproval.visit_id == visit.id)).scalar_one() + 1
    approval = VisitApproval(visit_id=visit.id, number=number, signed_by_id=user.id,
                             signed_at=now, cursor=cursor, content_hash=digest,
                             snapshot=snapshot)
    db.session.add(approval)
    visit.status, visit.approved_at, visit.approved_by_id = "approved", now, user.id
    visit.content_hash, visit.updated_at = digest, now
    db.session.flush()
    append_event("visit_approved", actor=user, target_type="visit", target_id=visit.id,
                 data={"approval_id": str(approval.id), "number": number, "cursor": cursor,
                       "content_hash": digest})
    record_findings(visit)
    _record_visit_change(user, visit)
    return approval


def reopen_visit(user, visit_id, reason: str) -> VisitAddendum:
    """Reopen an approved visit as an addendum; its approval and snapshot stay as they were."""
    visit = review_or_404(user, Visit, visit_id, "visit")
    if visit.status != "approved":
        raise APIError(409, "not_approved", "Only an approved visit can be reopened.")
    approval = latest_approval(visit.id)
    addendum = VisitAddendum(visit_id=visit.id, approval_id=approval.id, reason=reason,
                             opened_by_id=user.id, opened_at=utcnow())
    db.session.add(addendum)
    visit.status, visit.approved_at, visit.approved_by_id = "submitted", None, None
    visit.content_hash, visit.updated_at = None, addendum.opened_at
    db.session.flush()
    append_event("visit_reopened", actor=user, target_type="visit", target_id=visit.id,
                 data={"addendum_id": str(addendum.id), "approval_id": str(approval.id),
                       "content_hash": approval.content_hash, "reason": reason})
    _record_visit_change(user, visit)
    return addendum


def history_of(visit_id) -> dict:
    """Return a visit's approvals and addenda, oldest first."""
    approvals = db.session.execute(select(VisitApproval).where(VisitApproval.visit_id == visit_id)
                                   .order_by(VisitApproval.number)).scalars().all()
    addenda = db.session.execute(select(VisitAddendum).where(VisitAddendum.visit_id == visit_id)
                                 .order_by(VisitAddendum.opened_at)).scalars().all()
    return {"approvals": approvals, "addenda": addenda}


def latest_approval(visit_id) -> VisitApproval | None:
    """Return the last approval of a visit, or None."""
    return db.session.execute(select(VisitApproval).where(VisitApproval.visit_id == visit_id)
                              .order_by(VisitApproval.number.desc()).limit(1)).scalar()


def _record_visit_change(user, visit: Visit) -> None:
    """Queue the visit's new status in the change log, so tablets learn it."""
    record_changes([PendingChange(visit_id=visit.id, entity="visit", key="visit",
                                  data=visit_to_dict(visit), author_id=user.id)])
