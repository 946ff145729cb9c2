"""Review objects as the API shows them: plain JSON-ready dictionaries."""

import uuid
from datetime import date, datetime

from sqlalchemy import select

from ..extensions import db
from ..models import ConflictResolution, SyncConflict
from ..sync.fields import conflict_to_dict
from .conflicts import resolution_to_dict


def plain(value):
    """Return a value with dates as ISO text and UUIDs as text, recursively."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return value


def row_to_dict(row, today: date) -> dict:
    """Return one dashboard line."""
    f, latest = row.facility, row.latest
    return plain({
        "facility_id": f.id, "commission_id": f.commission_id, "region": f.region,
        "kind": f.kind, "names": {"ru": f.name_ru, "kk": f.name_kk, "en": f.name_en},
        "latest_visit_id": latest.visit_id if latest else None,
        "score": row.score, "coverage": latest.coverage if latest else None,
        "sets": {k: {"score": v[0], "coverage": v[1]}
                 for k, v in ((latest.sets or {}) if latest else {}).items()},
        "critical_unmet": row.critical, "trend": row.trend, "drafts": row.drafts,
        "last_visit": row.last_visit, "next_due": row.next_due, "overdue": row.overdue(today),
    })


def conflict_list(visit) -> list[dict]:
    """Return a visit's conflicts, open first, each with its resolution."""
    rows = db.session.execute(select(SyncConflict).where(SyncConflict.visit_id == visit.id)
                              .order_by(SyncConflict.created_at, SyncConflict.id)).scalars().all()
    settled = {r.conflict_id: r for r in db.session.execute(
        select(ConflictResolution).where(ConflictResolution.visit_id == visit.id)).scalars()}
    out = [{**conflict_to_dict(row), "clock_skew": row.reason == "clock_skew",
            "resolution": resolution_to_dict(settled[row.id]) if row.id in settled else None}
           for row in rows]
    return sorted(out, key=lambda c: c["status"] != "open")


def approval_to_dict(row, snapshot: bool = False) -> dict:
    """Return an approval: number, signer, time, cursor reviewed, content hash."""
    data = {"id": str(row.id), "visit_id": str(row.visit_id), "number": row.number,
            "signed_by_id": str(row.signed_by_id), "signed_at": row.signed_at.isoformat(),
            "cursor": row.cursor, "content_hash": row.content_hash}
    if snapshot:
        data["snapshot"] = row.snapshot
    return data


def addendum_to_dict(row) -> dict:
    """Return an addendum: which approval it amends, why, by whom, when."""
    return {"id": str(row.id), "visit_id": str(row.visit_id),
            "approval_id": str(row.approval_id), "reason": row.reason,
            "opened_by_id": str(row.opened_by_id), "opened_at": row.opened_at.isoformat()}
