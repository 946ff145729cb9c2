"""Adapters to the review work (issue 6): approval, findings carried over, open findings.

The approval comes from the visit's sign-off columns, the findings from server/review: a
finding is an unmet rule of an approved visit, followed over the facility's later visits.
"""

from ..catalogue import form_of
from ..review.followup import findings_for as carried
from ..review.followup import open_findings as open_rows


def approval_of(visit) -> dict | None:
    """Return {signer, at, content_hash} of an approved visit, or None."""
    at = getattr(visit, "approved_at", None)
    if at is None:
        return None
    signer = getattr(visit, "approved_by", None)
    name = getattr(signer, "full_name", None) or getattr(signer, "username", None) or ""
    return {"signer": name, "at": at, "content_hash": getattr(visit, "content_hash", "") or ""}


def findings_for(visit) -> list[dict]:
    """Return findings carried over to this visit from earlier ones, with their status.

    Each is {rule_id, indicator, domain, severity, first_found (date), status:
    open | resolved | worse, labels: {ru, kk, en} of the indicator, …} (server/review).
    """
    form = form_of(visit)
    out = []
    for finding in carried(visit):
        question = form.question(finding["indicator"]) if form else None
        labels = question.label.to_dict() if question else {}
        out.append({**finding, "labels": labels})
    return out


def open_findings_of(facility, today) -> list[dict]:
    """Return a facility's open findings, the most severe and oldest first, aged to a day."""
    return open_rows(facility.id, today)
