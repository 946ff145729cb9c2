"""The content of a visit as canonical JSON, and its SHA-256: what an approval signs.

The snapshot holds the visit's own fields, every answer with who wrote it from which
device, every note, and every photo with both hashes of its stored bytes (as sent and as
stored without metadata). Statuses, clocks and timestamps of bookkeeping are left out, so
approving (which changes the status) does not change the hash.
"""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Answer, Blob, Note, PhotoLink, Visit


def _plain(value):
    """Return a JSON value with integral floats as integers (90.0 and 90 hash alike)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def canonical_json(payload) -> str:
    """Serialise a payload the same way every time."""
    return json.dumps(_plain(payload), sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False, default=str)


def content_hash(snapshot: dict) -> str:
    """Return the SHA-256 of a snapshot's canonical JSON."""
    return hashlib.sha256(canonical_json(snapshot).encode()).hexdigest()


def _text(value):
    """Return a UUID or timestamp as text, None as None."""
    if value is None:
        return None
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _visit_part(visit: Visit) -> dict:
    """Return the visit's own fields."""
    form = visit.form_version
    return {"id": str(visit.id), "facility_id": str(visit.facility_id),
            "form": [form.form_id, form.version, form.content_hash] if form else None,
            "started_at": _text(visit.started_at), "ended_at": _text(visit.ended_at),
            "team": sorted(str(user.id) for user in visit.team)}


def build_snapshot(visit: Visit, answers, notes, photos, blobs: dict) -> dict:
    """Return the snapshot of a visit from its rows (blobs: {sha256: stored sha256})."""
    return {
        "visit": _visit_part(visit),
        "answers": sorted([a.question_id, a.regime or "", _plain(a.value), str(a.author_id),
                           a.device_id] for a in answers),
        "notes": sorted([str(n.id), n.domain, n.question_id, n.text, str(n.author_id),
                         n.device_id, _text(n.created_at)] for n in notes),
        "photos": sorted([str(p.id), p.sha256, blobs.get(p.sha256), p.question_id, p.domain,
                          p.caption, str(p.author_id), p.device_id] for p in photos),
    }


def _children(model, visit_ids) -> dict:
    """Return {visit_id: [rows]} of one child model for many visits, in one query."""
    found: dict = {visit_id: [] for visit_id in visit_ids}
    for row in db.session.execute(select(model).where(model.visit_id.in_(visit_ids))).scalars():
        found[row.visit_id].append(row)
    return found


def snapshots_of(visits) -> dict:
    """Return {visit_id: snapshot} read fresh from the database, a few queries per batch."""
    ids = [visit.id for visit in visits]
    if not ids:
        return {}
    answers, notes, photos = (_children(model, ids) for model in (Answer, Note, PhotoLink))
    shas = {p.sha256 for rows in photos.values() for p in rows}
    blobs = dict(db.session.execute(select(Blob.sha256, Blob.stored_sha256)
                                    .where(Blob.sha256.in_(shas))).all()) if shas else {}
    return {visit.id: build_snapshot(visit, answers[visit.id], notes[visit.id],
                                     photos[visit.id], blobs) for visit in visits}


def snapshot_of(visit: Visit) -> dict:
    """Return one visit's snapshot, read fresh from the database."""
    db.session.flush()
    return snapshots_of([visit])[visit.id]


def approved_visits(batch_size: int):
    """Yield approved visits in batches, with their form version and team loaded."""
    last = None
    while True:
        query = (select(Visit).where(Visit.status == "approved")
                 .options(selectinload(Visit.team), selectinload(Visit.form_version))
                 .order_by(Visit.id).limit(batch_size))
        if last is not None:
            query = query.where(Visit.id > last)
        rows = db.session.execute(query).scalars().all()
        if not rows:
            return
        yield rows
        last = rows[-1].id
