"""Commissions: listed within scope, created by admins."""

from flask_smorest import Blueprint
from sqlalchemy import select

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..models import Commission, User
from ..scope import get_or_404, scoped
from .common import BEARER, require_role, require_user, roles_allowed
from .schemas import CommissionSchema, MemberSchema

blp = Blueprint("commissions", __name__, url_prefix="/api/v1/commissions",
                description="Monitoring commissions")


@blp.route("", methods=["GET"])
@blp.response(200, CommissionSchema(many=True))
@blp.doc(security=BEARER)
def list_commissions():
    """List the commissions visible to the user."""
    user = require_user()
    return db.session.execute(scoped(user, Commission).order_by(Commission.slug)).scalars()


@blp.route("", methods=["POST"])
@roles_allowed("admin")
@blp.arguments(CommissionSchema)
@blp.response(201, CommissionSchema)
@blp.doc(security=BEARER)
def create_commission(body):
    """Create a commission (admin)."""
    user = require_role("admin")
    if db.session.execute(select(Commission.id).where(Commission.slug == body["slug"])).first():
        raise APIError(409, "slug_taken", "A commission with this slug exists.")
    commission = Commission(**body)
    db.session.add(commission)
    db.session.flush()
    append_event("commission_created", actor=user, target_type="commission",
                 target_id=commission.id, data={"slug": commission.slug})
    return commission


@blp.route("/<commission_id>", methods=["GET"])
@blp.response(200, CommissionSchema)
@blp.doc(security=BEARER)
def get_commission(commission_id):
    """Return one commission within scope."""
    return get_or_404(require_user(), Commission, commission_id, "commission")


@blp.route("/<commission_id>/members", methods=["GET"])
@blp.response(200, MemberSchema(many=True))
@blp.doc(security=BEARER)
def list_members(commission_id):
    """List the active members of a commission within scope: who may be on a visit's team."""
    user = require_user()
    commission = get_or_404(user, Commission, commission_id, "commission")
    return db.session.execute(
        scoped(user, User).where(User.commission_id == commission.id, User.active.is_(True))
        .order_by(User.full_name, User.username, User.id)).scalars()
