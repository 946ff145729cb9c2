"""The chair's review desk, write side: resolve, approve, reopen, import (thin views).

Each action finds its object within the chair's scope first (404 otherwise, whatever the
form holds), then checks the form (CSRF included) and calls one operation. A refused
action shows the visit again, with the reason on top and the page's status code.
"""

from flask import flash, redirect, render_template, request, url_for

from ..auth import current_user, login_required, roles_required
from ..errors import APIError
from ..extensions import db
from ..i18n import translate
from ..models import SyncConflict, Visit
from ..review.approval import approve_visit, reopen_visit
from ..review.conflicts import question_of, resolve_conflict
from ..review.importer import import_file
from ..scope import review_or_404
from .review import bp, load_visit, render_visit
from .review_forms import ApproveForm, ImportForm, ReopenForm, ResolveForm, typed_value


def _refused(visit_id, error: APIError):
    """Roll the attempt back and show the visit with the reason."""
    db.session.rollback()
    return render_visit(load_visit(visit_id), error, error.status)


def _invalid(form) -> APIError:
    """Return the 422 describing a form that did not validate."""
    return APIError(422, "invalid_fields", translate("review.form_invalid"), form.errors)


def _back(visit_id, message_key: str, anchor: str):
    """Flash a message and go back to the visit page."""
    flash(translate(message_key))
    return redirect(url_for("review.visit", visit_id=visit_id) + anchor)


@bp.route("/visits/<visit_id>/approve", methods=["POST"])
@login_required
def approve(visit_id):
    """Approve the visit as reviewed at the page's cursor."""
    visit = review_or_404(current_user(), Visit, visit_id, "visit")
    form = ApproveForm()
    if not form.validate_on_submit() or not form.cursor.data.isdigit():
        return _refused(visit.id, _invalid(form))
    try:
        approve_visit(current_user(), visit.id, int(form.cursor.data))
    except APIError as error:
        return _refused(visit.id, error)
    return _back(visit.id, "review.approved_flash", "#approval")


@bp.route("/visits/<visit_id>/reopen", methods=["POST"])
@login_required
def reopen(visit_id):
    """Reopen an approved visit as an addendum."""
    visit = review_or_404(current_user(), Visit, visit_id, "visit")
    form = ReopenForm()
    if not form.validate_on_submit():
        return _refused(visit.id, _invalid(form))
    try:
        reopen_visit(current_user(), visit.id, form.reason.data.strip())
    except APIError as error:
        return _refused(visit.id, error)
    return _back(visit.id, "review.reopened_flash", "#approval")


def _value(conflict, visit, form):
    """Return the corrected value typed in the form (422 when missing or of the wrong type)."""
    if form.choice.data != "value":
        return None
    value = typed_value(question_of(visit, conflict.field), form.value.data)
    if value is None:
        raise APIError(422, "invalid_fields", translate("review.value_required"),
                       {"value": ["required"]})
    return value


@bp.route("/conflicts/<conflict_id>/resolve", methods=["POST"])
@login_required
def resolve(conflict_id):
    """Settle a conflict with the chosen or corrected value and a reason."""
    user = current_user()
    conflict = review_or_404(user, SyncConflict, conflict_id, "conflict")
    visit_id, form = conflict.visit_id, ResolveForm()
    if not form.validate_on_submit() or not form.cursor.data.isdigit():
        return _refused(visit_id, _invalid(form))
    try:
        value = _value(conflict, load_visit(visit_id), form)
        resolve_conflict(user, conflict.id, form.choice.data, form.reason.data.strip(),
                         int(form.cursor.data), value)
    except APIError as error:
        return _refused(visit_id, error)
    return _back(visit_id, "review.resolved_flash", "#conflicts")


@bp.route("/import", methods=["GET", "POST"])
@roles_required("chair")
def import_page():
    """Upload an offline app's "export unsynced data" file and apply it through sync."""
    form, summary, error = ImportForm(), None, None
    if form.validate_on_submit():
        try:
            summary = import_file(current_user(), form.file.data.read())
        except APIError as exc:
            db.session.rollback()
            error = exc
    elif request.method == "POST":
        error = _invalid(form)
    status = error.status if error else 200
    return render_template("review/import.html", form=form, summary=summary,
                           error=error), status
