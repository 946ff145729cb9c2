"""The review desk's exports: a page of filters and links, and the downloads (thin views)."""

from flask import render_template, request

from ..auth import current_user, login_required
from ..errors import APIError
from ..review.downloads import check_commission, export_response
from ..review.params import ExportQuerySchema, load_or_none
from .review import bp, filter_options


def _args() -> dict:
    """Return the export filters of the query string (422 when one is invalid)."""
    args, errors = load_or_none(ExportQuerySchema(), request.args)
    if args is None:
        raise APIError(422, "invalid_fields", "Some filters are invalid.", errors)
    return args


@bp.route("/export/")
@login_required
def export_page():
    """Choose the filters, language and format of an export."""
    args = _args()
    check_commission(current_user(), args.get("commission_id"))
    return render_template("review/export.html", args=request.args,
                           options=filter_options(current_user()))


@bp.route("/export/visits")
@login_required
def export_visits():
    """Download the visit list (CSV or XLSX)."""
    return export_response(current_user(), "visits", _args())


@bp.route("/export/answers")
@login_required
def export_answers():
    """Download every answer, one line per visit (CSV or XLSX)."""
    return export_response(current_user(), "answers", _args())
