"""The one place that decides what a user may see.

Inspectors and chairs see their own commission's facilities, visits and members; the
ombudsman office and admins see everything. Anything outside scope is reported as 404.
"""

import uuid

from sqlalchemy import Select, exists, false, select, true

from .errors import APIError
from .extensions import db
from .models import (
    COMMISSION_ROLES,
    Answer,
    Blob,
    Commission,
    ConflictResolution,
    Facility,
    Finding,
    Note,
    PhotoLink,
    SyncChange,
    SyncConflict,
    SyncDevice,
    User,
    Visit,
    VisitAddendum,
    VisitApproval,
    VisitSummary,
)

NATIONAL_ROLES = ("ombudsman", "admin")


def _commission_clause(user: User, column):
    """Return the WHERE clause limiting a commission column to the user's scope."""
    if user is None or not user.active:
        return false()
    if user.role in NATIONAL_ROLES:
        return true()
    if user.role in COMMISSION_ROLES and user.commission_id is not None:
        return column == user.commission_id
    return false()


def scoped(user: User, model) -> Select:
    """Return a SELECT of the model's rows the user may see."""
    if model is Facility:
        return select(Facility).where(_commission_clause(user, Facility.commission_id))
    if model is Visit:
        return (select(Visit).join(Facility, Visit.facility_id == Facility.id)
                .where(_commission_clause(user, Facility.commission_id)))
    if model is Commission:
        return select(Commission).where(_commission_clause(user, Commission.id))
    if model is User:
        if user is not None and user.role == "admin":
            return select(User)
        return select(User).where(_commission_clause(user, User.commission_id))
    if model in VISIT_CHILDREN:
        return (select(model).join(Visit, model.visit_id == Visit.id)
                .join(Facility, Visit.facility_id == Facility.id)
                .where(_commission_clause(user, Facility.commission_id)))
    if model is Blob:
        return select(Blob).where(_blob_visible(user, Blob.sha256))
    if model is Finding:
        return (select(Finding).join(Facility, Finding.facility_id == Facility.id)
                .where(_commission_clause(user, Facility.commission_id)))
    raise TypeError(f"no scope rule for {model.__name__}")


# Rows that belong to one visit and are visible exactly when their visit is.
VISIT_CHILDREN = (Answer, Note, PhotoLink, SyncChange, SyncConflict, VisitApproval,
                  VisitAddendum, ConflictResolution, VisitSummary)
REVIEW_ROLES = ("chair",)


def _blob_visible(user: User, sha):
    """Return the clause: a visit the user may see attaches this photo (sha: column or text)."""
    if not sees_sensitive(user):
        return false()
    visits = scoped(user, Visit).with_only_columns(Visit.id)
    return exists().where(PhotoLink.sha256 == sha, PhotoLink.visit_id.in_(visits))


# Sensitive content: notes, photos and the answers of these domains (who said what about
# ill-treatment). Within scope it is read by the visit's commission and the ombudsman
# office only; an admin runs the server and reads none of it (docs/security.md).
SENSITIVE_DOMAINS = ("safeguards",)
SENSITIVE_READERS = (*COMMISSION_ROLES, "ombudsman")


def sees_sensitive(user: User) -> bool:
    """Tell whether a user may read notes, photos and sensitive answers of visits in scope."""
    return user is not None and user.active and user.role in SENSITIVE_READERS


def is_sensitive_field(name: str | None) -> bool:
    """Tell whether a question id, or a field or key naming one, is of a sensitive domain."""
    text = (name or "").removeprefix("answer:")
    return text.split(".")[0] in SENSITIVE_DOMAINS


def is_sensitive_outcome(domain: str | None, indicator: str | None, derive=None) -> bool:
    """Tell whether a rule outcome's value comes from a sensitive question.

    It does when the rule is of a sensitive domain, when its indicator is a question of one,
    or when the indicator is derived from one (derive: the indicator question's derivation,
    with numerator and denominator question ids). The outcome itself is not sensitive.
    """
    inputs = (derive.numerator, derive.denominator) if derive is not None else ()
    return domain in SENSITIVE_DOMAINS or any(is_sensitive_field(q) for q in (indicator, *inputs))


def withholds_value(user: User, domain: str | None, indicator: str | None, derive=None) -> bool:
    """Tell whether the value a rule outcome quotes must be withheld from the user."""
    return not sees_sensitive(user) and is_sensitive_outcome(domain, indicator, derive)


def redact_score(user: User, score: dict, form=None) -> dict:
    """Return a scored visit (VisitScore.to_dict) with the sensitive quoted values withheld.

    Every rule outcome gets `value_withheld`; where it is true, `value` and `value_source`
    are None. Outcomes, scores and counts stay (docs/security.md). `form` resolves derived
    indicators to the questions they are computed from.
    """
    def one(rule: dict) -> dict:
        question = form.question(rule["indicator"]) if form is not None else None
        if not withholds_value(user, rule["domain"], rule["indicator"],
                               getattr(question, "derive", None)):
            return {**rule, "value_withheld": False}
        return {**rule, "value": None, "value_source": None, "value_withheld": True}

    return {**score, "rules": [one(r) for r in score["rules"]],
            "critical_unmet": [one(r) for r in score["critical_unmet"]]}


