"""Server-rendered pages for chairs and the ombudsman office (session login, CSRF)."""

from . import (  # noqa: F401 - each module adds its pages to a blueprint
    apidocs,
    pwa,
    review,
    review_actions,
    review_devices,
    review_exports,
    review_helpers,
)
from .views import bp


def init_app(app) -> None:
    """Register the page blueprints: account and facilities, the review desk, the offline app."""
    app.register_blueprint(bp)
    app.register_blueprint(review.bp)
    review_helpers.init_app(app)
    app.register_blueprint(pwa.bp)
    app.register_blueprint(apidocs.bp)
