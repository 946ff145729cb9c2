"""Facilities: listed and read within scope, managed by admins."""

from flask_smorest import Blueprint
from sqlalchemy import func, or_, select

from ..audit import append_event
from ..extensions import db
from ..models import Commission, Facility
from ..review.summaries import latest_scores, refresh_summaries
from ..scope import get_or_404, scoped
from .common import BEARER, require_role, require_user, roles_allowed
from .schemas import (
    FacilityPageSchema,
    FacilityPatchSchema,
    FacilityQuerySchema,
    FacilitySchema,
)

blp = Blueprint("facilities", __name__, url_prefix="/api/v1/facilities",
                description="Places of detention")


def _filtered(user, args):
    """Return the scoped facility query with the list filters applied."""
    query = scoped(user, Facility)
    for field in ("kind", "region", "commission_id"):
        if field in args:
            query = query.where(getattr(Facility, field) == args[field])
    if "q" in args:
        pattern = f"%{args['q'].lower()}%"
        query = query.where(or_(func.lower(Facility.name_ru).like(pattern),
                                func.lower(Facility.name_kk).like(pattern),
                                func.lower(Facility.name_en).like(pattern)))
    return query


@blp.route("", methods=["GET"])
@blp.arguments(FacilityQuerySchema, location="query")
@blp.response(200, FacilityPageSchema)
@blp.doc(security=BEARER)
def list_facilities(args):
    """List facilities in scope, filtered and paged, each with its last score.

    The scores come from the stored visit summaries (refreshed first, as the chair's
    dashboard does): a fixed number of queries whatever the page size.
    """
    user = require_user()
    query = _filtered(user, args)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page, per_page = args["page"], args["per_page"]
    items = db.session.execute(
        query.order_by(Facility.region, Facility.name_ru, Facility.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    refresh_summaries()
    scores = latest_scores([facility.id for facility in items])
    return {"items": [(facility, scores.get(facility.id)) for facility in items],
            "page": page, "per_page": per_page, "total": total}


@blp.route("/<facility_id>", methods=["GET"])
@blp.response(200, FacilitySchema)
@blp.doc(security=BEARER)
def get_facility(facility_id):
    """Return one facility within scope."""
    return get_or_404(require_user(), Facility, facility_id, "facility")


@blp.route("", methods=["POST"])
@roles_allowed("admin")
@blp.arguments(FacilitySchema)
@blp.response(201, FacilitySchema)
@blp.doc(security=BEARER)
def post_facility(body):
    """Create a facility (admin)."""
    admin = require_role("admin")
    get_or_404(admin, Commission, body["commission_id"], "commission")
    facility = Facility(**body)
    db.session.add(facility)
    db.session.flush()
    append_event("facility_created", actor=admin, target_type="facility",
                 target_id=facility.id, data={"kind": facility.kind})
    return facility


@blp.route("/<facility_id>", methods=["PATCH"])
@roles_allowed("admin")
@blp.arguments(FacilityPatchSchema(partial=True))
@blp.response(200, FacilitySchema)
@blp.doc(security=BEARER)
def patch_facility(body, facility_id):
    """Change a facility (admin)."""
    admin = require_role("admin")
    facility = get_or_404(admin, Facility, facility_id, "facility")
    if "commission_id" in body:
        get_or_404(admin, Commission, body["commission_id"], "commission")
    for key, value in body.items():
        setattr(facility, key, value)
    append_event("facility_changed", actor=admin, target_type="facility",
                 target_id=facility.id, data={"fields": sorted(body)})
    return facility
