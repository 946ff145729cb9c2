"""Prometheus metrics at /metrics, for admins or a scrape token.

Request latency (the sync push among them) and report render time are observed in process
(set PROMETHEUS_MULTIPROC_DIR under gunicorn so every worker's samples add up); counts of
operations, conflicts and visits are read from the database at scrape time, so they are
the same whichever worker answers.
"""

import hmac
import os
import time

from flask import Blueprint, Response, current_app, g, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import func, select

from .errors import APIError
from .extensions import db

bp = Blueprint("metrics", __name__)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10)
REQUEST_SECONDS = Histogram("tekseru_request_seconds", "Time to answer a request",
                            ["endpoint", "method"], buckets=BUCKETS)
RENDER_SECONDS = Histogram("tekseru_report_render_seconds", "Time to render one PDF report",
                           ["kind"], buckets=BUCKETS)


class DatabaseCollector:
    """Counts read from the database at scrape time."""

    def collect(self):
        """Yield operation, conflict and visit counts."""
        from .models import SyncConflict, SyncOp, Visit

        for name, doc, column in (
                ("tekseru_sync_ops", "Operations received, by outcome", SyncOp.status),
                ("tekseru_sync_conflicts", "Conflicts kept for chairs, by status",
                 SyncConflict.status),
                ("tekseru_visits", "Visits, by status", Visit.status)):
            family = GaugeMetricFamily(name, doc, labels=["status"])
            rows = db.session.execute(select(column, func.count()).group_by(column)).all()
            for status, count in rows:
                family.add_metric([str(status)], count)
            yield family


def _registry() -> CollectorRegistry:
    """Return the registry to expose: this process's or every worker's, plus the database's."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_SECONDS)
        registry.register(RENDER_SECONDS)
    registry.register(DatabaseCollector())
    return registry


def _allowed() -> bool:
    """Tell whether the caller is an admin or presents the scrape token."""
    user = g.get("user")
    if user is not None and user.role == "admin":
        return True
    token = current_app.config.get("METRICS_TOKEN")
    header = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(header, f"Bearer {token}")


@bp.route("/metrics")
def metrics():
    """Expose the metrics in the Prometheus text format."""
    if not _allowed():
        raise APIError(404, "not_found", "Not found.")
    return Response(generate_latest(_registry()), mimetype=CONTENT_TYPE_LATEST)


def init_app(app) -> None:
    """Register /metrics and time every request."""
    app.register_blueprint(bp)

    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def observe(response):
        started = g.get("metrics_started")
        if started is not None and request.endpoint:
            REQUEST_SECONDS.labels(request.endpoint, request.method).observe(
                time.perf_counter() - started)
        return response
