"""Configuration read from the environment, with safe development defaults."""

import os
from pathlib import Path

DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - refused in production, see check_production
MIN_SECRET_LENGTH = 32


class ConfigError(RuntimeError):
    """Raised when the app must refuse to start."""


def _database_url(instance_path: str) -> str:
    """Return the configured database URL, SQLite in the instance folder by default."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "sqlite:///" + str(Path(instance_path) / "tekseru.sqlite3")
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def from_environment(instance_path: str) -> dict:
    """Build the config mapping from environment variables."""
    redis_url = os.environ.get("REDIS_URL") or None
    production = os.environ.get("TEKSERU_ENV", "development") == "production"
    return {
        "TEKSERU_ENV": "production" if production else "development",
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": "tekseru",
        "REPORTS_QUEUE": os.environ.get("TEKSERU_REPORTS_QUEUE") or None,
        "LOGIN_RATE_LIMIT": os.environ.get("TEKSERU_LOGIN_RATE_LIMIT", "10 per minute"),
        "TOKEN_TTL_SECONDS": int(os.environ.get("TEKSERU_TOKEN_TTL", 14 * 24 * 3600)),
        "MAX_CONTENT_LENGTH": int(os.environ.get("TEKSERU_MAX_BODY", 32 * 1024 * 1024)),
        "METRICS_TOKEN": os.environ.get("TEKSERU_METRICS_TOKEN") or None,
        "PROXY_HOPS": int(os.environ.get("TEKSERU_PROXY_HOPS", 0)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "SESSION_COOKIE_NAME": "tekseru_session",
        "WTF_CSRF_TIME_LIMIT": None,
        "BLOB_DIR": os.environ.get("TEKSERU_BLOB_DIR", str(Path(instance_path) / "blobs")),
        "FORMS_DIR": os.environ.get(
            "TEKSERU_FORMS_DIR", str(Path(__file__).resolve().parent.parent / "forms")
        ),
        "API_TITLE": "Tekseru API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "OPENAPI_SWAGGER_UI_PATH": "docs",
        "OPENAPI_SWAGGER_UI_URL": "/api-docs-assets/",  # server/web/apidocs.py, no CDN
        "BABEL_DEFAULT_LOCALE": "ru",
        "LANGUAGES": ("ru", "kk", "en"),
    }


def check_production(config) -> None:
    """Refuse insecure settings when running in production mode."""
    if config.get("TEKSERU_ENV") != "production":
        return
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET or len(secret) < MIN_SECRET_LENGTH:
        raise ConfigError(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_LENGTH} "
            "characters in production (python -c 'import secrets; print(secrets.token_hex(32))')"
        )
    if config.get("DEBUG"):
        raise ConfigError("DEBUG must be off in production")


def refuse_demo_accounts(app) -> None:
    """Refuse to serve in production while demo accounts (known passwords) exist."""
    from sqlalchemy import inspect, select

    from .extensions import db
    from .models import User

    with app.app_context():
        if not inspect(db.engine).has_table(User.__tablename__):
            return
        names = db.session.execute(
            select(User.username).where(User.is_demo.is_(True), User.active.is_(True))
        ).scalars().all()
        db.session.remove()
        if names:
            db.engine.dispose()  # the app is refused: close its pooled connection now
    if names:
        raise ConfigError(
            "demo accounts exist in production: " + ", ".join(sorted(names))
            + " — disable them with `tekseru user disable NAME`"
        )
