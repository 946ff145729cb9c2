"""Devices: the tablets that signed in, listed and revoked by an admin or the chair."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..auth.devices import revoke_device
from ..extensions import db
from ..models import SyncDevice, User
from ..scope import device_or_404, manageable_devices
from .common import BEARER, require_role, roles_allowed

blp = Blueprint("devices", __name__, url_prefix="/api/v1/devices",
                description="Registered tablets and their revocation")
MANAGERS = ("admin", "chair")


def device_status(device: SyncDevice) -> str:
    """Return active, revoked (final push still awaited) or wiped."""
    if device.revoked_at is None:
        return "active"
    return "wiped" if device.wiped_at is not None else "revoked"


class DeviceSchema(Schema):
    """One registered device."""

    id = fields.String(required=True)
    user_id = fields.UUID(required=True)
    username = fields.Function(lambda d: d.user.username)
    full_name = fields.Function(lambda d: d.user.full_name)
    first_seen_at = fields.DateTime(attribute="created_at", required=True)
    last_seen_at = fields.DateTime(required=True)
    app_version = fields.String(allow_none=True)
    pending = fields.Integer(allow_none=True,
                             metadata={"description": "outbox count the device last reported"})
    last_seq = fields.Integer(required=True)
    revoked_at = fields.DateTime(allow_none=True)
    revoked_by_id = fields.UUID(allow_none=True)
    wiped_at = fields.DateTime(allow_none=True,
                               metadata={"description": "its final push was taken"})
    status = fields.Function(device_status, metadata={"enum": ["active", "revoked", "wiped"]})


@blp.route("", methods=["GET"])
@roles_allowed(*MANAGERS)
@blp.response(200, DeviceSchema(many=True))
@blp.doc(security=BEARER)
def list_devices():
    """List the devices the caller manages, most recently seen first."""
    user = require_role(*MANAGERS)
    query = manageable_devices(user).order_by(SyncDevice.last_seen_at.desc(), User.username)
    return db.session.execute(query).scalars().all()


@blp.route("/<device_id>", methods=["GET"])
@roles_allowed(*MANAGERS)
@blp.response(200, DeviceSchema)
@blp.doc(security=BEARER)
def get_device(device_id):
    """Return one device."""
    return device_or_404(require_role(*MANAGERS), device_id)


@blp.route("/<device_id>/revoke", methods=["POST"])
@roles_allowed(*MANAGERS)
@blp.response(200, DeviceSchema)
@blp.doc(security=BEARER)
def post_revoke(device_id):
    """Revoke a device: 401 at once, except one final push that then tells it to wipe."""
    user = require_role(*MANAGERS)
    return revoke_device(device_or_404(user, device_id), user)
