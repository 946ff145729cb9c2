"""The checklist and the standard sets, as the tablets and outside clients read them."""

from datetime import date

from flask import request
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from ..catalogue import all_standards, available_forms, find_form, standards_in_force
from ..errors import APIError
from ..forms import form_to_dict, standard_set_to_dict
from .common import BEARER

blp = Blueprint("checklists", __name__, url_prefix="/api/v1",
                description="Checklists and standard sets")


class FormQuerySchema(Schema):
    """Which version of a form."""

    version = fields.String()
    on = fields.Date(metadata={"description": "the version in force on this date"})


class StandardsQuerySchema(Schema):
    """Which versions of the standard sets."""

    on = fields.Date(metadata={"description": "only the versions in force on this date"})


class FormSummarySchema(Schema):
    """One form version."""

    id = fields.String()
    version = fields.String()
    effective_date = fields.Date()
    digest = fields.String()


def _etag_response(data, etag: str):
    """Return data with an ETag, or 304 when the client has it already."""
    from flask import jsonify

    if request.if_none_match.contains(etag):
        response = jsonify()
        response.status_code = 304
        response.set_data(b"")
    else:
        response = jsonify(data)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    return response


@blp.route("/forms", methods=["GET"])
@blp.response(200, FormSummarySchema(many=True))
@blp.doc(security=BEARER)
def list_forms():
    """List every form version the server knows."""
    forms = sorted(available_forms().values(), key=lambda f: (f.id, f.effective_date))
    return [{"id": f.id, "version": f.version, "effective_date": f.effective_date,
             "digest": f.digest} for f in forms]


@blp.route("/forms/<form_id>", methods=["GET"])
@blp.arguments(FormQuerySchema, location="query")
@blp.response(200, description="The checklist: domains, questions, ru/kk/en texts")
@blp.alt_response(304, description="Not modified (If-None-Match)")
@blp.doc(security=BEARER)
def get_form(args, form_id):
    """Return one checklist version (default: the one in force today), with an ETag."""
    form = find_form(form_id, args.get("version"), args.get("on") or date.today())
    if form is None:
        raise APIError(404, "not_found", f"No form {form_id!r} in that version.")
    return _etag_response(form_to_dict(form), form.digest)


@blp.route("/standards", methods=["GET"])
@blp.arguments(StandardsQuerySchema, location="query")
@blp.response(200, description="Standard sets with versions, rules and citations")
@blp.doc(security=BEARER)
def get_standards(args):
    """Return the standard sets: every version, or those in force on a date."""
    sets = standards_in_force(args["on"]) if "on" in args else all_standards()
    data = {"sets": [standard_set_to_dict(s) for s in sets]}
    etag = ",".join(f"{s.id}@{s.version}:{s.digest[:12]}" for s in sets)
    from hashlib import sha256

    return _etag_response(data, sha256(etag.encode()).hexdigest())
