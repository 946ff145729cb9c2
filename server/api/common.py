"""Helpers shared by API views."""

from flask import g

from ..auth import current_user
from ..auth.current import unauthorized

BEARER = [{"bearerAuth": []}]


def require_user():
    """Return the signed-in user or raise 401."""
    user = current_user()
    if user is None:
        unauthorized()
    return user


def require_role(*roles):
    """Return the signed-in user if their role is listed, else 404."""
    from ..errors import APIError

    user = require_user()
    if user.role not in roles:
        raise APIError(404, "not_found", "Not found.")
    return user


def token_row():
    """Return the token row used for this request, if any."""
    return g.get("token")
