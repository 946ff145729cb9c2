"""Conflicts as the chair sees them: both values, authors, devices, clock times, skew flags."""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from ..catalogue import form_of
from ..extensions import db
from ..i18n import translate
from ..models import ConflictResolution
from ..reports.outcomes import value_text
from ..sync.hlc import SKEW_LIMIT_MS, parse_hlc
from .conflicts import parse_field, resolution_to_dict


def hlc_time(text: str | None) -> datetime | None:
    """Return the wall-clock time of a clock reading."""
    reading = parse_hlc(text)
    return None if reading is None else datetime.fromtimestamp(reading.ms / 1000, UTC)


def _value(value, question, kind: str, names: dict, lang: str) -> str:
    """Return a conflicting value as text."""
    if kind == "answer":
        return value_text(value, question, question.unit if question else None, lang)
    if isinstance(value, list):
        return ", ".join(names.get(_uuid(v), str(v)) for v in value) or "—"
    return "—" if value is None else str(value)


def _uuid(text):
    """Return a UUID from text (the team lists ids as text)."""
    try:
        return uuid.UUID(str(text))
    except ValueError:
        return text


def _side(row, prefix: str, question, kind: str, names: dict, lang: str) -> dict | None:
    """Return one side of a conflict, or None when it has none."""
    hlc = getattr(row, f"{prefix}_hlc")
    if hlc is None:
        return None
    at = hlc_time(hlc)
    ahead = at is not None and (at - row.created_at).total_seconds() * 1000 > SKEW_LIMIT_MS
    return {"value": _value(getattr(row, f"{prefix}_value"), question, kind, names, lang),
            "raw": getattr(row, f"{prefix}_value"), "hlc": hlc, "at": at, "ahead": ahead,
            "author": names.get(getattr(row, f"{prefix}_author_id"), "—"),
            "device": getattr(row, f"{prefix}_device_id")}


def _label(kind: str, name: str, regime, question, lang: str) -> str:
    """Return the field's label: the question (and regime), or the visit attribute."""
    if kind == "visit":
        return translate(f"review.visit_field.{name}", lang)
    text = question.label.get(lang) if question else name
    return f"{text} — {translate('regime.' + regime, lang)}" if regime else text


def conflict_views(visit, rows, names: dict, lang: str) -> list[dict]:
    """Return a visit's conflicts, open ones first, each with both sides and its resolution."""
    form = form_of(visit)
    ids = [row.id for row in rows]
    settled = {r.conflict_id: r for r in db.session.execute(
        select(ConflictResolution).where(ConflictResolution.conflict_id.in_(ids))).scalars()
    } if ids else {}
    out = []
    for row in rows:
        kind, name, regime = parse_field(row.field)
        question = form.question(name) if form and kind == "answer" else None
        resolution = settled.get(row.id)
        out.append({
            "id": row.id, "field": row.field, "kind": kind, "question": question,
            "label": _label(kind, name, regime, question, lang), "reason": row.reason,
            "skew": row.reason == "clock_skew", "status": row.status, "at": row.created_at,
            "winner": _side(row, "winner", question, kind, names, lang),
            "loser": _side(row, "loser", question, kind, names, lang),
            "resolution": resolution and {**resolution_to_dict(resolution),
                                          "resolved_at": resolution.resolved_at,
                                          "by": names.get(resolution.resolved_by_id, "—")},
        })
    return sorted(out, key=lambda c: (c["status"] != "open", c["at"]))
