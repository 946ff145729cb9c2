"""Download routes: /reports/... for a signed-in browser or a bearer token (thin views)."""

import io

from flask import Blueprint, Response, request, send_file

from ..audit import append_event
from ..auth import current_user, login_required
from ..errors import APIError
from ..i18n import LANGUAGES, current_language
from ..models import Facility, Visit, utcnow
from ..scope import get_or_404, sees_sensitive
from .formatting import label
from .links import report_links
from .scopes import annual_scope
from .service import annual_report, facility_report, pdf_file, visit_report

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.app_context_processor
def report_helpers():
    """Give every page `rl` (report labels) and `report_links(facility)`, in its language."""
    return {"rl": lambda key, **values: label(key, current_language(), **values),
            "report_links": lambda facility: report_links(facility, current_language())}


def report_language() -> str:
    """Return ?lang= (422 when unknown), else the language of the request."""
    lang = request.args.get("lang")
    if lang is None or lang == "":
        return current_language()
    if lang not in LANGUAGES:
        raise APIError(422, "unknown_language", "Reports exist in ru, kk and en only.",
                       {"lang": [f"must be one of: {', '.join(LANGUAGES)}"]})
    return lang


def include_notes() -> bool:
    """Return whether the requester chose ?notes=include and may read notes (audited)."""
    return request.args.get("notes") == "include" and sees_sensitive(current_user())


def send_report(report, target_type: str, target_id, notes: bool = False) -> Response:
    """Answer 304 for a current ETag, else the PDF; audit the download either way."""
    fresh = request.if_none_match.contains(report.etag)
    path, cached = (None, True) if fresh else pdf_file(report)
    append_event("report_downloaded", actor=current_user(), target_type=target_type,
                 target_id=target_id, data={"kind": report.kind, "etag": report.etag,
                                            "not_modified": fresh, "cached": cached,
                                            "notes_included": notes})
    if fresh:
        response = Response(status=304)
    else:
        response = send_file(io.BytesIO(path.read_bytes()), mimetype="application/pdf",
                             as_attachment=True,
                             download_name=report.filename, conditional=False, etag=False)
        response.headers["X-Report-Cache"] = "hit" if cached else "miss"
    response.set_etag(report.etag)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.route("/visits/<visit_id>.pdf")
@login_required
def visit_pdf(visit_id):
    """Download a visit report; free-text notes only with ?notes=include (audited)."""
    lang, notes, user = report_language(), include_notes(), current_user()
    visit = get_or_404(user, Visit, visit_id, "visit")
    readable = sees_sensitive(user)
    report = visit_report(visit, lang, notes=notes, photos=readable, sensitive=readable)
    return send_report(report, "visit", visit.id, notes=notes)


@bp.route("/facilities/<facility_id>.pdf")
@login_required
def facility_pdf(facility_id):
    """Download a facility report as of today."""
    lang, user = report_language(), current_user()
    facility = get_or_404(user, Facility, facility_id, "facility")
    report = facility_report(facility, lang, utcnow().date(), sensitive=sees_sensitive(user))
    return send_report(report, "facility", facility.id)


@bp.route("/annual/<int:year>.pdf")
@login_required
def annual_pdf(year):
    """Download the annual report of a commission, a region or the whole country."""
    lang = report_language()
    scope = annual_scope(current_user(), year, request.args.get("commission"),
                         request.args.get("region"))
    return send_report(annual_report(current_user(), scope, lang), "annual", scope.token())

