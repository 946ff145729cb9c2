"""Helpers shared by API views: who may call what, checked before any body is parsed."""

from flask import current_app, g, request

from ..auth import current_user
from ..auth.current import unauthorized
from ..errors import APIError

BEARER = [{"bearerAuth": []}]


def public(view):
    """Mark an API view as callable without a token (put it right under @blp.route)."""
    view.tekseru_public = True
    return view


def roles_allowed(*roles):
    """Limit an API view to roles; others get 404 (put it right under @blp.route)."""

    def decorate(view):
        view.tekseru_roles = roles
        return view

    return decorate


def enforce_access() -> None:
    """Refuse anonymous calls (401) and wrong roles (404) before arguments are parsed."""
    if not request.path.startswith("/api/") or request.endpoint is None:
        return
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "tekseru_public", False) or request.endpoint.startswith("api-docs."):
        return
    user = require_user()
    roles = getattr(view, "tekseru_roles", None)
    if roles and user.role not in roles:
        raise APIError(404, "not_found", "Not found.")


def require_user():
    """Return the signed-in user or raise 401."""
    user = current_user()
    if user is None:
        unauthorized()
    return user


def require_role(*roles):
    """Return the signed-in user if their role is listed, else 404."""
    user = require_user()
    if user.role not in roles:
        raise APIError(404, "not_found", "Not found.")
    return user


def token_row():
    """Return the token row used for this request, if any."""
    return g.get("token")
