"""Server-rendered pages for chairs and the ombudsman office (session login, CSRF)."""

from .views import bp


def init_app(app) -> None:
    """Register the page blueprint."""
    app.register_blueprint(bp)
