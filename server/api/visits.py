"""Visits, read within scope: the list, and one visit with everything that arrived for it.

Visits are written only through sync (POST /api/v1/sync/push); these views let the chair's
pages, the offline app and the tests see what the server holds.
"""

from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from ..extensions import db
from ..models import VISIT_STATUSES, Visit
from ..scope import get_or_404, scoped
from ..sync import current_head
from ..sync.views import visit_detail
from ..sync.visits import visit_to_dict
from .common import BEARER, require_user


class VisitQuerySchema(Schema):
    """Filters and paging of the visit list."""

    facility_id = fields.UUID()
    status = fields.String(validate=validate.OneOf(VISIT_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))


class VisitSchema(Schema):
    """A visit's own fields."""

    id = fields.String(required=True)
    facility_id = fields.String(required=True)
    form_id = fields.String(allow_none=True)
    form_version = fields.String(allow_none=True)
    status = fields.String(required=True)
    started_at = fields.String(required=True)
    ended_at = fields.String(allow_none=True)
    team = fields.List(fields.String())
    created_by_id = fields.String()


class VisitPageSchema(Schema):
    """One page of visits."""

    items = fields.List(fields.Nested(VisitSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class VisitDetailSchema(VisitSchema):
    """A visit with its answers, notes, photos and conflicts."""

    answers = fields.List(fields.Dict())
    notes = fields.List(fields.Dict())
    photos = fields.List(fields.Dict())
    conflicts = fields.List(fields.Dict())
    cursor = fields.Integer(metadata={"description": "the change seq this view reflects"})


blp = Blueprint("visits", __name__, url_prefix="/api/v1/visits",
                description="Monitoring visits (read; written through sync)")


@blp.route("", methods=["GET"])
@blp.arguments(VisitQuerySchema, location="query")
@blp.response(200, VisitPageSchema)
@blp.doc(security=BEARER)
def list_visits(args):
    """List the visits in scope, newest first."""
    query = scoped(require_user(), Visit)
    for name in ("facility_id", "status"):
        if name in args:
            query = query.where(getattr(Visit, name) == args[name])
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page, per_page = args["page"], args["per_page"]
    rows = db.session.execute(query.order_by(Visit.started_at.desc(), Visit.id)
                              .limit(per_page).offset((page - 1) * per_page)).scalars()
    return {"items": [visit_to_dict(v) for v in rows], "page": page, "per_page": per_page,
            "total": total}


@blp.route("/<visit_id>", methods=["GET"])
@blp.response(200, VisitDetailSchema)
@blp.doc(security=BEARER)
def get_visit(visit_id):
    """Return one visit in scope with its answers, notes, photos and conflicts."""
    head = current_head()
    user = require_user()
    visit = get_or_404(user, Visit, visit_id, "visit")
    return {**visit_detail(visit, user), "cursor": head}
