"""Exports in the API: the visit list and every answer, as CSV or XLSX."""

from flask_smorest import Blueprint

from ..review.downloads import export_response
from ..review.params import ExportQuerySchema
from .common import BEARER, require_user

blp = Blueprint("exports", __name__, url_prefix="/api/v1/exports",
                description="Visits and answers as CSV or XLSX, filtered")
FILE = {200: {"description": "the table: a line of column ids, a line of labels, the rows",
              "content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument"
                                                       ".spreadsheetml.sheet": {}}}}


@blp.route("/visits", methods=["GET"])
@blp.arguments(ExportQuerySchema, location="query")
@blp.doc(security=BEARER, responses=FILE)
def export_visits(args):
    """Download the visit list with headline scores (commission, region, kind, period)."""
    return export_response(require_user(), "visits", args)


@blp.route("/answers", methods=["GET"])
@blp.arguments(ExportQuerySchema, location="query")
@blp.doc(security=BEARER, responses=FILE)
def export_answers(args):
    """Download every answer: one line per visit, one column per indicator and regime."""
    return export_response(require_user(), "answers", args)
