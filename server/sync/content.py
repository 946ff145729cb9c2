"""Operations on what a visit records: answer.set, answer.clear, note.add, photo.attach."""

import uuid

from ..extensions import db
from ..models import Note, PhotoLink, Visit
from .context import APPLIED, FreshAnswer, Outcome, PushContext, rejected
from .fields import write_field
from .validation import answer_problem, place_problem


def answer_key(question_id: str, regime: str) -> str:
    """Return the field name of an answer (regime '' when not asked per regime)."""
    return f"answer:{question_id}:{regime}"


def _store_answer(ctx: PushContext, visit: Visit, question_id: str, regime: str, value) -> None:
    """Make the answer row hold a value (None removes the row)."""
    key = (visit.id, question_id, regime)
    answer = ctx.answers.get(key)
    if value is None:
        if answer is not None:
            if key in ctx.fresh_answers:
                ctx.fresh_answers.discard(key)  # set and cleared within this batch
            else:
                db.session.delete(answer)
                db.session.flush()  # a later set of the same answer inserts a new row
            del ctx.answers[key]
        return
    if answer is None:
        answer = FreshAnswer(uuid.uuid4(), visit.id, question_id, regime)
        ctx.answers[key] = answer
        ctx.fresh_answers.add(key)
    answer.value, answer.hlc, answer.author_id = value, ctx.fields["hlc"], ctx.user.id
    answer.device_id, answer.updated_at = ctx.device_id, ctx.now


def write_answer(ctx: PushContext, visit: Visit, fields: dict) -> Outcome:
    """Apply answer.set or answer.clear (value None) by last-writer-wins."""
    question_id, regime = fields["question_id"], fields["regime"] or ""
    value = fields.get("value")
    problem = answer_problem(ctx.form(visit), visit.facility, question_id, regime, value)
    if problem:
        return rejected(problem)
    current = ctx.answer(visit.id, question_id, regime)
    key = answer_key(question_id, regime)
    written = write_field(ctx, visit.id, key, value, current.value if current else None)
    if written.won:
        _store_answer(ctx, visit, question_id, regime, value)
        data = {"question_id": question_id, "regime": regime, "value": value}
        ctx.change(visit.id, "answer", key, data, [written.clock])
    return written.outcome()


def clear_answer(ctx: PushContext, visit: Visit, fields: dict) -> Outcome:
    """Apply answer.clear."""
    return write_answer(ctx, visit, {**fields, "value": None})


def add_note(ctx: PushContext, visit: Visit, fields: dict) -> Outcome:
    """Apply note.add: append a note (notes are never merged or overwritten)."""
    value = fields["value"]
    problem = place_problem(ctx.form(visit), value["domain"], fields["question_id"])
    if problem:
        return rejected(problem)
    note_id = value["note_id"] or ctx.op["op_id"]
    if db.session.get(Note, note_id) is not None:
        return rejected("duplicate_id")
    note = Note(id=note_id, visit_id=visit.id, domain=value["domain"],
                question_id=fields["question_id"], text=value["text"], hlc=fields["hlc"],
                author_id=ctx.user.id, device_id=ctx.device_id, created_at=ctx.now)
    db.session.add(note)
    ctx.change(visit.id, "note", f"note:{note_id}", note_to_dict(note))
    return APPLIED


def attach_photo(ctx: PushContext, visit: Visit, fields: dict) -> Outcome:
    """Apply photo.attach: link a photo, by content hash, to the visit, a domain or a question."""
    value = fields["value"]
    problem = place_problem(ctx.form(visit), value["domain"], fields["question_id"])
    if problem:
        return rejected(problem)
    photo_id = value["photo_id"] or ctx.op["op_id"]
    if db.session.get(PhotoLink, photo_id) is not None:
        return rejected("duplicate_id")
    link = PhotoLink(id=photo_id, visit_id=visit.id, sha256=value["sha256"],
                     question_id=fields["question_id"], domain=value["domain"],
                     caption=value["caption"] or "", author_id=ctx.user.id,
                     device_id=ctx.device_id, created_at=ctx.now)
    db.session.add(link)
    ctx.blob_refs.add(link.sha256)
    ctx.change(visit.id, "photo", f"photo:{photo_id}", photo_to_dict(link))
    return APPLIED


def note_to_dict(note: Note) -> dict:
    """Return a note as the change log and the API show it."""
    return {"id": str(note.id), "domain": note.domain, "question_id": note.question_id,
            "text": note.text, "hlc": note.hlc, "author_id": str(note.author_id),
            "device_id": note.device_id, "created_at": note.created_at.isoformat()}


def photo_to_dict(link: PhotoLink) -> dict:
    """Return a photo link as the change log and the API show it."""
    return {"id": str(link.id), "sha256": link.sha256, "question_id": link.question_id,
            "domain": link.domain, "caption": link.caption, "author_id": str(link.author_id),
            "device_id": link.device_id, "created_at": link.created_at.isoformat()}
