"""The chair's dashboard: every facility in scope with its latest scores, trend and due date.

Two bounded queries after the summaries are fresh: the facilities in scope (filtered by
commission, region and kind), and the summaries of their visits. Scores come from the
latest visit whatever its status: a draft's unmet critical rule is news the chair needs
now, so the row says when its latest visit is still a draft (inspectors may be answering).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import Facility, VisitSummary, utcnow
from ..scope import scoped
from .summaries import refresh_summaries

# Days between visits, by facility kind (docs/review.md): police custody and special
# reception centres hold people for days, so they are visited every quarter; pre-trial,
# juvenile and medical institutions twice a year; other institutions once a year.
DUE_DAYS = {"ivs": 91, "special_reception": 91, "sizo": 182, "juvenile": 182, "medical": 182}
DEFAULT_DUE_DAYS = 365
TREND_VISITS = 12


def due_days(kind: str) -> int:
    """Return how many days may pass between two visits to a facility of a kind."""
    return DUE_DAYS.get(kind, DEFAULT_DUE_DAYS)


@dataclass
class FacilityRow:
    """One dashboard line."""

    facility: Facility
    latest: object = None  # the latest scored VisitSummary, as a plain row
    last_visit: date | None = None
    trend: list = field(default_factory=list)
    drafts: int = 0
    next_due: date | None = None

    @property
    def score(self):
        """Return the latest facility score, or None."""
        return self.latest.facility_score if self.latest else None

    @property
    def critical(self) -> int:
        """Return the latest visit's count of unmet critical rules."""
        return self.latest.critical_unmet if self.latest else 0

    def overdue(self, today: date) -> bool:
        """Tell whether the next visit is due today or earlier."""
        return self.next_due is None or self.next_due <= today


def _rows(facilities, summaries) -> list[FacilityRow]:
    """Group summaries (ordered by start) into one row per facility."""
    rows = {f.id: FacilityRow(f) for f in facilities}
    for summary in summaries:
        row = rows[summary.facility_id]
        row.last_visit, row.latest = summary.started_at.date(), summary
        row.drafts += summary.status == "draft"
        if summary.facility_score is not None:
            row.trend = (row.trend + [summary.facility_score])[-TREND_VISITS:]
    for row in rows.values():
        if row.last_visit is not None:
            row.next_due = row.last_visit + timedelta(days=due_days(row.facility.kind))
    return list(rows.values())


def facility_query(user, filters: dict):
    """Return the SELECT of facilities in scope matching the filters."""
    query = scoped(user, Facility)
    for name in ("commission_id", "region", "kind"):
        if filters.get(name):
            query = query.where(getattr(Facility, name) == filters[name])
    return query


SORTS = {
    "worst": lambda r, lang: (-r.critical, 1000 if r.score is None else r.score,
                              r.facility.name(lang)),
    "score": lambda r, lang: (r.score is None, r.score or 0, r.facility.name(lang)),
    "critical": lambda r, lang: (-r.critical, r.facility.name(lang)),
    "last_visit": lambda r, lang: (r.last_visit or date.min, r.facility.name(lang)),
    "due": lambda r, lang: (r.next_due or date.min, r.facility.name(lang)),
    "name": lambda r, lang: (r.facility.name(lang),),
    "region": lambda r, lang: (r.facility.region, r.facility.name(lang)),
}


# Plain rows, not ORM objects: 3,000 of them load several times faster.
SUMMARY_COLUMNS = (VisitSummary.visit_id, VisitSummary.facility_id, VisitSummary.started_at,
                   VisitSummary.status, VisitSummary.facility_score, VisitSummary.coverage,
                   VisitSummary.critical_unmet, VisitSummary.sets)


def dashboard_rows(user, filters: dict, lang: str) -> list[FacilityRow]:
    """Return the dashboard's rows for a user, filtered and sorted (worst first by default)."""
    refresh_summaries()
    query = facility_query(user, filters)
    facilities = db.session.execute(
        query.options(joinedload(Facility.commission))).unique().scalars().all()
    ids = query.with_only_columns(Facility.id)
    summaries = db.session.execute(
        select(*SUMMARY_COLUMNS).where(VisitSummary.facility_id.in_(ids))
        .order_by(VisitSummary.started_at, VisitSummary.visit_id)).all()
    rows = _rows(facilities, summaries)
    below = filters.get("score_below")
    if below is not None:
        rows = [r for r in rows if r.score is not None and r.score < below]
    rows.sort(key=lambda r: SORTS[filters.get("sort") or "worst"](r, lang),
              reverse=filters.get("order") == "desc")
    return rows


def today() -> date:
    """Return today's date in UTC."""
    return utcnow().date()
