"""Devices: registered at sign-in, seen on every sync, revoked by an admin or the chair.

A revoked device's tokens answer 401 (code device_revoked) everywhere except its final
push and the photo uploads that push asks for, so nothing collected is lost. The first
push of a revoked device that leaves no photo missing finishes it: the answer says
"wipe", every token of the device is revoked, and from then on everything is 401.
"""

from flask import request
from sqlalchemy import select, update

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..models import AuthToken, SyncDevice, utcnow
from ..sync.dbutil import insert_ignore

# Paths a revoked, unfinished device may still call: its final push and the photos it owes.
FINAL_PATHS = ("/api/v1/sync/push", "/api/v1/blobs/")



def _clean(app_version, pending) -> dict:
    """Return the reported fields worth storing (bounded)."""
    found = {}
    if isinstance(app_version, str) and app_version:
        found["app_version"] = app_version[:40]
    if isinstance(pending, int) and not isinstance(pending, bool) and pending >= 0:
        found["pending"] = min(pending, 2**31 - 1)
    return found


def register_device(user, device_id: str, app_version=None, pending=None) -> SyncDevice | None:
    """Return the user's device row, created on first sight; None if another account owns it."""
    now = utcnow()
    insert_ignore(SyncDevice, {"id": device_id, "user_id": user.id, "last_seq": 0,
                               "created_at": now, "last_seen_at": now})
    device = db.session.get(SyncDevice, device_id, populate_existing=True)
    if device is None or device.user_id != user.id:
        return None
    note_contact(device, app_version, pending)
    return device


def note_contact(device: SyncDevice, app_version=None, pending=None) -> None:
    """Record that a device was seen, with the version and pending count it reported."""
    device.last_seen_at = utcnow()
    for name, value in _clean(app_version, pending).items():
        setattr(device, name, value)


def check_sign_in_device(device: SyncDevice | None) -> None:
    """Refuse a sign-in from a revoked device id (the app takes a new id after a wipe)."""
    if device is not None and device.revoked_at is not None:
        raise revoked_error()


def token_device(row: AuthToken) -> SyncDevice | None:
    """Return the device a token is bound to, if any."""
    if row.device_id is None:
        return None
    return db.session.get(SyncDevice, row.device_id)


def device_allows(device: SyncDevice | None, path: str) -> bool:
    """Tell whether a request on this path may use a token bound to this device."""
    if device is None or device.revoked_at is None:
        return True
    return device.wiped_at is None and path.startswith(FINAL_PATHS)


def revoke_device(device: SyncDevice, actor) -> SyncDevice:
    """Revoke a device: its tokens stop working except for one final push; audited."""
    if device.revoked_at is None:
        device.revoked_at = utcnow()
        device.revoked_by_id = actor.id
        append_event("device_revoked", actor=actor, target_type="device", target_id=device.id,
                     data={"user_id": str(device.user_id), "pending": device.pending,
                           "app_version": device.app_version})
        db.session.flush()
    return device


def finish_device(device: SyncDevice, missing: list, more: bool = False) -> bool:
    """After a revoked device's push: finish it if nothing is missing or to come; return wipe.

    more: the device reported more pending operations than this batch carried.
    """
    if device.revoked_at is None or missing or more:
        return False
    if device.wiped_at is None:
        device.wiped_at = utcnow()
        db.session.execute(update(AuthToken).where(AuthToken.device_id == device.id,
                                                   AuthToken.revoked_at.is_(None))
                           .values(revoked_at=device.wiped_at))
        append_event("device_wiped", actor=None, target_type="device", target_id=device.id,
                     data={"user_id": str(device.user_id), "last_seq": device.last_seq})
        db.session.flush()
    return True


def push_device(user, device_id: str) -> SyncDevice | None:
    """Return the pushing device's row if it exists and belongs to the user."""
    device = db.session.execute(select(SyncDevice).where(SyncDevice.id == device_id)
                                ).scalar_one_or_none()
    return device if device is not None and device.user_id == user.id else None


def bind_sync_device(user, token: AuthToken | None, device_id: str) -> SyncDevice | None:
    """Return the device a push or pull names, binding an unbound token to it.

    Raises 401 device_revoked for a finished device, or for a revoked one on a pull.
    """
    device = push_device(user, device_id)
    if device is None:
        return None
    if token is not None and token.device_id is None:
        token.device_id = device.id
    if device.revoked_at is not None and not device_allows(device, request.path):
        raise revoked_error()
    return device


def revoked_error() -> APIError:
    """Return the 401 a revoked device gets."""
    return APIError(401, "device_revoked",
                    "This device was revoked; its data has been or will be erased.",
                    headers={"WWW-Authenticate": 'Bearer realm="tekseru"'})
