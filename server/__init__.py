"""Tekseru: the Flask application factory."""

import os
from pathlib import Path

from flask import Flask

from . import config as config_module


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the Tekseru application."""
    instance_path = os.environ.get("TEKSERU_INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path and str(Path(instance_path).resolve()),
                instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_module.from_environment(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    config_module.check_production(app.config)
    if app.config["PROXY_HOPS"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    _init_extensions(app)
    if app.config["TEKSERU_ENV"] == "production":
        config_module.refuse_demo_accounts(app)
    return app


def _init_extensions(app: Flask) -> None:
    """Bind extensions, blueprints, hooks and commands to the app."""
    from . import api, cli, db_session, errors, health, i18n, logs, metrics, reports, web
    from .extensions import csrf, db, limiter, migrate

    logs.init_app(app)
    db.init_app(app)
    db_session.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent / "migrations"))
    limiter.init_app(app)
    csrf.init_app(app)
    i18n.init_app(app)
    api.init_app(app)
    web.init_app(app)
    reports.init_app(app)
    app.register_blueprint(health.bp)
    metrics.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
