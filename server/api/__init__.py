"""JSON API under /api/v1 (flask-smorest): registers every blueprint."""

from flask import request

from ..errors import APIError
from ..extensions import api, csrf
from . import (
    auth,
    blobs,
    checklists,
    commissions,
    devices,
    exports,
    facilities,
    reports,
    review,
    scores,
    sync,
    users,
    visits,
)
from .bodies import decode_gzip_body
from .common import enforce_access

# Every API module exposes `blp`; a new module is added here and nowhere else.
MODULES = (auth, users, commissions, facilities, visits, sync, blobs, checklists, scores, reports,
           review, exports, devices)
BODY_METHODS = ("POST", "PUT", "PATCH")
# Endpoints taking raw bytes rather than JSON (photos).
RAW_BODY_PREFIXES = ("/api/v1/blobs/",)
# Endpoints that check NUL characters per item, so that one bad item does not refuse the rest.
NUL_CHECKED_PER_ITEM = ("/api/v1/sync/push",)


def check_json_body() -> None:
    """Refuse non-JSON and malformed JSON bodies with 415 and 400 before any view runs."""
    if not request.path.startswith("/api/") or request.method not in BODY_METHODS:
        return
    if request.path.startswith(RAW_BODY_PREFIXES):
        return
    if not request.content_length and not request.headers.get("Transfer-Encoding"):
        return
    if not request.is_json:
        raise APIError(415, "unsupported_media_type",
                       "Send the body as JSON with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if body is None:
        raise APIError(400, "malformed_json", "The body is not valid JSON.")
    if request.path not in NUL_CHECKED_PER_ITEM and _has_nul(body):
        raise APIError(422, "nul_character", "Text must not contain NUL (U+0000) characters.")


def _has_nul(value) -> bool:
    """Tell whether any string in a JSON document contains U+0000 (no database stores it)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def init_app(app) -> None:
    """Bind flask-smorest and register the API blueprints."""
    api.init_app(app)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "bearerFormat": "opaque"}
    )
    for module in MODULES:
        api.register_blueprint(module.blp)
        csrf.exempt(module.blp)
    app.before_request(enforce_access)
    app.before_request(decode_gzip_body)
    app.before_request(check_json_body)
