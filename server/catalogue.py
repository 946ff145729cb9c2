"""The checklists and standard sets this server knows, and scoring of stored visits.

One place loads forms/*.yaml and forms/standards/*.yaml (cached until a file changes),
picks the versions in force on a date, registers a form version when a visit first uses
it, and scores a stored visit on the versions of its date. Loading and scoring themselves
are pure (server.forms, server.scoring).
"""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .extensions import db
from .forms import FormError, form_to_dict, load_forms, load_standard_sets, select_versions
from .models import FormVersion, new_uuid
from .scoring import score_visit

log = logging.getLogger("tekseru.catalogue")
FORM_ID = "detention-visit"


def _files_key(folder: Path) -> tuple:
    """Return a cache key that changes whenever a YAML file of the folder changes."""
    paths = sorted(folder.glob("*.yaml"))
    return (str(folder), tuple((p.name, p.stat().st_mtime_ns) for p in paths))


@lru_cache(maxsize=4)
def _load_forms(key: tuple) -> dict:
    """Load the forms of a folder by (id, version); none when they do not load."""
    try:
        return {(form.id, form.version): form for form in load_forms(key[0])}
    except (FormError, OSError):
        log.exception("forms in %s do not load", key[0])
        return {}


@lru_cache(maxsize=4)
def _load_standards(key: tuple) -> tuple:
    """Load every standard-set version of a folder."""
    return load_standard_sets(key[0])


def forms_dir() -> Path:
    """Return the configured forms folder."""
    return Path(current_app.config["FORMS_DIR"])


def available_forms() -> dict:
    """Return the loaded forms as {(id, version): form}."""
    return _load_forms(_files_key(forms_dir()))


def all_standards() -> tuple:
    """Return every version of every standard set."""
    return _load_standards(_files_key(forms_dir() / "standards"))


def standards_in_force(on_date) -> tuple:
    """Return the standard-set versions in force on a date."""
    return select_versions(all_standards(), on_date)


def find_form(form_id: str, version: str | None = None, on_date=None):
    """Return the form version named, or the one in force on a date (the newest if none)."""
    forms = available_forms()
    if version:
        return forms.get((form_id, version))
    candidates = [form for (fid, _v), form in forms.items() if fid == form_id]
    chosen = select_versions(candidates, on_date) if on_date is not None else ()
    if chosen:
        return chosen[0]
    return max(candidates, key=lambda f: (f.effective_date, f.version), default=None)


def ensure_form_version(form) -> FormVersion:
    """Return the stored row of a form version, storing it on first use."""
    from .sync.dbutil import insert_ignore

    insert_ignore(FormVersion, {
        "id": new_uuid(), "form_id": form.id, "version": form.version,
        "effective_date": form.effective_date, "content_hash": form.digest,
        "definition": form_to_dict(form),
    })
    return db.session.execute(select(FormVersion).where(
        FormVersion.form_id == form.id, FormVersion.version == form.version)).scalar_one()


def form_of(visit):
    """Return the loaded form a visit was started with, or None."""
    row = visit.form_version
    if row is None:
        return None
    return available_forms().get((row.form_id, row.version))


def version_key(form, standards) -> str:
    """Return a string naming the exact form and standard-set versions used."""
    parts = [f"{form.id}@{form.version}:{form.digest[:12]}"]
    parts += [f"{s.id}@{s.version}:{s.digest[:12]}" for s in standards]
    return ";".join(parts)


@dataclass(frozen=True)
class ScoredVisit:
    """A visit's form, the standard sets applied and the score."""

    form: object
    standards: tuple
    score: object

    @property
    def versions(self) -> str:
        """Return the version key of the form and sets used."""
        return version_key(self.form, self.standards)


def versions_for(visit) -> tuple:
    """Return (form, standard sets) a visit is scored on: its form, the sets of its date."""
    day = visit.started_at.date()
    form = form_of(visit) or find_form(FORM_ID, None, day)
    return form, standards_in_force(day)


def score_stored_visit(visit, answers=None, versions=None) -> ScoredVisit:
    """Score a visit (answers default to its own rows) on its form and standards."""
    form, standards = versions or versions_for(visit)
    rows = visit.answers if answers is None else answers
    triples = [(a.question_id, a.regime or None, a.value) for a in rows]
    return ScoredVisit(form, standards, score_visit(form, standards, visit.facility, triples))
