"""The checklist as sync sees it: which form a visit uses and whether an answer fits it.

Pure checks live in server.forms (validate_answer and its reason codes); this module finds
the form of a visit and registers a form version the first time a visit uses it.
"""

import logging
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..extensions import db
from ..forms import FormError, form_to_dict, load_forms, select_versions, validate_answer
from ..models import FormVersion, new_uuid
from .dbutil import insert_ignore

log = logging.getLogger("tekseru.sync")


def _forms_key(forms_dir: str) -> tuple:
    """Return a cache key that changes whenever a form file changes."""
    paths = sorted(Path(forms_dir).glob("*.yaml"))
    return (str(forms_dir), tuple((p.name, p.stat().st_mtime_ns) for p in paths))


@lru_cache(maxsize=4)
def _load(key: tuple) -> dict:
    """Load the forms of a directory by (id, version); none when they do not load."""
    try:
        return {(form.id, form.version): form for form in load_forms(key[0])}
    except (FormError, OSError):
        log.exception("forms in %s do not load; every visit.upsert is refused", key[0])
        return {}


def available_forms() -> dict:
    """Return the loaded forms of the configured forms directory."""
    return _load(_forms_key(current_app.config["FORMS_DIR"]))


def find_form(form_id: str, version: str | None, on_date):
    """Return the form named, or the version in force on a date, or None."""
    forms = available_forms()
    if version:
        return forms.get((form_id, version))
    candidates = [form for (fid, _v), form in forms.items() if fid == form_id]
    chosen = select_versions(candidates, on_date)
    if chosen:
        return chosen[0]
    return max(candidates, key=lambda f: (f.effective_date, f.version), default=None)


def ensure_form_version(form) -> FormVersion:
    """Return the stored row of a form version, storing it on first use."""
    query = select(FormVersion).where(FormVersion.form_id == form.id,
                                      FormVersion.version == form.version)
    row = db.session.execute(query).scalar_one_or_none()
    if row is not None:
        return row
    insert_ignore(FormVersion, {
        "id": new_uuid(), "form_id": form.id, "version": form.version,
        "effective_date": form.effective_date, "content_hash": form.digest,
        "definition": form_to_dict(form),
    })
    return db.session.execute(query).scalar_one()


def form_of(visit):
    """Return the loaded form a visit was started with, or None."""
    row = visit.form_version
    if row is None:
        return None
    return available_forms().get((row.form_id, row.version))


def answer_problem(form, facility, question_id: str, regime: str | None, value):
    """Return a reason code when an answer does not fit the visit's form, else None."""
    question = form.question(question_id) if form is not None else None
    return validate_answer(question, value, regime or None, facility)


def place_problem(form, domain: str | None, question_id: str | None):
    """Return a reason code when a note's or photo's domain or question is unknown."""
    if form is None:
        return "unknown_form"
    if question_id is not None and form.question(question_id) is None:
        return "unknown_question"
    if domain is not None and domain not in {d.id for d in form.domains}:
        return "unknown_domain"
    return None
