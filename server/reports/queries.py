"""The database reads of reports: visits in a scope and period, scored histories, fingerprints."""

from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..catalogue import score_stored_visit, version_key, versions_for
from ..extensions import db
from ..models import Answer, Facility, Note, PhotoLink, Visit
from ..scope import scoped
from .facts import answers_by_visit, content_hash
from .review import approval_of


def _moment(day: date) -> datetime:
    """Return midnight UTC of a date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def visits_in(user, start: date, end: date, commissions=(), regions=(), kinds=()):
    """Return the SELECT of visits in the user's scope started in [start, end)."""
    query = (scoped(user, Visit).where(Visit.started_at >= _moment(start),
                                       Visit.started_at < _moment(end))
             .options(selectinload(Visit.facility).selectinload(Facility.commission),
                      selectinload(Visit.team)))
    if commissions:
        query = query.where(Facility.commission_id.in_(list(commissions)))
    if regions:
        query = query.where(Facility.region.in_(list(regions)))
    if kinds:
        query = query.where(Facility.kind.in_(list(kinds)))
    return query.order_by(Visit.started_at, Visit.id)


def load_visits(query) -> list:
    """Run a visit query."""
    return list(db.session.execute(query).scalars().unique())


def scored_history(visits) -> list[tuple]:
    """Score many visits with one answer query; return [(visit, scored)] in order."""
    answers = answers_by_visit([v.id for v in visits])
    return [(v, score_stored_visit(v, answers[v.id])) for v in visits]


def fingerprint(visits) -> str:
    """Return a hash that changes whenever anything printed about these visits changes."""
    ids = [v.id for v in visits]
    aggregates = []
    for model, stamp in ((Answer, Answer.updated_at), (Note, Note.created_at),
                         (PhotoLink, PhotoLink.created_at)):
        row = db.session.execute(select(func.count(), func.max(stamp))
                                 .where(model.visit_id.in_(ids))).one() if ids else (0, None)
        aggregates.append([row[0], str(row[1])])
    per_visit = [[str(v.id), v.status, v.started_at.isoformat(), str(v.updated_at),
                  approval_of(v), str(v.facility.updated_at), version_key(*versions_for(v))]
                 for v in visits]
    return content_hash([aggregates, per_visit])


def facility_visits(facility) -> list:
    """Return a facility's visits, oldest first."""
    query = (select(Visit).where(Visit.facility_id == facility.id)
             .options(selectinload(Visit.team)).order_by(Visit.started_at, Visit.id))
    return load_visits(query)
