"""Findings: each unmet rule of an approved visit, followed over the facility's later visits.

On approval every open finding of the facility found before this visit is checked again:
met means resolved; unmet again means still open, or worse when the value moved further
from the threshold; not assessed leaves it open. Unmet rules not already followed become
new findings. Each finding keeps its history: [visit id, date, outcome, value].
"""

from sqlalchemy import or_, select

from ..catalogue import score_stored_visit
from ..extensions import db
from ..models import Finding, Visit

LOWER_IS_WORSE = (">=", ">")
HIGHER_IS_WORSE = ("<=", "<")


def result_key(result) -> tuple:
    """Return (set id, rule id, regime) of a rule result."""
    return result.set_id, result.rule.id, result.regime or ""


def finding_key(row: Finding) -> tuple:
    """Return (set id, rule id, regime) of a finding."""
    return row.set_id, row.rule_id, row.regime


def is_worse(comparison: str, before, after, threshold=None) -> bool:
    """Tell whether a value moved further from a rule's threshold than before."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (before, after))
    if not numbers or -1 in (before, after):  # -1 is "not limited"
        return False
    if comparison in LOWER_IS_WORSE:
        return after < before
    if comparison in HIGHER_IS_WORSE:
        return after > before
    if comparison == "==" and threshold is not None:
        return abs(after - threshold) > abs(before - threshold)
    return False


def follow_status(row: Finding, result, previous) -> str:
    """Return resolved, open, worse or not_assessed for a finding seen again in a result."""
    if result is None or result.outcome in ("not_assessed", "not_applicable"):
        return "not_assessed"
    if result.outcome == "met":
        return "resolved"
    worse = is_worse(row.comparison, previous, result.value, result.threshold)
    return "worse" if worse else "open"


def carried_rows(visit: Visit) -> list[Finding]:
    """Return the facility's findings first found before a visit, open or settled by it."""
    day = visit.started_at.date()
    return list(db.session.execute(
        select(Finding).join(Visit, Finding.first_visit_id == Visit.id)
        .where(Finding.facility_id == visit.facility_id, Finding.first_visit_id != visit.id,
               Visit.started_at < visit.started_at,
               or_(Finding.status == "open", Finding.resolved_on >= day))
        .order_by(Finding.first_found, Finding.set_id, Finding.rule_id, Finding.regime)
    ).scalars())


def _follow(row: Finding, visit: Visit, result) -> None:
    """Record what an approved visit found about an open finding."""
    status = follow_status(row, result, row.last_value)
    history = [h for h in (row.history or []) if h[0] != str(visit.id)]
    history.append([str(visit.id), visit.started_at.date().isoformat(), status,
                    None if result is None else result.value])
    row.history = history
    if status == "resolved":
        row.status, row.resolved_visit_id = "resolved", visit.id
        row.resolved_on = visit.started_at.date()
    elif status != "not_assessed":
        row.worse, row.last_value, row.last_visit_id = status == "worse", result.value, visit.id


def _new(visit: Visit, result) -> Finding:
    """Return a new finding for an unmet rule of a visit."""
    rule, day = result.rule, visit.started_at.date()
    return Finding(facility_id=visit.facility_id, set_id=result.set_id, rule_id=rule.id,
                   regime=result.regime or "", indicator=rule.indicator, domain=rule.domain,
                   severity=rule.severity, comparison=rule.comparison, first_visit_id=visit.id,
                   first_found=day, first_value=result.value, last_visit_id=visit.id,
                   last_value=result.value, status="open", worse=False,
                   history=[[str(visit.id), day.isoformat(), "open", result.value]])


def record_findings(visit: Visit, scored=None) -> None:
    """Update the facility's findings for a visit being approved (flushes)."""
    scored = scored or score_stored_visit(visit)
    results = {result_key(r): r for r in scored.score.rules}
    followed = set()
    for row in carried_rows(visit):
        if row.status == "open" or row.resolved_visit_id == visit.id:
            row.status, row.resolved_visit_id, row.resolved_on = "open", None, None
            _follow(row, visit, results.get(finding_key(row)))
            if row.status == "open":
                followed.add(finding_key(row))
    own = {finding_key(row): row for row in db.session.execute(
        select(Finding).where(Finding.first_visit_id == visit.id)).scalars()}
    for key, row in own.items():
        if key in followed or results.get(key) is None or results[key].outcome != "not_met":
            db.session.delete(row)  # corrected by an addendum, or followed from earlier
    for key, result in results.items():
        if result.outcome == "not_met" and key not in followed and key not in own:
            db.session.add(_new(visit, result))
    db.session.flush()
