"""State changes of accounts: sign in, sign out, create, change password, disable."""

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..models import COMMISSION_ROLES, ROLES, AuthToken, Commission, User
from .devices import check_sign_in_device, register_device
from .passwords import MIN_PASSWORD_LENGTH, hash_password, needs_rehash, verify_password
from .tokens import issue_token, revoke_token


def authenticate_user(username: str, password: str) -> User:
    """Return the user for valid credentials or raise 401 invalid_credentials."""
    user = db.session.execute(
        db.select(User).where(User.username == username.strip().lower())
    ).scalar_one_or_none()
    ok = verify_password(user.password_hash if user else None, password)
    if not ok or not user.active:
        append_event("login_failed", actor=user, target_type="user",
                     target_id=user.id if user else "", data={"username": username[:80]})
        raise APIError(401, "invalid_credentials", "Wrong username or password.")
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def login_with_token(username: str, password: str, user_agent: str = "",
                     device: dict | None = None) -> tuple[str, AuthToken]:
    """Check credentials, register the device if named, and issue a bearer token bound to it."""
    user = authenticate_user(username, password)
    device = device or {}
    row_device = None
    if device.get("device_id"):
        row_device = register_device(user, device["device_id"], device.get("app_version"),
                                     device.get("pending"))
        check_sign_in_device(row_device)
    token, row = issue_token(user, user_agent, row_device.id if row_device else None)
    append_event("login", actor=user, target_type="user", target_id=user.id,
                 data={"via": "token", "token_id": str(row.id),
                       "device_id": row.device_id})
    return token, row


def logout_token(row: AuthToken) -> None:
    """Revoke the token used for this request."""
    revoke_token(row)
    append_event("logout", actor=row.user, target_type="user", target_id=row.user_id,
                 data={"token_id": str(row.id)})


def _check_role(role: str, commission: Commission | None) -> None:
    """Refuse a role without its commission, or a commission on a national role."""
    if role not in ROLES:
        raise APIError(422, "invalid_fields", "Unknown role.", {"role": [f"one of {ROLES}"]})
    if role in COMMISSION_ROLES and commission is None:
        raise APIError(422, "invalid_fields", "This role needs a commission.",
                       {"commission_id": ["required for inspectors and chairs"]})
    if role not in COMMISSION_ROLES and commission is not None:
        raise APIError(422, "invalid_fields", "This role is not tied to a commission.",
                       {"commission_id": ["must be empty for ombudsman and admin"]})


def _check_password(password: str) -> None:
    """Refuse passwords that are too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise APIError(422, "invalid_fields", "Password too short.",
                       {"password": [f"at least {MIN_PASSWORD_LENGTH} characters"]})


def create_user(username: str, password: str, role: str, commission: Commission | None = None,
                full_name: str = "", actor=None, is_demo: bool = False) -> User:
    """Create an account; usernames are unique and lower case."""
    username = username.strip().lower()
    _check_role(role, commission)
    _check_password(password)
    if db.session.execute(db.select(User.id).where(User.username == username)).first():
        raise APIError(409, "username_taken", f"The username {username!r} is already taken.")
    user = User(username=username, password_hash=hash_password(password), role=role,
                commission=commission, full_name=full_name, is_demo=is_demo)
    db.session.add(user)
    db.session.flush()
    append_event("user_created", actor=actor, target_type="user", target_id=user.id,
                 data={"username": username, "role": role,
                       "commission": commission.slug if commission else None})
    return user


def change_password(user: User, new_password: str, actor=None) -> None:
    """Set a new password and revoke every token and browser session of the user."""
    _check_password(new_password)
    user.password_hash = hash_password(new_password)
    user.token_generation += 1
    append_event("password_changed", actor=actor or user, target_type="user", target_id=user.id)


def update_user(user: User, changes: dict, actor=None) -> User:
    """Change a user's name, role, commission or active flag."""
    role = changes.get("role", user.role)
    commission = changes.get("commission", user.commission)
    _check_role(role, commission)
    for field in ("full_name", "role", "locale"):
        if field in changes:
            setattr(user, field, changes[field])
    user.commission = commission
    if "active" in changes and changes["active"] != user.active:
        user.active = changes["active"]
        user.token_generation += 1
    append_event("user_changed", actor=actor, target_type="user", target_id=user.id,
                 data={k: str(v) for k, v in sorted(changes.items()) if k != "commission"}
                 | ({"commission": commission.slug if commission else None}))
    return user


def disable_user(user: User, actor=None) -> None:
    """Disable an account and cut all its tokens and sessions."""
    update_user(user, {"active": False}, actor=actor)
