"""Database session rules: commit at the request boundary, SQLite tuned for safe writes."""

from flask import g
from sqlalchemy import event
from sqlalchemy.exc import IntegrityError, OperationalError

from .auth import load_current_user
from .errors import error_response
from .extensions import db


def _tune_sqlite(engine) -> None:
    """Use WAL, enforce foreign keys and take the write lock when a transaction begins."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        # SQLite's lower() only folds ASCII; Russian and Kazakh search needs Unicode.
        dbapi_connection.create_function(
            "lower", 1, lambda v: v.lower() if isinstance(v, str) else v, deterministic=True)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_app(app) -> None:
    """Register engine tuning and the commit/rollback hooks."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            _tune_sqlite(db.engine)

    app.before_request(load_current_user)

    @app.after_request
    def commit_session(response):
        if response.status_code >= 400 or g.get("rollback"):
            db.session.rollback()
            return response
        try:
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            return error_response(409, "conflict", "The change conflicts with existing data.")
        except OperationalError:
            db.session.rollback()
            return error_response(503, "unavailable", "The database is busy; try again.",
                                  headers={"Retry-After": "5"})
        return response

    @app.teardown_request
    def rollback_leftovers(_exc):
        db.session.rollback()
