"""Everything the visit page shows, as plain data: answers by domain with every rule outcome."""

from sqlalchemy import select

from ..catalogue import score_stored_visit
from ..extensions import db
from ..models import AuditEvent, Blob, Note, PhotoLink, SyncConflict, User
from ..reports.outcomes import rule_view, value_text
from ..scope import redact_finding, redact_rows, sees_sensitive
from ..sync.changes import current_head
from .approval import history_of
from .conflict_view import conflict_views, hlc_time
from .followup import findings_for


def _rows(model, visit, *order):
    """Return a visit's rows of one model in a stable order."""
    return db.session.execute(select(model).where(model.visit_id == visit.id)
                              .order_by(*order)).scalars().all()


def people(ids) -> dict:
    """Return {user id: display name} for some user ids, in one query."""
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(select(User.id, User.full_name, User.username)
                              .where(User.id.in_(ids))).all()
    return {uid: full or name for uid, full, name in rows}


def _answer_views(questions, answers: dict, names: dict, open_fields: set, lang: str) -> list:
    """Return the answered questions of a domain with who answered from which device."""
    out = []
    for question in questions:
        for answer in answers.get(question.id, []):
            out.append({"question_id": question.id, "label": question.label.get(lang),
                        "regime": answer.regime, "author": names.get(answer.author_id, "—"),
                        "value": value_text(answer.value, question, question.unit, lang),
                        "device": answer.device_id,
                        "at": hlc_time(answer.hlc) or answer.updated_at,
                        "conflict": f"answer:{question.id}:{answer.regime}" in open_fields})
    return out


def _domain_views(scored, rows: dict, names: dict, open_fields: set, lang: str,
                  sensitive: bool) -> list:
    """Return each domain: score, rule outcomes (unmet critical first), answers, notes, photos."""
    answers: dict = {}
    for answer in rows["answers"]:
        answers.setdefault(answer.question_id, []).append(answer)
    out = []
    for domain in scored.form.domains:
        questions = [scored.form.question(q) for q in domain.question_ids]
        results = [r for r in scored.score.rules
                   if r.rule.domain == domain.id and r.outcome != "not_applicable"]
        tally = scored.score.domain(domain.id)
        out.append({
            "id": domain.id, "label": domain.label.get(lang),
            "score": tally.tally.score if tally else None,
            "coverage": tally.tally.coverage if tally else None,
            "rules": [rule_view(r, scored, lang, sensitive) for r in results],
            "answers": _answer_views(questions, answers, names, open_fields, lang),
            "unanswered": sum(1 for q in questions if q.id not in answers),
            "notes": [n for n in rows["notes"] if n.domain == domain.id],
            "photos": [p for p in rows["photos"] if p.domain == domain.id],
        })
    return out


def _load(visit) -> dict:
    """Load a visit's answers, notes, photos, conflicts and audit events."""
    photos = _rows(PhotoLink, visit, PhotoLink.created_at, PhotoLink.id)
    shas = {p.sha256 for p in photos}
    stored = set(db.session.execute(select(Blob.sha256).where(Blob.sha256.in_(shas)))
                 .scalars()) if shas else set()
    return {"answers": visit.answers, "photos": photos, "stored": stored,
            "notes": _rows(Note, visit, Note.created_at, Note.id),
            "conflicts": _rows(SyncConflict, visit, SyncConflict.created_at, SyncConflict.id),
            "events": db.session.execute(select(AuditEvent).where(
                AuditEvent.target_type == "visit", AuditEvent.target_id == str(visit.id))
                .order_by(AuditEvent.seq)).scalars().all()}


def _author_ids(visit, rows: dict, history: dict) -> set:
    """Return every user id the page names."""
    ids = {a.author_id for a in rows["answers"]} | {n.author_id for n in rows["notes"]}
    ids |= {p.author_id for p in rows["photos"]} | {e.actor_id for e in rows["events"]}
    ids |= {c.winner_author_id for c in rows["conflicts"]}
    ids |= {c.loser_author_id for c in rows["conflicts"]} | {u.id for u in visit.team}
    ids |= {c.resolved_by_id for c in rows["conflicts"]}
    ids |= {a.signed_by_id for a in history["approvals"]}
    return ids | {a.opened_by_id for a in history["addenda"]}


def visit_page(visit, lang: str, user=None) -> dict:
    """Return the visit page's data; the cursor is read first, so later changes exceed it.

    With a user, what they may not read (server/scope.py redact_rows) is left out, and the
    values rule outcomes quote from sensitive questions are withheld.
    """
    cursor = current_head()
    scored = score_stored_visit(visit)
    rows, history = _load(visit), history_of(visit.id)
    sensitive = user is None or sees_sensitive(user)
    if user is not None:
        rows = redact_rows(user, rows)
    names = people(_author_ids(visit, rows, history))
    conflicts = conflict_views(visit, rows["conflicts"], names, lang)
    open_fields = {c["field"] for c in conflicts if c["status"] == "open"}
    return {
        "visit": visit, "scored": scored, "cursor": cursor, "names": names,
        "critical": [rule_view(r, scored, lang, sensitive) for r in scored.score.critical_unmet],
        "domains": _domain_views(scored, rows, names, open_fields, lang, sensitive),
        "general_notes": [n for n in rows["notes"] if n.domain is None],
        "general_photos": [p for p in rows["photos"] if p.domain is None],
        "photos": rows["photos"], "stored": rows["stored"],
        "missing": sorted({p.sha256 for p in rows["photos"]} - rows["stored"]),
        "conflicts": conflicts,
        "open_conflicts": sum(1 for c in conflicts if c["status"] == "open"),
        "events": rows["events"], "history": history,
        "findings": [f if sensitive else redact_finding(user, f)
                     for f in findings_for(visit, scored)],
    }
