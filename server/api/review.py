"""The chair's review in the API: conflicts, resolution, sign-off, addenda, findings, dashboard."""

from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..models import Facility, Visit
from ..review.approval import approve_visit, history_of, reopen_visit
from ..review.conflicts import resolve_conflict
from ..review.dashboard import dashboard_rows, today
from ..review.followup import findings_for, open_findings
from ..review.params import ApproveSchema, DashboardQuerySchema, ReopenSchema, ResolveSchema
from ..review.views import (
    addendum_to_dict,
    approval_to_dict,
    conflict_list,
    plain,
    row_to_dict,
)
from ..scope import get_or_404, redact_finding, sees_sensitive
from ..sync.changes import current_head
from .common import BEARER, require_user, roles_allowed

blp = Blueprint("review_api", __name__, url_prefix="/api/v1",
                description="The chair's review: conflicts, sign-off, addenda, findings")
CAS_ERRORS = ("409: changed_since (a change arrived after `cursor`), open_conflicts, "
              "missing_photos, already_approved")


class ResolvedSchema(Schema):
    """A settled conflict and the change cursor after it."""

    conflict = fields.Dict()
    cursor = fields.Integer()


@blp.route("/review/facilities", methods=["GET"])
@blp.arguments(DashboardQuerySchema, location="query")
@blp.doc(security=BEARER)
@blp.response(200, description="Facilities in scope, the worst first, with latest scores")
def list_dashboard(args):
    """Return the dashboard rows: latest score per set, coverage, trend, critical, due dates."""
    user = require_user()
    return [row_to_dict(row, today()) for row in dashboard_rows(user, args, user.locale)]


@blp.route("/visits/<visit_id>/conflicts", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, description="The visit's conflicts, open first, with resolutions")
def list_conflicts(visit_id):
    """Return a visit's conflicts (both values, authors, devices, clocks) and the cursor."""
    head = current_head()
    visit = get_or_404(require_user(), Visit, visit_id, "visit")
    return {"cursor": head, "conflicts": conflict_list(visit)}


@blp.route("/conflicts/<conflict_id>/resolve", methods=["POST"])
@roles_allowed("chair")
@blp.arguments(ResolveSchema)
@blp.response(200, ResolvedSchema)
@blp.alt_response(409, description="conflict_resolved, or visit_locked (approved)")
@blp.doc(security=BEARER)
def resolve(args, conflict_id):
    """Settle a conflict: keep a side or write a value, as an operation in the sync log."""
    user = require_user()
    row = resolve_conflict(user, conflict_id, args["choice"], args["reason"], args["cursor"],
                           args["value"])
    visit = get_or_404(user, Visit, row.visit_id, "visit")
    found = next(c for c in conflict_list(visit) if c["id"] == str(row.conflict_id))
    return {"conflict": found, "cursor": current_head()}


@blp.route("/visits/<visit_id>/approve", methods=["POST"])
@roles_allowed("chair")
@blp.arguments(ApproveSchema)
@blp.response(201, description="The approval: signer, time, content hash")
@blp.alt_response(409, description=CAS_ERRORS)
@blp.doc(security=BEARER)
def approve(args, visit_id):
    """Approve a visit as reviewed at `cursor` (compare-and-set); it locks the visit."""
    return approval_to_dict(approve_visit(require_user(), visit_id, args["cursor"]))


@blp.route("/visits/<visit_id>/reopen", methods=["POST"])
@roles_allowed("chair")
@blp.arguments(ReopenSchema)
@blp.response(201, description="The addendum; the approved snapshot stays as it was")
@blp.alt_response(409, description="not_approved")
@blp.doc(security=BEARER)
def reopen(args, visit_id):
    """Reopen an approved visit as an addendum, with a reason."""
    return addendum_to_dict(reopen_visit(require_user(), visit_id, args["reason"]))


@blp.route("/visits/<visit_id>/approvals", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, description="Approvals and addenda, oldest first; the signed snapshot "
                               "only to readers of sensitive content (commission, ombudsman)")
def list_approvals(visit_id):
    """Return a visit's approvals and addenda."""
    user = require_user()
    visit = get_or_404(user, Visit, visit_id, "visit")
    history = history_of(visit.id)
    # The snapshot holds the signed answers and notes: only readers of sensitive content get
    # it; others see who signed what content hash, when (`tekseru audit verify` checks it).
    full = sees_sensitive(user)
    return {"approvals": [approval_to_dict(a, snapshot=full) for a in history["approvals"]],
            "addenda": [addendum_to_dict(a) for a in history["addenda"]]}


@blp.route("/visits/<visit_id>/findings", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, description="Findings of earlier visits: resolved, open or worse here")
def list_visit_findings(visit_id):
    """Return the findings carried over to a visit, with their status at this visit."""
    user = require_user()
    return plain([redact_finding(user, f)
                  for f in findings_for(get_or_404(user, Visit, visit_id, "visit"))])


@blp.route("/facilities/<facility_id>/findings", methods=["GET"])
@blp.doc(security=BEARER)
@blp.response(200, description="Open findings, the most severe and oldest first")
def list_facility_findings(facility_id):
    """Return a facility's open findings with their age in days."""
    user = require_user()
    facility = get_or_404(user, Facility, facility_id, "facility")
    return plain([redact_finding(user, f) for f in open_findings(facility.id, today())])
