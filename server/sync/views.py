"""Read-side helpers: one visit with what sync stored for it, as plain JSON-ready data."""

from sqlalchemy import select

from ..extensions import db
from ..models import Answer, Blob, Note, PhotoLink, SyncConflict, Visit
from ..scope import redact_rows
from .content import note_to_dict, photo_to_dict
from .fields import conflict_to_dict
from .visits import visit_to_dict


def _rows(model, visit: Visit, *order):
    """Return a visit's rows of one model in a stable order."""
    return db.session.execute(select(model).where(model.visit_id == visit.id)
                              .order_by(*order)).scalars().all()


def answer_to_dict(answer: Answer) -> dict:
    """Return an answer as the API shows it."""
    return {"question_id": answer.question_id, "regime": answer.regime, "value": answer.value,
            "hlc": answer.hlc, "author_id": str(answer.author_id),
            "device_id": answer.device_id, "updated_at": answer.updated_at.isoformat()}


def visit_detail(visit: Visit, user=None) -> dict:
    """Return a visit with its answers, notes, photos (and whether each arrived) and conflicts.

    With a user, what they may not read (server/scope.py redact_rows) is left out.
    """
    rows = {"photos": _rows(PhotoLink, visit, PhotoLink.created_at, PhotoLink.id),
            "answers": _rows(Answer, visit, Answer.question_id, Answer.regime),
            "notes": _rows(Note, visit, Note.created_at, Note.id),
            "conflicts": _rows(SyncConflict, visit, SyncConflict.created_at, SyncConflict.id)}
    if user is not None:
        rows = redact_rows(user, rows)
    shas = {link.sha256 for link in rows["photos"]}
    stored = set(db.session.execute(
        select(Blob.sha256).where(Blob.sha256.in_(shas))).scalars()) if shas else set()
    return {
        **visit_to_dict(visit),
        "answers": [answer_to_dict(a) for a in rows["answers"]],
        "notes": [note_to_dict(n) for n in rows["notes"]],
        "photos": [{**photo_to_dict(p), "uploaded": p.sha256 in stored} for p in rows["photos"]],
        "conflicts": [conflict_to_dict(c) for c in rows["conflicts"]],
    }
