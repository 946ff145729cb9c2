"""Fixtures shared by the whole suite: app, client, runner and a clean database per test.

The database is SQLite in a temporary folder, or PostgreSQL when TEST_DATABASE_URL is set.
Its schema is built once per session by the Alembic migrations; every table is emptied
after each test.
"""

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from server import create_app
from server.auth.passwords import use_fast_hashing
from server.extensions import db, limiter

PG_URL = os.environ.get("TEST_DATABASE_URL")
use_fast_hashing()


def _sqlalchemy_url(url: str) -> str:
    """Use the psycopg 3 driver for a postgresql:// URL."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """Return the URL of an empty, migrated test database.

    On PostgreSQL each test session gets its own schema, so concurrent runs never collide.
    """
    engine = None
    if PG_URL:
        base = _sqlalchemy_url(PG_URL)
        schema = f"tekseru_test_{os.getpid()}"
        engine = create_engine(base)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in base else "?"
        url = f"{base}{separator}options=-csearch_path%3D{schema}"
    else:
        url = "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.sqlite3")
    app = create_app(_test_config(url, tmp_path_factory.mktemp("instance")))
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        db.engine.dispose()
    yield url
    if engine is not None:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        engine.dispose()


def _test_config(url: str, instance) -> dict:
    """Return the config every test app starts from."""
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-" + "x" * 40,
        "WTF_CSRF_ENABLED": False,
        "BLOB_DIR": str(instance / "blobs"),
        "REPORTS_DIR": str(instance / "reports"),
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOG_LEVEL": "WARNING",
    }


def _empty_tables() -> None:
    """Delete every row of every table (the schema stays)."""
    tables = list(reversed(db.metadata.sorted_tables))
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{t.name}"' for t in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture
def app(database_url, tmp_path):
    """Return an app bound to the clean test database."""
    app = create_app(_test_config(database_url, tmp_path))
    with app.app_context():
        limiter.reset()
        yield app
        db.session.remove()
        _empty_tables()
        db.engine.dispose()


@pytest.fixture
def client(app):
    """Return a test client."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Return a CLI runner."""
    return app.test_cli_runner()


@pytest.fixture
def demo(app):
    """Load the demo data and return a helper to look its records up."""
    from server.demo import load_demo

    load_demo(visits=False)  # demo visits: server.demo_visits, tests/sync/test_demo.py
    db.session.commit()
    return DemoData()


class DemoData:
    """Named access to the demo records."""

    password = "tekseru-demo"

    def user(self, username):
        """Return a demo user."""
        from server.models import User

        return db.session.execute(db.select(User).filter_by(username=username)).scalar_one()

    def facility(self, key):
        """Return a demo facility by its key (e.g. 'almaty-sizo')."""
        from server.demo import demo_id
        from server.models import Facility

        return db.session.get(Facility, demo_id("facility:" + key))

    def commission(self, slug):
        """Return a demo commission."""
        from server.models import Commission

        return db.session.execute(db.select(Commission).filter_by(slug=slug)).scalar_one()


@pytest.fixture
def login(client):
    """Return a function that signs a user in and gives the Authorization header."""
    cache = {}

    def _login(username, password="tekseru-demo"):
        if username not in cache:
            response = client.post("/api/v1/auth/token",
                                   json={"username": username, "password": password})
            assert response.status_code == 201, response.json
            cache[username] = {"Authorization": "Bearer " + response.json["token"]}
        return cache[username]

    return _login


@pytest.fixture
def random_uuid():
    """Return a fresh UUID string."""
    return lambda: str(uuid.uuid4())
