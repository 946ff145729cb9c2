"""Swagger UI's files for the browsable API docs (/api/v1/docs), served from this server.

flask-smorest's page loads Swagger UI from OPENAPI_SWAGGER_UI_URL; a CDN address would leave
the page blank on an office network without internet, so the files come from the
swagger-ui-bundle package instead.
"""

from flask import Blueprint, abort, send_from_directory
from swagger_ui_bundle import swagger_ui_path

bp = Blueprint("apidocs", __name__)

URL = "/api-docs-assets/"


@bp.route(f"{URL}<path:filename>")
def swagger_ui_file(filename):
    """Return one of Swagger UI's static files (public, like the docs page)."""
    if not filename.endswith((".js", ".css", ".png", ".html", ".map")):
        abort(404)
    return send_from_directory(swagger_ui_path, filename, max_age=86400)
