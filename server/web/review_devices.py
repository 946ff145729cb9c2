"""The review desk's device registry: the tablets a chair or admin manages, and revocation.

The same scope and operation as the API (`manageable_devices`, `device_or_404`,
`revoke_device`): another commission's device is 404, whatever the form holds, and every
revocation is audited as `device_revoked`.
"""

from flask import flash, redirect, render_template, url_for
from sqlalchemy.orm import selectinload

from ..auth import current_user, roles_required
from ..auth.devices import revoke_device
from ..errors import APIError
from ..extensions import db
from ..i18n import translate
from ..models import SyncDevice, User
from ..scope import device_or_404, manageable_devices
from .review import bp
from .review_forms import RevokeDeviceForm

MANAGERS = ("admin", "chair")


def render_devices(error: APIError | None = None, status: int = 200):
    """Render the devices the user manages, most recently seen first."""
    query = (manageable_devices(current_user())
             .options(selectinload(SyncDevice.user).selectinload(User.commission))
             .order_by(SyncDevice.last_seen_at.desc(), User.username, SyncDevice.id))
    devices = db.session.execute(query).scalars().all()
    return render_template("review/devices.html", devices=devices, form=RevokeDeviceForm(),
                           error=error), status


@bp.route("/devices")
@roles_required(*MANAGERS)
def devices():
    """List the tablets that signed in: who, first and last seen, version, pending, revoked."""
    return render_devices()


@bp.route("/devices/<device_id>/revoke", methods=["POST"])
@roles_required(*MANAGERS)
def devices_revoke(device_id):
    """Revoke a device: its tokens stop at once, except one final push before it wipes."""
    user = current_user()
    device = device_or_404(user, device_id)
    if not RevokeDeviceForm().validate_on_submit():
        return render_devices(APIError(422, "invalid_fields",
                                       translate("review.form_invalid")), 422)
    revoke_device(device, user)
    flash(translate("review.devices.revoked_flash", user=device.user.username))
    return redirect(url_for("review.devices"))
