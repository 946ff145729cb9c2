"""Liveness and readiness checks."""

from flask import Blueprint, jsonify
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz():
    """Report whether the app runs and its database answers."""
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        db.session.rollback()
        database = f"unreachable: {type(exc).__name__}"
    ok = database == "ok"
    return jsonify({"status": "ok" if ok else "degraded", "database": database}), 200 if ok else 503
