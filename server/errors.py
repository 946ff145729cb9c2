"""One error shape for the API: {"code", "message", "errors"} with the right status."""

import logging

from flask import jsonify, make_response, render_template, request
from werkzeug.exceptions import HTTPException

log = logging.getLogger("tekseru.errors")

# Stable codes for plain HTTP errors; views raise APIError for anything more specific.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_fields",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


class APIError(Exception):
    """An error a view raises on purpose, with a stable code."""

    def __init__(self, status: int, code: str, message: str, errors: dict | None = None,
                 headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.errors = errors or {}
        self.headers = headers or {}


def wants_json() -> bool:
    """Tell whether the current request should get a JSON error."""
    if request.path.startswith(("/api/", "/healthz", "/readyz")):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json" and not request.accept_mimetypes.accept_html


def error_response(status: int, code: str, message: str, errors=None, headers=None):
    """Build the JSON or HTML error response."""
    if wants_json():
        response = jsonify({"code": code, "message": message, "errors": errors or {}})
    else:
        body = render_template("error.html", status=status, code=code, message=message)
        response = make_response(body)
    response.status_code = status
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _webargs_errors(exc: HTTPException) -> dict:
    """Flatten webargs' {"json": {...}} messages into {"field": [...]}."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    flat = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            flat.update(fields)
        else:
            flat[location] = fields
    return flat


def handle_http_exception(exc: HTTPException):
    """Render any werkzeug HTTP error in the project's shape."""
    status = exc.code or 500
    errors = _webargs_errors(exc) if status == 422 else {}
    message = exc.description or exc.name
    if status == 422:
        message = "Some fields are invalid; see errors for which and why."
    headers = {}
    if status == 429:
        headers["Retry-After"] = "60"  # Flask-Limiter replaces it with the exact wait
        message = f"Too many requests ({exc.description}); retry after the Retry-After seconds."
    if status == 405:
        valid = getattr(exc, "valid_methods", None)
        if valid:
            headers["Allow"] = ", ".join(valid)
    return error_response(status, HTTP_CODES.get(status, f"http_{status}"), message, errors,
                          headers)


def handle_api_error(exc: APIError):
    """Render a deliberate API error."""
    return error_response(exc.status, exc.code, exc.message, exc.errors, exc.headers)


def handle_unexpected(exc: Exception):
    """Log an unhandled exception and answer a coded 500, never a traceback page."""
    if isinstance(exc, HTTPException):
        return handle_http_exception(exc)
    log.exception("unhandled exception", extra={"path": request.path})
    from .extensions import db

    db.session.rollback()
    return error_response(500, "internal_error", "An unexpected error occurred; it was logged.")


def init_app(app) -> None:
    """Register the error handlers (after flask-smorest's, which they replace)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(APIError, handle_api_error)
    app.register_error_handler(Exception, handle_unexpected)
