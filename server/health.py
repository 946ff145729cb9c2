"""Liveness (/healthz) and readiness (/readyz) checks."""

import os
import tempfile
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from .extensions import db

bp = Blueprint("health", __name__)


def check_database() -> str:
    """Return "ok" when the database answers a query."""
    try:
        db.session.execute(text("SELECT 1"))
        return "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        db.session.rollback()
        return f"unreachable: {type(exc).__name__}"


def check_migrations() -> str:
    """Return "ok" when the database is at the newest Alembic revision."""
    from alembic.script import ScriptDirectory

    directory = current_app.extensions["migrate"].directory
    heads = set(ScriptDirectory(directory).get_heads())
    try:
        current = set(db.session.execute(text("SELECT version_num FROM alembic_version"))
                      .scalars())
    except Exception:  # noqa: BLE001 - no table means never migrated
        db.session.rollback()
        return "not migrated: run `tekseru db upgrade`"
    return "ok" if current == heads else f"behind: at {sorted(current)}, head {sorted(heads)}"


def check_redis() -> str:
    """Return "ok" when Redis answers, or "not configured"."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "not configured"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        return "ok"
    except redis.RedisError as exc:
        return f"unreachable: {type(exc).__name__}"


def check_blob_store() -> str:
    """Return "ok" when the blob folder accepts a write."""
    folder = Path(current_app.config["BLOB_DIR"])
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ready-"):
            pass
        return "ok"
    except OSError as exc:
        return f"not writable: {exc.strerror or type(exc).__name__}"


@bp.route("/healthz")
def healthz():
    """Report whether the app runs and its database answers (liveness)."""
    database = check_database()
    ok = database == "ok"
    return jsonify({"status": "ok" if ok else "degraded", "database": database}), 200 if ok else 503


@bp.route("/readyz")
def readyz():
    """Report whether every dependency is ready to serve traffic (readiness)."""
    checks = {"database": check_database(), "migrations": check_migrations(),
              "redis": check_redis(), "blob_store": check_blob_store()}
    ok = all(value in ("ok", "not configured") for value in checks.values())
    body = {"status": "ok" if ok else "not ready", "checks": checks, "pid": os.getpid()}
    return jsonify(body), 200 if ok else 503
