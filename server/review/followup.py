"""Findings as pages and reports show them: carried over to a visit, open at a facility."""

from datetime import date

from sqlalchemy import select

from ..catalogue import score_stored_visit
from ..extensions import db
from ..models import Finding, utcnow
from .findings import carried_rows, finding_key, follow_status, result_key

SEVERITY_ORDER = {"critical": 0, "major": 1, "minor": 2}


def _previous_value(row: Finding, visit) -> object:
    """Return the finding's value at the last approved visit before this one."""
    day, value = visit.started_at.date().isoformat(), row.first_value
    for visit_id, when, status, seen in row.history or []:
        if visit_id != str(visit.id) and when <= day and status != "not_assessed":
            value = seen
    return value


def _stored_status(row: Finding, visit) -> str | None:
    """Return what an approval recorded about a finding at this visit, or None."""
    return next((h[2] for h in row.history or [] if h[0] == str(visit.id)), None)


def finding_to_dict(row: Finding, today: date | None = None) -> dict:
    """Return a finding as the API shows it, with its age in days."""
    today = today or utcnow().date()
    return {"id": str(row.id), "facility_id": str(row.facility_id), "set_id": row.set_id,
            "rule_id": row.rule_id, "regime": row.regime or None, "indicator": row.indicator,
            "domain": row.domain, "severity": row.severity, "status": row.status,
            "worse": row.worse, "first_found": row.first_found,
            "first_visit_id": str(row.first_visit_id), "last_value": row.last_value,
            "resolved_on": row.resolved_on, "age_days": (today - row.first_found).days,
            "history": row.history or []}


def findings_for(visit, scored=None) -> list[dict]:
    """Return the findings carried over to a visit: resolved, open, worse or not assessed."""
    rows = carried_rows(visit)
    if not rows:
        return []
    scored = scored or score_stored_visit(visit)
    results = {result_key(r): r for r in scored.score.rules}
    out = []
    for row in rows:
        result = results.get(finding_key(row))
        status = _stored_status(row, visit) or follow_status(
            row, result, _previous_value(row, visit))
        out.append({**finding_to_dict(row, visit.started_at.date()),
                    "status": "open" if status == "not_assessed" else status,
                    "assessed": status != "not_assessed",
                    "value": None if result is None else result.value,
                    "previous_value": _previous_value(row, visit)})
    return sorted(out, key=lambda f: (f["status"] == "resolved",
                                      SEVERITY_ORDER.get(f["severity"], 3), f["first_found"]))


def open_findings(facility_id, today: date | None = None) -> list[dict]:
    """Return a facility's open findings, the most severe and oldest first."""
    rows = db.session.execute(select(Finding).where(
        Finding.facility_id == facility_id, Finding.status == "open")).scalars().all()
    found = [finding_to_dict(row, today) for row in rows]
    return sorted(found, key=lambda f: (SEVERITY_ORDER.get(f["severity"], 3), f["first_found"],
                                        f["set_id"], f["rule_id"]))