def redact_finding(user: User, finding: dict) -> dict:
    """Return a finding (review.followup) without the values the user may not read."""
    if not withholds_value(user, finding.get("domain"), finding.get("indicator")):
        return {**finding, "value_withheld": False}
    out = {**finding, "value_withheld": True, "last_value": None,
           "history": [[*entry[:3], None] for entry in finding.get("history") or []]}
    for key in ("value", "previous_value"):
        if key in out:
            out[key] = None
    return out


def redact_rows(user: User, rows: dict) -> dict:
    """Return a visit's rows without what the user may not read (notes, photos, answers)."""
    if sees_sensitive(user):
        return rows
    out = {**rows, "notes": [], "photos": []}
    if "answers" in rows:
        out["answers"] = [a for a in rows["answers"] if not is_sensitive_field(a.question_id)]
    if "conflicts" in rows:
        out["conflicts"] = [c for c in rows["conflicts"] if not is_sensitive_field(c.field)]
    return out


def change_visible(user: User, row) -> bool:
    """Tell whether a pulled change (a SyncChange row) may go to the user."""
    if sees_sensitive(user) or row.entity == "visit":
        return True
    if row.entity in ("note", "photo"):
        return False
    field = row.data.get("field") if row.entity == "conflict" else row.key
    return not is_sensitive_field(field)


def _write_clause(user: User, column):
    """Return the WHERE clause limiting a commission column to what the user may change.

    Only inspectors and chairs write, and only in their own commission; the ombudsman
    office and admins read everything and change no visit.
    """
    if user is None or not user.active or user.role not in COMMISSION_ROLES:
        return false()
    if user.commission_id is None:
        return false()
    return column == user.commission_id


def writable(user: User, model) -> Select:
    """Return a SELECT of the visits or facilities whose visits the user may change."""
    if model is Facility:
        return select(Facility).where(_write_clause(user, Facility.commission_id))
    if model is Visit:
        return (select(Visit).join(Facility, Visit.facility_id == Facility.id)
                .where(_write_clause(user, Facility.commission_id)))
    raise TypeError(f"no write rule for {model.__name__}")


def reviewable(user: User, model) -> Select:
    """Return a SELECT of the visits or conflicts the user may review: a chair, own commission.

    Reviewing (resolving conflicts, approving, reopening, importing a tablet's file) is the
    chair's; inspectors, the ombudsman office and admins read the review pages only.
    """
    if user is None or user.role not in REVIEW_ROLES:
        return writable(None, Visit) if model is Visit else select(model).where(false())
    if model is Visit:
        return writable(user, Visit)
    if model is SyncConflict:
        return (select(SyncConflict).join(Visit, SyncConflict.visit_id == Visit.id)
                .join(Facility, Visit.facility_id == Facility.id)
                .where(_write_clause(user, Facility.commission_id)))
    raise TypeError(f"no review rule for {model.__name__}")


def review_or_404(user: User, model, object_id, what: str | None = None):
    """Return a visit (locked for update) or conflict the user may review, or raise 404.

    Out of scope, absent and not a chair's all look the same. A visit is locked by name
    first and then by row, as a push locks it, so review and sync take locks in one order.
    """
    from .sync.dbutil import lock_names

    key = _as_uuid(object_id)
    row = None
    if key is not None:
        query = reviewable(user, model).where(model.id == key)
        if model is Visit:
            lock_names([f"visit:{key}"])
            query = query.with_for_update(of=Visit).execution_options(populate_existing=True)
        row = db.session.execute(query).scalar_one_or_none()
    if row is None:
        name = what or model.__name__.lower()
        raise APIError(404, "not_found", f"No {name} with this id is visible to you.")
    return row


def manageable_devices(user: User) -> Select:
    """Return a SELECT of the devices the user may list and revoke.

    Admins manage every device; a chair manages the devices of their commission's members;
    nobody else manages devices.
    """
    query = select(SyncDevice).join(User, SyncDevice.user_id == User.id)
    if user is None or not user.active:
        return query.where(false())
    if user.role == "admin":
        return query
    if user.role in REVIEW_ROLES and user.commission_id is not None:
        return query.where(User.commission_id == user.commission_id)
    return query.where(false())


def device_or_404(user: User, device_id: str) -> SyncDevice:
    """Return a device the user may manage, or raise a 404 that reveals nothing."""
    row = db.session.execute(manageable_devices(user).where(SyncDevice.id == str(device_id))
                             ).scalar_one_or_none()
    if row is None:
        raise APIError(404, "not_found", "No device with this id is visible to you.")
    return row


def can_see_blob(user: User, sha256: str) -> bool:
    """Tell whether a visit the user may see attaches the photo with this hash."""
    return bool(db.session.execute(select(_blob_visible(user, sha256))).scalar())


def _as_uuid(value) -> uuid.UUID | None:
    """Parse a UUID, or return None for anything that is not one."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        return None


def get_or_404(user: User, model, object_id, what: str | None = None):
    """Return one row within the user's scope or raise a 404 that reveals nothing."""
    key = _as_uuid(object_id)
    row = None
    if key is not None:
        row = db.session.execute(scoped(user, model).where(model.id == key)).scalar_one_or_none()
    if row is None:
        name = what or model.__name__.lower()
        raise APIError(404, "not_found", f"No {name} with this id is visible to you.")
    return row


def can_see_facility(user: User, facility_id) -> bool:
    """Tell whether a facility is in the user's scope."""
    key = _as_uuid(facility_id)
    if key is None:
        return False
    query = scoped(user, Facility).where(Facility.id == key).with_only_columns(Facility.id)
    return db.session.execute(query).first() is not None
