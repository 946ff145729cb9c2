"""Visits with answers for report tests and benchmarks, straight into the database.

Values are drawn per question: with probability `quality` one that meets every rule on
the indicator, otherwise one that breaks them, so the reports have findings to print.
"""

import random
import uuid
from datetime import UTC, datetime

from server.catalogue import ensure_form_version, find_form, standards_in_force
from server.extensions import db
from server.forms.units import convert
from server.models import Answer, Facility, Note, Visit

FORM_ID = "detention-visit"
UPPER = (">=", ">")
LOWER = ("<=", "<", "==")


def _thresholds(question, standards) -> tuple[list, list]:
    """Return the question-unit thresholds of rules asking for at least / at most a value."""
    at_least, at_most = [], []
    for std in standards:
        for rule in std.rules:
            if rule.indicator != question.id or rule.threshold is None:
                continue
            value = convert(rule.threshold, rule.unit, question.unit) if question.unit else \
                rule.threshold
            (at_least if rule.comparison in UPPER else at_most).append(value)
    return at_least, at_most


def _number(question, standards, good: bool):
    """Return a number meeting (or breaking) the rules on a numeric question."""
    at_least, at_most = _thresholds(question, standards)
    if at_least:
        value = max(at_least) * 1.25 if good else min(at_least) * 0.5
    elif at_most:
        value = min(at_most) if good else max(at_most) * 2 + 1
    else:
        value = 5
    if question.constraint and question.constraint.max is not None:
        value = min(value, question.constraint.max)
    return round(value) if question.type == "integer" else round(value, 1)


def _boolean(question, standards, good: bool) -> bool:
    """Return a boolean meeting (or breaking) the rules on a yes/no question."""
    wants_false = any(r.indicator == question.id and r.comparison == "is_false"
                      for std in standards for r in std.rules)
    return (not wants_false) if good else wants_false


def answer_values(form, standards, facility, rng, quality: float) -> list[tuple]:
    """Return (question id, regime, value) for every answerable question of a visit."""
    out = []
    for question in form.questions:
        if question.derive or question.type in ("photo", "text"):
            continue
        regimes = (facility.regimes or [""]) if question.per_regime else [""]
        for regime in regimes:
            good = rng.random() < quality
            if question.type == "boolean":
                value = _boolean(question, standards, good)
            elif question.type == "choice":
                value = question.choices[0].value
            else:
                value = _number(question, standards, good)
            out.append((question.id, regime, value))
    return out


def make_visit(facility, author, started_at: datetime, rng=None, quality=0.8,
               overrides=None, notes=()) -> Visit:
    """Create a visit with answers (overrides: {question_id: value}) and notes."""
    rng = rng or random.Random(1)
    form = find_form(FORM_ID, None, started_at.date())
    version = ensure_form_version(form)
    visit = Visit(id=uuid.uuid4(), facility_id=facility.id, form_version_id=version.id,
                  started_at=started_at, ended_at=started_at.replace(hour=16),
                  created_by_id=author.id, status="draft")
    visit.team.append(author)
    db.session.add(visit)
    db.session.flush()
    standards = standards_in_force(started_at.date())
    for question_id, regime, value in answer_values(form, standards, facility, rng, quality):
        value = (overrides or {}).get(question_id, value)
        db.session.add(Answer(visit_id=visit.id, question_id=question_id, regime=regime,
                              value=value, hlc=f"{started_at.timestamp():.0f}:0:test",
                              author_id=author.id, device_id="test-device"))
    for domain, text in notes:
        db.session.add(Note(id=uuid.uuid4(), visit_id=visit.id, domain=domain, text=text,
                            hlc="0:0:test", author_id=author.id, device_id="test-device"))
    db.session.flush()
    return visit


def make_facilities(commission, count: int, kinds=("sizo", "colony_medium", "ivs")) -> list:
    """Create facilities of a commission, cycling through some kinds."""
    rows = []
    for index in range(count):
        kind = kinds[index % len(kinds)]
        regimes = ["strict", "regular"] if kind.startswith("colony") else []
        rows.append(Facility(
            commission_id=commission.id, region=commission.region, kind=kind,
            regimes=regimes, populations=["men"], capacity=100 + index,
            name_ru=f"Учреждение № {index + 1} ({commission.slug})",
            name_kk=f"№ {index + 1} мекеме ({commission.slug}) — әғқңөұүһі",
            name_en=f"Facility No. {index + 1} ({commission.slug})"))
    db.session.add_all(rows)
    db.session.flush()
    return rows


def when(year: int, month: int = 3, day: int = 10) -> datetime:
    """Return a visit start time."""
    return datetime(year, month, day, 8, 0, tzinfo=UTC)
