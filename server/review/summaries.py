"""Per-visit score summaries, kept fresh so the dashboard never scores 3,000 visits per page.

A summary is stale when its visit has a change after the seq it was computed at, when the
checklist or standard files change (the catalogue fingerprint), when its facility was
edited after it was computed, or when it is missing. `refresh_summaries` finds stale
summaries with a few bounded queries and recomputes only those, in chunks.
"""

import hashlib

from sqlalchemy import func, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from ..catalogue import all_standards, available_forms, score_stored_visit, versions_for
from ..extensions import db
from ..models import Answer, Facility, ReviewState, SyncChange, Visit, VisitSummary, utcnow
from ..sync.changes import current_head
from ..sync.dbutil import insert_ignore, is_postgres

STATE_ID = 1
CHUNK = 250


def catalogue_fingerprint() -> str:
    """Return a hash of every checklist and standard-set version this server knows."""
    names = sorted(f"{f.id}@{f.version}:{f.digest}" for f in available_forms().values())
    names += sorted(f"{s.id}@{s.version}:{s.digest}" for s in all_standards())
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _distinct(results, outcome: str, severity: str | None = None) -> int:
    """Count the distinct (set, rule) pairs with an outcome (and severity)."""
    return len({(r.set_id, r.rule.id) for r in results if r.outcome == outcome
                and (severity is None or r.rule.severity == severity)})


def summary_values(visit: Visit, scored, change_seq: int) -> dict:
    """Return the summary row of a scored visit."""
    score = scored.score
    return {"visit_id": visit.id, "facility_id": visit.facility_id,
            "started_at": visit.started_at, "status": visit.status, "change_seq": change_seq,
            "versions": scored.versions, "facility_score": score.facility_score,
            "coverage": score.coverage,
            "critical_unmet": _distinct(score.critical_unmet, "not_met", "critical"),
            "unmet": _distinct(score.rules, "not_met"),
            "sets": {s.set_id: [s.tally.score, s.tally.coverage] for s in score.sets},
            "computed_at": utcnow()}


def _upsert(rows: list[dict]) -> None:
    """Insert or replace summary rows in one statement."""
    dialect = postgresql if is_postgres() else sqlite
    statement = dialect.insert(VisitSummary)
    columns = {name: statement.excluded[name] for name in rows[0] if name != "visit_id"}
    db.session.execute(statement.on_conflict_do_update(index_elements=["visit_id"],
                                                       set_=columns), rows)


def _answers(ids: list) -> dict:
    """Return {visit id: [(question id, regime, value)]} as plain rows (no ORM objects)."""
    found: dict = {visit_id: [] for visit_id in ids}
    for row in db.session.execute(select(Answer.visit_id, Answer.question_id, Answer.regime,
                                         Answer.value).where(Answer.visit_id.in_(ids))):
        found[row.visit_id].append(row)
    return found


def _recompute(ids: list) -> None:
    """Score some visits and store their summaries (a fixed number of queries per chunk)."""
    visits = db.session.execute(
        select(Visit).where(Visit.id.in_(ids))
        .options(joinedload(Visit.facility), selectinload(Visit.form_version))
    ).unique().scalars().all()
    answers, versions = _answers(ids), {}
    seqs = dict(db.session.execute(select(SyncChange.visit_id, func.max(SyncChange.seq))
                                   .where(SyncChange.visit_id.in_(ids))
                                   .group_by(SyncChange.visit_id)).all())
    rows = []
    for visit in visits:
        key = (visit.form_version_id, visit.started_at.date())
        if key not in versions:
            versions[key] = versions_for(visit)
        scored = score_stored_visit(visit, answers[visit.id], versions[key])
        rows.append(summary_values(visit, scored, seqs.get(visit.id, 0)))
    if rows:
        _upsert(rows)


def _state(lock: bool = False) -> ReviewState:
    """Return the single state row (created if missing), locked when asked."""
    query = select(ReviewState).where(ReviewState.id == STATE_ID)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    state = db.session.execute(query).scalar_one_or_none()
    if state is None:
        insert_ignore(ReviewState, {"id": STATE_ID, "summarized_seq": 0, "catalogue": ""})
        state = db.session.execute(query).scalar_one()
    return state


def _missing() -> set:
    """Return visits without a summary, or whose facility changed after it was computed."""
    return set(db.session.execute(
        select(Visit.id).join(Facility, Visit.facility_id == Facility.id)
        .outerjoin(VisitSummary, VisitSummary.visit_id == Visit.id)
        .where(or_(VisitSummary.visit_id.is_(None),
                   Facility.updated_at > VisitSummary.computed_at))).scalars())


def _stale(state: ReviewState, head: int, fingerprint: str) -> set:
    """Return the ids of visits whose summary must be recomputed."""
    stale = _missing()
    if state.catalogue != fingerprint:
        return stale | set(db.session.execute(select(Visit.id)).scalars())
    if head > state.summarized_seq:
        stale |= set(db.session.execute(
            select(SyncChange.visit_id).distinct()
            .where(SyncChange.seq > state.summarized_seq, SyncChange.seq <= head)).scalars())
    return stale


def refresh_summaries() -> int:
    """Recompute the stale summaries; return how many were recomputed (flushes)."""
    head, fingerprint = current_head(), catalogue_fingerprint()
    state = _state()
    if state.summarized_seq == head and state.catalogue == fingerprint and not _missing():
        return 0
    state = _state(lock=True)
    stale = sorted(_stale(state, head, fingerprint))
    for start in range(0, len(stale), CHUNK):
        _recompute(stale[start:start + CHUNK])
    state.summarized_seq, state.catalogue = max(head, state.summarized_seq), fingerprint
    db.session.flush()
    return len(stale)


def latest_scores(facility_ids) -> dict:
    """Return {facility id: its latest scored summary row} in one query (summaries fresh).

    The latest by visit start (then visit id) among the visits with a facility score; a
    facility with none is absent.
    """
    if not facility_ids:
        return {}
    rank = func.row_number().over(
        partition_by=VisitSummary.facility_id,
        order_by=(VisitSummary.started_at.desc(), VisitSummary.visit_id.desc())).label("rank")
    ranked = (select(VisitSummary.facility_id, VisitSummary.visit_id, VisitSummary.started_at,
                     VisitSummary.status, VisitSummary.facility_score, VisitSummary.coverage,
                     rank)
              .where(VisitSummary.facility_id.in_(facility_ids),
                     VisitSummary.facility_score.is_not(None))
              .subquery())
    rows = db.session.execute(select(ranked).where(ranked.c.rank == 1)).all()
    return {row.facility_id: row for row in rows}
