"""Who is making the request: a bearer token for the API, a session cookie for pages."""

import uuid
from functools import wraps

from flask import g, redirect, request, session, url_for

from ..errors import APIError, wants_json
from ..extensions import db
from ..models import User, utcnow
from .devices import device_allows, revoked_error, token_device
from .tokens import resolve_token


def load_current_user() -> None:
    """Set g.user (and g.token) from the Authorization header or the session."""
    g.user, g.token = None, None
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        row = resolve_token(header[7:].strip())
        if row is not None and not device_allows(token_device(row), request.path):
            g.device_revoked = True
        elif row is not None:
            g.user, g.token = row.user, row
            if row.last_used_at is None or (utcnow() - row.last_used_at).total_seconds() > 300:
                row.last_used_at = utcnow()
        return
    if request.path.startswith("/api/"):
        return  # the API takes bearer tokens only, so it needs no CSRF protection
    uid = session.get("uid")
    if uid:
        user = db.session.get(User, uuid.UUID(uid))
        if user and user.active and user.token_generation == session.get("gen"):
            g.user = user
        else:
            session.clear()


def current_user() -> User | None:
    """Return the signed-in user or None."""
    return g.get("user")


def unauthorized():
    """Answer 401 for the API, a redirect to the login page for browsers."""
    if g.get("device_revoked"):
        raise revoked_error()
    if wants_json():
        raise APIError(401, "unauthorized", "Sign in first: a valid bearer token is required.",
                       headers={"WWW-Authenticate": 'Bearer realm="tekseru"'})
    return redirect(url_for("web.login", next=request.full_path))


def login_required(view):
    """Refuse anonymous requests."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_user() is None:
            return unauthorized()
        return view(*args, **kwargs)

    return wrapper


def roles_required(*roles):
    """Refuse users whose role is not listed; hidden as 404 like anything out of scope."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                return unauthorized()
            if user.role not in roles:
                raise APIError(404, "not_found", "Not found.")
            return view(*args, **kwargs)

        return wrapper

    return decorate
