"""The tekseru CLI, the demo loader, migrations and the production refusals."""

import pytest
from sqlalchemy import func, select

from server import create_app
from server.config import ConfigError
from server.extensions import db
from server.models import Commission, Facility, User


def test_demo_is_idempotent(runner, app):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(User)) == 8
    assert db.session.scalar(select(func.count()).select_from(Commission)) == 2
    assert db.session.scalar(select(func.count()).select_from(Facility)) == 13
    assert "tekseru-demo" in first.output


def test_user_create_passwd_disable(runner, app, demo, client):
    created = runner.invoke(args=["user", "create", "new.chair", "--role", "chair",
                                  "--commission", "almaty", "--password", "a-long-password"])
    assert created.exit_code == 0, created.output
    ok = client.post("/api/v1/auth/token", json={"username": "new.chair",
                                                 "password": "a-long-password"})
    assert ok.status_code == 201
    changed = runner.invoke(args=["user", "passwd", "new.chair", "--password", "another-long-pw"])
    assert changed.exit_code == 0
    me = client.get("/api/v1/me", headers={"Authorization": "Bearer " + ok.json["token"]})
    assert me.status_code == 401
    disabled = runner.invoke(args=["user", "disable", "new.chair"])
    assert disabled.exit_code == 0
    again = client.post("/api/v1/auth/token", json={"username": "new.chair",
                                                    "password": "another-long-pw"})
    assert again.status_code == 401


def test_user_create_refuses_bad_input(runner, app, demo):
    no_commission = runner.invoke(args=["user", "create", "x.y", "--role", "inspector",
                                        "--password", "a-long-password"])
    assert no_commission.exit_code != 0 and "commission" in no_commission.output
    short = runner.invoke(args=["user", "create", "x.z", "--role", "admin", "--password", "short"])
    assert short.exit_code != 0 and "Password too short" in short.output


def test_migrations_match_the_models(app):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_timestamps_are_utc_aware(app, demo):
    user = demo.user("admin")
    db.session.expire(user)
    assert user.created_at.tzinfo is not None
    assert user.created_at.utcoffset().total_seconds() == 0


@pytest.mark.parametrize("secret", [None, "short", "dev-only-not-secret"])
def test_production_refuses_weak_secret(monkeypatch, tmp_path, secret):
    monkeypatch.setenv("TEKSERU_ENV", "production")
    monkeypatch.setenv("TEKSERU_INSTANCE_PATH", str(tmp_path))
    if secret is None:
        monkeypatch.delenv("SECRET_KEY", raising=False)
    else:
        monkeypatch.setenv("SECRET_KEY", secret)
    with pytest.raises(ConfigError):
        create_app()


def test_production_refuses_debug(monkeypatch, tmp_path):
    monkeypatch.setenv("TEKSERU_ENV", "production")
    monkeypatch.setenv("TEKSERU_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    with pytest.raises(ConfigError):
        create_app({"DEBUG": True})


def test_production_sets_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("TEKSERU_ENV", "production")
    monkeypatch.setenv("TEKSERU_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json["database"] == "ok"


def test_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "abc12345-trace"})
    assert response.headers["X-Request-ID"] == "abc12345-trace"
    generated = client.get("/healthz").headers["X-Request-ID"]
    assert len(generated) == 32


def test_readyz_checks_every_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    checks = response.json["checks"]
    assert checks["database"] == "ok" and checks["migrations"] == "ok"
    assert checks["blob_store"] == "ok" and checks["redis"] == "not configured"


def test_readyz_fails_when_redis_is_down(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json["checks"]["redis"].startswith("unreachable")


def test_production_refuses_demo_accounts(app, demo, monkeypatch, tmp_path, database_url):
    monkeypatch.setenv("TEKSERU_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("TEKSERU_INSTANCE_PATH", str(tmp_path))
    with pytest.raises(ConfigError, match="demo accounts"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url})


def test_metrics_for_admin_or_token_only(app, client, demo):
    assert client.get("/metrics").status_code == 404
    client.post("/login", data={"username": "chair.almaty", "password": demo.password})
    assert client.get("/metrics").status_code == 404
    app.config["METRICS_TOKEN"] = "scrape-secret"
    scraper = app.test_client()
    assert scraper.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404
    response = scraper.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "tekseru_request_seconds_bucket" in text
    assert "tekseru_sync_ops" in text and "tekseru_visits" in text
    admin = app.test_client()
    admin.post("/login", data={"username": "admin", "password": demo.password})
    assert admin.get("/metrics").status_code == 200
