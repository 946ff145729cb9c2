"""Reports in bulk through the API; single PDFs download from /reports/... with the token."""

from flask_smorest import Blueprint

from ..auth import current_user
from ..reports.bulk_views import own_job
from ..reports.jobs import start_bulk
from ..reports.schemas import BulkSelectionSchema, JobSchema, job_view, selection_from
from .common import BEARER

blp = Blueprint("report_jobs", __name__, url_prefix="/api/v1/reports",
                description="PDF reports. A visit, facility or annual report downloads from "
                            "/reports/visits/<id>.pdf, /reports/facilities/<id>.pdf and "
                            "/reports/annual/<year>.pdf with the same bearer token.")


@blp.route("/bulk", methods=["POST"])
@blp.arguments(BulkSelectionSchema)
@blp.response(202, JobSchema)
@blp.doc(security=BEARER)
def post_bulk(body):
    """Start a bulk job: every matching report in one ZIP with a CSV index."""
    return job_view(own_job(start_bulk(current_user(), selection_from(body))))


@blp.route("/bulk/<job_id>", methods=["GET"])
@blp.response(200, JobSchema)
@blp.doc(security=BEARER)
def get_bulk(job_id):
    """Return a bulk job's progress and, when done, its download link."""
    return job_view(own_job(job_id))
