"""Exports: the visit list and every answer, as tables of ids and labels in one language.

Each table has two header rows: the column ids (indicator ids for answers, with the regime
in brackets for questions asked per regime) and their labels in the chosen language.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..catalogue import all_standards, available_forms
from ..extensions import db
from ..i18n import translate
from ..models import REGIMES, Answer, Facility, Visit, VisitSummary
from ..scope import is_sensitive_field, scoped, sees_sensitive
from .summaries import refresh_summaries


@dataclass
class Table:
    """A table to write: column ids, their labels, rows of plain values."""

    name: str
    ids: list
    labels: list
    rows: list


def visit_query(user, filters: dict):
    """Return the SELECT of visits in scope matching commission, region, kind and period."""
    query = scoped(user, Visit)
    for name in ("commission_id", "region", "kind"):
        if filters.get(name):
            query = query.where(getattr(Facility, name) == filters[name])
    if filters.get("date_from"):
        query = query.where(Visit.started_at >= datetime.combine(filters["date_from"], time.min,
                                                                 UTC))
    if filters.get("date_to"):
        query = query.where(Visit.started_at < datetime.combine(filters["date_to"], time.max,
                                                                UTC))
    return query


def _visits(user, filters: dict) -> list:
    """Return the filtered visits with facility, commission and signer loaded, oldest first."""
    query = (visit_query(user, filters).order_by(Visit.started_at, Visit.id)
             .options(joinedload(Visit.facility).joinedload(Facility.commission),
                      joinedload(Visit.approved_by), selectinload(Visit.form_version)))
    return db.session.execute(query).unique().scalars().all()


VISIT_COLUMNS = ("visit_id", "commission", "region", "facility_id", "facility", "kind",
                 "started_at", "ended_at", "status", "facility_score", "coverage",
                 "critical_unmet", "unmet", "approved_at", "approved_by", "content_hash")


def _visit_row(visit, summary, set_ids, lang: str) -> list:
    """Return one line of the visit list."""
    facility = visit.facility
    sets = (summary.sets if summary else {}) or {}
    signer = visit.approved_by
    return [str(visit.id), facility.commission.slug, facility.region, str(facility.id),
            facility.name(lang), facility.kind, visit.started_at, visit.ended_at, visit.status,
            summary.facility_score if summary else None, summary.coverage if summary else None,
            summary.critical_unmet if summary else None, summary.unmet if summary else None,
            visit.approved_at, (signer.full_name or signer.username) if signer else None,
            visit.content_hash] + [(sets.get(s) or [None])[0] for s in set_ids]


def visits_table(user, filters: dict, lang: str) -> Table:
    """Return the visit list with headline scores."""
    refresh_summaries()
    visits = _visits(user, filters)
    ids = [v.id for v in visits]
    summaries = {s.visit_id: s for s in db.session.execute(
        select(VisitSummary).where(VisitSummary.visit_id.in_(ids))).scalars()} if ids else {}
    set_ids = sorted({s.id for s in all_standards()})
    columns = list(VISIT_COLUMNS) + [f"set.{s}" for s in set_ids]
    labels = [translate(f"review.col.{c}", lang) for c in VISIT_COLUMNS]
    labels += [_set_title(s, lang) for s in set_ids]
    rows = [_visit_row(v, summaries.get(v.id), set_ids, lang) for v in visits]
    return Table("visits", columns, labels, rows)


def _set_title(set_id: str, lang: str) -> str:
    """Return a standard set's title in a language."""
    found = next((s for s in all_standards() if s.id == set_id), None)
    return found.title.get(lang) if found else set_id


def _questions(visits) -> dict:
    """Return the questions of the visits' form versions by id."""
    forms = {(v.form_version.form_id, v.form_version.version) for v in visits if v.form_version}
    questions = {}
    for key in sorted(forms):
        form = available_forms().get(key)
        for question in form.questions if form else ():
            questions.setdefault(question.id, question)
    return questions


def _exported(user, question, free_text: bool) -> bool:
    """Tell whether a question's answers go into the export.

    Free-text answers may name people: only when asked for (audited with the filters).
    Sensitive domains only for those who read them (server/scope.py).
    """
    if is_sensitive_field(question.id) and not sees_sensitive(user):
        return False
    return question.type != "text" or free_text


def _answer_columns(questions: dict, answers, lang: str) -> list[tuple]:
    """Return (question id, regime, id text, label) of every column the answers need."""
    used = {(a.question_id, a.regime or "") for a in answers}
    columns = []
    for qid, question in questions.items():
        for regime in (("", *REGIMES) if question.per_regime else ("",)):
            if not regime or (qid, regime) in used:
                label = question.label.get(lang)
                if regime:
                    label = f"{label} — {translate('regime.' + regime, lang)}"
                columns.append((qid, regime, f"{qid}[{regime}]" if regime else qid, label))
    return columns


def answers_table(user, filters: dict, lang: str) -> Table:
    """Return one line per visit, one column per indicator (and regime).

    Free-text answers only with free_text=include (which may name people).
    """
    visits = _visits(user, filters)
    ids = [v.id for v in visits]
    answers = db.session.execute(select(Answer).where(Answer.visit_id.in_(ids))
                                 ).scalars().all() if ids else []
    free_text = filters.get("free_text") == "include" and sees_sensitive(user)
    questions = {qid: q for qid, q in _questions(visits).items()
                 if _exported(user, q, free_text)}
    values = {(a.visit_id, a.question_id, a.regime or ""): a.value for a in answers
              if a.question_id in questions}
    columns = _answer_columns(questions, answers, lang)
    head = ["visit_id", "facility_id", "facility", "started_at", "status"]
    labels = [translate(f"review.col.{c}", lang) for c in head]
    rows = [[str(v.id), str(v.facility_id), v.facility.name(lang), v.started_at, v.status]
            + [values.get((v.id, qid, regime)) for qid, regime, _i, _l in columns]
            for v in visits]
    return Table("answers", head + [c[2] for c in columns], labels + [c[3] for c in columns],
                 rows)
