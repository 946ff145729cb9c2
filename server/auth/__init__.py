"""Accounts: password hashing, bearer tokens, the current user and account operations."""

from .current import current_user, load_current_user, login_required, roles_required

__all__ = ["current_user", "load_current_user", "login_required", "roles_required"]
