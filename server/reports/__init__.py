"""PDF reports: visit, facility and annual, one by one or in bulk (WeasyPrint, server-side SVG)."""


def init_app(app) -> None:
    """Register the download routes and the bulk pages (one blueprint, /reports)."""
    from . import bulk_views  # noqa: F401 - adds the bulk pages to views.bp
    from .views import bp

    app.register_blueprint(bp)
