"""Facility and visit facts shared by the report kinds, and the content hash of a visit."""

import hashlib
import json

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Note, PhotoLink
from .formatting import day, label
from .review import approval_of, findings_for


def facility_facts(facility, lang: str) -> dict:
    """Return what every report says about a facility."""
    commission = facility.commission
    return {
        "name": facility.name(lang),
        "kind": label(f"kind.{facility.kind}", lang),
        "region": label(f"region.{facility.region}", lang),
        "commission": getattr(commission, f"name_{lang}", None) or commission.name_ru,
        "regimes": ", ".join(label(f"regime.{r}", lang) for r in facility.regimes or ()),
        "populations": ", ".join(label(f"population.{p}", lang)
                                 for p in facility.populations or ()),
        "capacity": facility.capacity,
        "address": facility.address or "",
    }


def visit_rows(visit) -> dict:
    """Load a visit's notes and photo links in a stable order."""
    notes = db.session.execute(select(Note).where(Note.visit_id == visit.id)
                               .order_by(Note.created_at, Note.id)).scalars().all()
    photos = db.session.execute(select(PhotoLink).where(PhotoLink.visit_id == visit.id)
                                .order_by(PhotoLink.created_at, PhotoLink.id)).scalars().all()
    return {"notes": notes, "photos": photos}


def facility_payload(facility) -> dict:
    """Return the facility fields a report prints."""
    c = facility.commission
    return {"id": str(facility.id), "names": [facility.name_ru, facility.name_kk,
                                              facility.name_en],
            "kind": facility.kind, "region": facility.region,
            "regimes": sorted(facility.regimes or ()),
            "populations": sorted(facility.populations or ()), "capacity": facility.capacity,
            "address": facility.address, "commission": [c.name_ru, c.name_kk, c.name_en]}


def visit_payload(visit, rows: dict) -> dict:
    """Return every stored fact a visit report prints, as plain JSON-ready data."""
    answers = sorted((a.question_id, a.regime or "", a.value) for a in visit.answers)
    return {
        "visit": [str(visit.id), visit.status, visit.started_at.isoformat(),
                  visit.ended_at.isoformat() if visit.ended_at else None,
                  str(visit.form_version_id) if visit.form_version_id else None],
        "team": sorted((str(u.id), u.full_name or u.username) for u in visit.team),
        "facility": facility_payload(visit.facility),
        "answers": answers,
        "notes": [(str(n.id), n.domain, n.question_id, n.text, n.created_at.isoformat())
                  for n in rows["notes"]],
        "photos": [(str(p.id), p.sha256, p.domain, p.question_id, p.caption)
                   for p in rows["photos"]],
        "approval": approval_of(visit),
        "findings": findings_for(visit),
    }


def content_hash(payload) -> str:
    """Return the SHA-256 of a payload's canonical JSON."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def team_names(visit) -> str:
    """Return the visit team's names, the creator first."""
    people = sorted(visit.team, key=lambda u: (u.id != visit.created_by_id, u.full_name))
    if not people and visit.created_by is not None:
        people = [visit.created_by]
    return ", ".join(u.full_name or u.username for u in people)


def visit_dates(visit, lang: str) -> str:
    """Return the visit's date, or its span when it ran over several days."""
    start, end = visit.started_at.date(), (visit.ended_at or visit.started_at).date()
    return day(start, lang) if start == end else f"{day(start, lang)} – {day(end, lang)}"


def answers_by_visit(visit_ids) -> dict:
    """Load the answers of many visits in one query, grouped by visit id."""
    grouped: dict = {visit_id: [] for visit_id in visit_ids}
    if not grouped:
        return grouped
    rows = db.session.execute(select(Answer).where(Answer.visit_id.in_(list(grouped))))
    for answer in rows.scalars():
        grouped[answer.visit_id].append(answer)
    return grouped
