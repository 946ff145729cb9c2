"""Sign in for the API: bearer tokens; the signed-in user's own account."""

from flask import current_app, request
from flask_smorest import Blueprint

from ..auth.operations import change_password, login_with_token, logout_token
from ..auth.passwords import verify_password
from ..errors import APIError
from ..extensions import db, limiter
from .common import BEARER, public, require_user, token_row
from .schemas import PasswordChangeSchema, TokenRequestSchema, TokenSchema, UserSchema

blp = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign in and own account")


def _login_limit() -> str:
    """Return the configured login rate limit."""
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/auth/token", methods=["POST"])
@public
@limiter.limit(_login_limit)
@blp.arguments(TokenRequestSchema)
@blp.response(201, TokenSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Too many attempts; see Retry-After")
def create_token(credentials):
    """Exchange a username and password for a bearer token."""
    try:
        token, row = login_with_token(credentials["username"], credentials["password"],
                                      request.headers.get("User-Agent", ""), credentials)
    except APIError:
        db.session.commit()  # keep the audit record of the failed attempt
        raise
    return {"token": token, "expires_at": row.expires_at, "user": row.user}


@blp.route("/auth/logout", methods=["POST"])
@blp.response(204)
@blp.doc(security=BEARER)
def logout():
    """Revoke the bearer token used for this request."""
    require_user()
    row = token_row()
    if row is not None:
        logout_token(row)


@blp.route("/me", methods=["GET"])
@blp.response(200, UserSchema)
@blp.doc(security=BEARER)
def me():
    """Return the signed-in user."""
    return require_user()


@blp.route("/me/password", methods=["PUT"])
@limiter.limit(_login_limit)
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
@blp.doc(security=BEARER)
def put_password(body):
    """Change one's own password; every token and session is revoked."""
    user = require_user()
    if not verify_password(user.password_hash, body["current_password"]):
        raise APIError(422, "invalid_fields", "The current password is wrong.",
                       {"current_password": ["does not match"]})
    change_password(user, body["new_password"])
