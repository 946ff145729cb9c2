"""Offline sync: push a batch of operations, pull the changes after a cursor (docs/sync.md)."""

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields, missing
from webargs.flaskparser import FlaskParser, is_json_request

from ..auth.devices import bind_sync_device, finish_device, note_contact, push_device
from ..errors import APIError
from ..sync import apply_operations, pull_changes
from ..sync.schemas import MAX_OPS, PullQuerySchema, PushSchema
from .bodies import max_body_bytes, too_large
from .common import BEARER, require_user, token_row


class CachedJSONParser(FlaskParser):
    """Read the JSON body Flask already parsed (check_json_body) instead of parsing it again."""

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        body = req.get_json(silent=True)
        return missing if body is None else body


blp = Blueprint("sync", __name__, url_prefix="/api/v1/sync",
                description="Offline sync: operations up, resolved changes down")
blp.ARGUMENTS_PARSER = CachedJSONParser()  # a 300-op push is parsed once, not twice


class OpResultSchema(Schema):
    """What became of one operation."""

    op_id = fields.UUID(required=True)
    status = fields.String(required=True,
                           metadata={"enum": ["applied", "duplicate", "rejected", "conflict"]})
    outcome = fields.String(metadata={"description": "a duplicate's first status"})
    reason = fields.String()
    conflict_id = fields.UUID()
    errors = fields.Dict()


class PushResultSchema(Schema):
    """The answer to a push."""

    results = fields.List(fields.Nested(OpResultSchema), required=True)
    last_seq = fields.Integer(required=True)
    cursor = fields.Integer(required=True)
    server_time = fields.DateTime(required=True)
    missing_blobs = fields.List(fields.String(), required=True)
    revoked = fields.Boolean(metadata={"description": "this device was revoked"})
    wipe = fields.Boolean(metadata={"description": "all was received: erase the local data"})


class ChangeSchema(Schema):
    """One resolved change."""

    seq = fields.Integer(required=True)
    entity = fields.String(required=True,
                           metadata={"enum": ["visit", "answer", "note", "photo", "conflict"]})
    visit_id = fields.String(required=True)
    key = fields.String(required=True)
    data = fields.Raw(required=True)
    hlc = fields.String(allow_none=True)
    op_id = fields.String(allow_none=True)
    device_id = fields.String(allow_none=True)
    author_id = fields.String(allow_none=True)
    author_name = fields.String(allow_none=True, metadata={
        "description": "the author's name (full name, else username); a conflict's winner "
                       "and loser in data carry author_name too"})
    own = fields.Boolean(required=True)
    at = fields.String(required=True)


class PullResultSchema(Schema):
    """One page of changes."""

    changes = fields.List(fields.Nested(ChangeSchema), required=True)
    next_cursor = fields.Integer(required=True)
    more = fields.Boolean(required=True)
    server_time = fields.DateTime(required=True)


@blp.before_request
def cap_push():
    """Refuse a push body or batch over the documented caps with 413 naming the cap."""
    if request.method != "POST" or not request.path.endswith("/push"):
        return
    cap = max_body_bytes()
    if len(request.get_data()) > cap:
        raise too_large(cap)
    body = request.get_json(silent=True)
    ops = body.get("ops") if isinstance(body, dict) else None
    if isinstance(ops, list) and len(ops) > MAX_OPS:
        raise APIError(413, "batch_too_large",
                       f"A push carries at most {MAX_OPS} operations; send the rest next.",
                       {"max_ops": [str(MAX_OPS)]})


@blp.route("/push", methods=["POST"])
@blp.arguments(PushSchema)
@blp.response(200, PushResultSchema)
@blp.alt_response(409, description="client_state_mismatch: take a new device id")
@blp.alt_response(413, description="over the body or batch cap")
@blp.doc(security=BEARER)
def push(batch):
    """Apply a batch of operations from one device, in one transaction.

    A revoked device's push is still taken; the answer says revoked, and wipe once
    nothing (no photo) is missing (server/auth/devices.py).
    """
    user = require_user()
    bind_sync_device(user, token_row(), batch["device_id"])
    result = apply_operations(user, batch["device_id"], batch)
    device = push_device(user, batch["device_id"])
    note_contact(device, batch["app_version"], batch["pending"])
    if device.revoked_at is not None:
        more = (batch["pending"] or 0) > len(batch["ops"])
        result |= {"revoked": True,
                   "wipe": finish_device(device, result["missing_blobs"], more)}
    return result


@blp.route("/pull", methods=["GET"])
@blp.arguments(PullQuerySchema, location="query")
@blp.response(200, PullResultSchema)
@blp.alt_response(409, description="cursor_ahead: pull again from 0")
@blp.doc(security=BEARER)
def pull(args):
    """Return the changes after a cursor that the user may see, one page."""
    user = require_user()
    if args["device_id"]:
        device = bind_sync_device(user, token_row(), args["device_id"])
        if device is not None:
            note_contact(device, args["app_version"], args["pending"])
    return pull_changes(user, args["cursor"], args["limit"], args["device_id"])
