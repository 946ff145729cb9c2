"""Bearer tokens: signed, expiring, and revocable through their database row."""

import uuid
from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..extensions import db
from ..models import AuthToken, User, utcnow

SALT = "tekseru.bearer.v1"


def _serializer() -> URLSafeSerializer:
    """Return the signer bound to the app's secret key."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_token(user: User, user_agent: str = "",
                device_id: str | None = None) -> tuple[str, AuthToken]:
    """Create a token row for a user and return the signed token with it."""
    now = utcnow()
    row = AuthToken(
        id=uuid.uuid4(), user_id=user.id, generation=user.token_generation, created_at=now,
        expires_at=now + timedelta(seconds=current_app.config["TOKEN_TTL_SECONDS"]),
        user_agent=user_agent[:300], device_id=device_id,
    )
    db.session.add(row)
    db.session.flush()
    return _serializer().dumps({"t": str(row.id)}), row


def resolve_token(token: str) -> AuthToken | None:
    """Return the live token row a bearer token names, or None."""
    try:
        payload = _serializer().loads(token)
        token_id = uuid.UUID(payload["t"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None
    row = db.session.get(AuthToken, token_id)
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = row.user
    if not user.active or user.token_generation != row.generation:
        return None
    return row


def revoke_token(row: AuthToken) -> None:
    """Revoke one token (logout)."""
    if row.revoked_at is None:
        row.revoked_at = utcnow()
