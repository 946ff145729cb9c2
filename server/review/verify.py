"""Check every approved visit: its stored data must still hash to what was signed."""

from dataclasses import dataclass

from sqlalchemy import select

from ..extensions import db
from ..models import VisitApproval
from .snapshot import approved_visits, content_hash, snapshots_of

BATCH = 200


@dataclass(frozen=True)
class ApprovalProblem:
    """An approved visit whose data or approval record no longer matches its signature."""

    visit_id: str
    reason: str

    def __str__(self) -> str:
        return f"approved visit {self.visit_id}: {self.reason}"


def _latest_approvals(visit_ids) -> dict:
    """Return {visit id: its last approval} for some visits, in one query."""
    rows = db.session.execute(select(VisitApproval).where(VisitApproval.visit_id.in_(visit_ids))
                              .order_by(VisitApproval.visit_id, VisitApproval.number)).scalars()
    return {row.visit_id: row for row in rows}


def _check(visit, snapshot: dict, approval) -> str | None:
    """Return what is wrong with one approved visit, or None."""
    if approval is None:
        return "no approval record"
    if approval.content_hash != visit.content_hash:
        return "the visit's content hash differs from its approval record"
    if content_hash(approval.snapshot) != approval.content_hash:
        return "the approved snapshot was altered (its hash does not match)"
    if content_hash(snapshot) != visit.content_hash:
        return "stored data changed after approval (content hash does not match)"
    return None


def verify_approvals(batch_size: int = BATCH) -> tuple[int, list[ApprovalProblem]]:
    """Recompute the content hash of every approved visit; return (checked, problems)."""
    checked, problems = 0, []
    for visits in approved_visits(batch_size):
        snapshots = snapshots_of(visits)
        approvals = _latest_approvals([v.id for v in visits])
        for visit in visits:
            reason = _check(visit, snapshots[visit.id], approvals.get(visit.id))
            if reason:
                problems.append(ApprovalProblem(str(visit.id), reason))
        checked += len(visits)
    return checked, problems
