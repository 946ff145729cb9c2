"""Bulk pages: choose a selection, follow the job's progress, download its ZIP."""

from flask import Response, abort, redirect, render_template, request, url_for
from marshmallow import ValidationError

from ..audit import append_event
from ..auth import current_user, login_required
from ..errors import APIError
from ..extensions import db
from ..i18n import LANGUAGES
from ..models import FACILITY_KINDS, Commission, Facility
from ..scope import scoped
from .bulk import REPORT_KINDS, zip_path
from .jobs import start_bulk
from .jobstore import job_store
from .schemas import BulkSelectionSchema, job_view, selection_from
from .views import bp

LISTS = ("commissions", "regions", "kinds", "reports", "languages")


def own_job(job_id: str) -> dict:
    """Return a job the current user started, else 404."""
    job = job_store().get(job_id) if job_id.isalnum() and len(job_id) <= 64 else None
    if job is None or job["user_id"] != str(current_user().id):
        raise APIError(404, "not_found", "No report job with this id is visible to you.")
    return job


def _choices(user) -> dict:
    """Return what the form offers: the user's commissions and regions, kinds, reports."""
    commissions = db.session.execute(scoped(user, Commission).order_by(Commission.slug))
    regions = db.session.execute(scoped(user, Facility).with_only_columns(Facility.region)
                                 .distinct().order_by(Facility.region))
    return {"commissions": commissions.scalars().all(), "regions": regions.scalars().all(),
            "kinds": FACILITY_KINDS, "reports": REPORT_KINDS, "languages": LANGUAGES}


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
def bulk_form():
    """Show the bulk form; on POST start the job and go to its progress page."""
    errors, values = {}, request.form
    if request.method == "POST":
        data = {k: v for k, v in request.form.items() if k not in LISTS and k != "csrf_token"}
        data.update({k: request.form.getlist(k) for k in LISTS if request.form.getlist(k)})
        try:
            selection = selection_from(BulkSelectionSchema().load(data))
            job_id = start_bulk(current_user(), selection)
            return redirect(url_for("reports.bulk_job", job_id=job_id))
        except ValidationError as exc:
            errors = exc.messages
    status = 422 if errors else 200
    return render_template("reports/bulk.html", choices=_choices(current_user()),
                           errors=errors, values=values), status


@bp.route("/bulk/<job_id>")
@login_required
def bulk_job(job_id):
    """Show a job's progress (the page refreshes itself until the ZIP is ready)."""
    job = job_view(own_job(job_id))
    if request.accept_mimetypes.best == "application/json":
        return job
    running = job["status"] in ("queued", "running")
    return render_template("reports/bulk_job.html", job=job), 200, (
        {"Refresh": "2"} if running else {})


@bp.route("/bulk/<job_id>.zip")
@login_required
def bulk_zip(job_id):
    """Download a finished job's ZIP (audited)."""
    job = own_job(job_id)
    path = zip_path(job_id)
    if job["status"] != "done" or not path.is_file():
        abort(404)
    append_event("report_bulk_downloaded", actor=current_user(), target_type="report_job",
                 target_id=job_id, data={"total": job["total"]})
    response = Response(_chunks(path), mimetype="application/zip")
    response.headers["Content-Length"] = str(path.stat().st_size)
    response.headers["Content-Disposition"] = f'attachment; filename="{job["zip_name"]}"'
    return response


def _chunks(path, size: int = 1 << 16):
    """Yield a file's bytes; the file closes even when the client stops reading."""
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk
