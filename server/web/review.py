"""The chair's review desk, read side: dashboard, facility, visit and photo pages (thin views)."""

import io

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth import current_user, login_required
from ..errors import APIError
from ..extensions import db
from ..i18n import current_language
from ..models import FACILITY_KINDS, Commission, Facility, Visit, VisitSummary
from ..review.dashboard import dashboard_rows, due_days, today
from ..review.followup import open_findings
from ..review.params import DashboardQuerySchema, load_or_none
from ..review.summaries import refresh_summaries
from ..review.thumbs import thumbnail
from ..review.visit_view import visit_page
from ..scope import NATIONAL_ROLES, can_see_blob, get_or_404, redact_finding, scoped
from ..sync.blobs import SHA256_RE, stored_blob
from ..sync.storage import blob_store

bp = Blueprint("review", __name__, url_prefix="/review")


def filter_options(user) -> dict:
    """Return the regions, kinds and (for national roles) commissions a user may filter by."""
    regions = db.session.execute(scoped(user, Facility).with_only_columns(Facility.region)
                                 .distinct().order_by(Facility.region)).scalars().all()
    commissions = []
    if user.role in NATIONAL_ROLES:
        commissions = db.session.execute(scoped(user, Commission)
                                         .order_by(Commission.slug)).scalars().all()
    return {"regions": regions, "kinds": FACILITY_KINDS, "commissions": commissions}


@bp.route("/")
@login_required
def dashboard():
    """Every facility in scope, the worst first, with scores, trend and due dates."""
    user, lang = current_user(), current_language()
    filters, errors = load_or_none(DashboardQuerySchema(), request.args)
    if filters is None:
        filters = DashboardQuerySchema().load({})
    rows = dashboard_rows(user, filters, lang)
    return render_template("review/dashboard.html", rows=rows, filters=filters,
                           options=filter_options(user), today=today(), errors=errors,
                           args=request.args), 422 if errors else 200


@bp.route("/facilities/<facility_id>")
@login_required
def facility(facility_id):
    """One facility: its visits with their scores, the trend and its open findings."""
    user = current_user()
    row = get_or_404(user, Facility, facility_id, "facility")
    refresh_summaries()
    summaries = db.session.execute(select(VisitSummary).where(VisitSummary.facility_id == row.id)
                                   .order_by(VisitSummary.started_at.desc(),
                                             VisitSummary.visit_id)).scalars().all()
    trend = [s.facility_score for s in reversed(summaries) if s.facility_score is not None][-12:]
    return render_template("review/facility.html", facility=row, summaries=summaries,
                           trend=trend, findings=[redact_finding(user, f) for f in
                                                  open_findings(row.id, today())],
                           today=today(), due_days=due_days(row.kind))


def load_visit(visit_id) -> Visit:
    """Return a visit in scope with what its page needs loaded, or raise 404."""
    visit = get_or_404(current_user(), Visit, visit_id, "visit")
    db.session.execute(select(Visit).where(Visit.id == visit.id).options(
        selectinload(Visit.answers), selectinload(Visit.team))).scalar_one()
    return visit


def render_visit(visit: Visit, error: APIError | None = None, status: int = 200):
    """Render the visit page, with an error message on top when an action failed."""
    data = visit_page(visit, current_language(), current_user())
    chair = current_user().role == "chair"
    return render_template("review/visit.html", **data, error=error, can_review=chair), status


@bp.route("/visits/<visit_id>")
@login_required
def visit(visit_id):
    """One visit: rule outcomes by domain, conflicts, photos, sign-off and history."""
    return render_visit(load_visit(visit_id))


@bp.route("/photos/<sha256>")
@login_required
def photo(sha256):
    """Send a photo of a visit in scope (?size=thumb for a thumbnail)."""
    if not SHA256_RE.match(sha256) or not can_see_blob(current_user(), sha256):
        abort(404)
    blob = stored_blob(sha256)
    if blob is None:
        abort(404)
    data, mimetype = blob_store().read(sha256), blob.content_type
    if request.args.get("size") == "thumb":
        small = thumbnail(sha256, data)
        data, mimetype = (small, "image/jpeg") if small else (data, mimetype)
    response = send_file(io.BytesIO(data), mimetype=mimetype, max_age=31536000)
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
