"""User administration (admin only; others get 404)."""

from flask_smorest import Blueprint

from ..auth.operations import create_user, update_user
from ..extensions import db
from ..models import Commission, User
from ..scope import get_or_404, scoped
from .common import BEARER, require_role, roles_allowed
from .schemas import UserCreateSchema, UserSchema, UserUpdateSchema

blp = Blueprint("users", __name__, url_prefix="/api/v1/users", description="User accounts")


def _commission(admin, commission_id):
    """Resolve a commission id sent by an admin, or None."""
    if commission_id is None:
        return None
    return get_or_404(admin, Commission, commission_id, "commission")


@blp.route("", methods=["GET"])
@roles_allowed("admin")
@blp.response(200, UserSchema(many=True))
@blp.doc(security=BEARER)
def list_users():
    """List every account (admin)."""
    admin = require_role("admin")
    return db.session.execute(scoped(admin, User).order_by(User.username)).scalars()


@blp.route("", methods=["POST"])
@roles_allowed("admin")
@blp.arguments(UserCreateSchema)
@blp.response(201, UserSchema)
@blp.doc(security=BEARER)
def post_user(body):
    """Create an account (admin)."""
    admin = require_role("admin")
    commission = _commission(admin, body.pop("commission_id"))
    return create_user(commission=commission, actor=admin, **body)


@blp.route("/<user_id>", methods=["GET"])
@roles_allowed("admin")
@blp.response(200, UserSchema)
@blp.doc(security=BEARER)
def get_user(user_id):
    """Return one account (admin)."""
    admin = require_role("admin")
    return get_or_404(admin, User, user_id, "user")


@blp.route("/<user_id>", methods=["PATCH"])
@roles_allowed("admin")
@blp.arguments(UserUpdateSchema)
@blp.response(200, UserSchema)
@blp.doc(security=BEARER)
def patch_user(body, user_id):
    """Change an account: name, role, commission, active (admin)."""
    admin = require_role("admin")
    user = get_or_404(admin, User, user_id, "user")
    if "commission_id" in body:
        body["commission"] = _commission(admin, body.pop("commission_id"))
    return update_user(user, body, actor=admin)
