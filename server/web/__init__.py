"""Server-rendered pages for chairs and the ombudsman office (session login, CSRF)."""

from . import pwa
from .views import bp


def init_app(app) -> None:
    """Register the page blueprint and the offline app's."""
    app.register_blueprint(bp)
    app.register_blueprint(pwa.bp)
