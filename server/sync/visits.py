"""Operations on the visit itself: visit.upsert (create, or change its fields) and visit.submit."""

from datetime import UTC

from sqlalchemy import select

from ..audit import append_event
from ..catalogue import ensure_form_version, find_form
from ..extensions import db
from ..models import User, Visit
from .context import APPLIED, Outcome, PushContext, rejected, writable_facility
from .fields import write_field

VISIT_FIELDS = ("started_at", "ended_at", "team")
# A team naming anyone but active members of the facility's commission.
TEAM_REJECTED = "team_not_in_commission"


def visit_to_dict(visit: Visit) -> dict:
    """Return a visit's synced fields as the change log and the API show them."""
    form = visit.form_version
    return {
        "id": str(visit.id), "facility_id": str(visit.facility_id),
        "form_id": form.form_id if form else None, "form_version": form.version if form else None,
        "status": visit.status, "started_at": visit.started_at.isoformat(),
        "ended_at": visit.ended_at.isoformat() if visit.ended_at else None,
        "team": sorted(str(user.id) for user in visit.team),
        "created_by_id": str(visit.created_by_id),
    }


def _team(facility, user_ids) -> tuple[list, dict | None]:
    """Return the team members named, or an error when one is not in the commission."""
    if not user_ids:
        return [], None
    users = db.session.execute(select(User).where(
        User.id.in_(user_ids), User.commission_id == facility.commission_id,
        User.active.is_(True))).scalars().all()
    if len(users) != len(set(user_ids)):
        return [], {"value": {"team": ["every member must be an active member of the "
                                       "facility's commission"]}}
    return sorted(users, key=lambda u: str(u.id)), None


def _create(ctx: PushContext, visit_id, value: dict) -> Outcome:
    """Create a visit from visit.upsert."""
    facility = writable_facility(ctx.user, value["facility_id"])
    if facility is None:
        return rejected("out_of_scope")
    form = find_form(value["form_id"], value["form_version"], value["started_at"])
    if form is None:
        return rejected("unknown_form")
    team, errors = _team(facility, value["team"] or [ctx.user.id])
    if errors:
        return rejected(TEAM_REJECTED, errors)
    visit = Visit(id=visit_id, facility=facility, form_version=ensure_form_version(form),
                  status="draft", started_at=value["started_at"], ended_at=value["ended_at"],
                  created_by_id=ctx.user.id, team=team, created_at=ctx.now, updated_at=ctx.now)
    db.session.add(visit)
    db.session.flush()  # rows that refer to the visit (no ORM relationship) come after it
    ctx.add_visit(visit)
    clocks = [ctx.stamp_clock(visit_id, f"visit:{name}") for name in VISIT_FIELDS
              if name == "started_at" or value[name] is not None]
    ctx.change(visit_id, "visit", "visit", visit_to_dict(visit), clocks)
    return APPLIED


def _same_identity(visit: Visit, value: dict) -> bool:
    """Tell whether an upsert names the visit's own facility and form."""
    form = visit.form_version
    if visit.facility_id != value["facility_id"] or form is None:
        return False
    return form.form_id == value["form_id"] and value["form_version"] in (None, form.version)


def _wire(name: str, value):
    """Return a visit field's value as JSON, for comparison and conflicts."""
    if value is None:
        return None
    if name == "team":
        return sorted(str(member.id if hasattr(member, "id") else member) for member in value)
    return value.astimezone(UTC).isoformat()


def _update(ctx: PushContext, visit: Visit, value: dict) -> Outcome:
    """Write the fields an upsert carries by last-writer-wins."""
    outcome, clocks = APPLIED, []
    for name in VISIT_FIELDS:
        if value[name] is None:
            continue
        if name == "team":
            team, errors = _team(visit.facility, value["team"])
            if errors:
                return rejected(TEAM_REJECTED, errors)
        written = write_field(ctx, visit.id, f"visit:{name}", _wire(name, value[name]),
                              _wire(name, getattr(visit, name)))
        if written.won:
            setattr(visit, name, team if name == "team" else value[name])
            clocks.append(written.clock)
        if written.conflicts and outcome is APPLIED:
            outcome = written.outcome()
    if clocks:
        visit.updated_at = ctx.now
        ctx.change(visit.id, "visit", "visit", visit_to_dict(visit), clocks)
    return outcome


def upsert_visit(ctx: PushContext, fields: dict) -> Outcome:
    """Apply visit.upsert: create the visit, or change its started/ended times and team."""
    visit_id, value = fields["visit_id"], fields["value"]
    visit = ctx.visits.get(visit_id)
    if visit is None:
        return rejected("out_of_scope") if visit_id in ctx.hidden else _create(ctx, visit_id, value)
    if not _same_identity(visit, value):
        return rejected("visit_mismatch")
    if ctx.locked(visit):
        return rejected("visit_locked")
    return _update(ctx, visit, value)


def submit_visit(ctx: PushContext, visit: Visit, fields: dict) -> Outcome:
    """Apply visit.submit: hand the visit in; from now on it rejects every operation."""
    visit.status, visit.updated_at = "submitted", ctx.now
    append_event("visit_submitted", actor=ctx.user, target_type="visit", target_id=visit.id,
                 data={"device_id": ctx.device_id, "op_id": str(ctx.op["op_id"])})
    ctx.change(visit.id, "visit", "visit", visit_to_dict(visit))
    return APPLIED
