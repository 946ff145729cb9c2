"""The bulk selection and a job's status at the wire boundary (API and the web form)."""

from datetime import datetime, timedelta

from flask import url_for
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..i18n import LANGUAGES
from ..models import FACILITY_KINDS, utcnow
from ..wire import SafeString
from .bulk import REPORT_KINDS, Selection

MAX_DAYS = 5 * 366
STALLED = timedelta(minutes=10)


class BulkSelectionSchema(Schema):
    """A period (both days included), commissions, regions, kinds, reports and languages."""

    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    commissions = fields.List(SafeString(validate=validate.Length(1, 64)), load_default=list,
                              validate=validate.Length(max=50))
    regions = fields.List(SafeString(validate=validate.Length(1, 64)), load_default=list,
                          validate=validate.Length(max=50))
    kinds = fields.List(fields.String(validate=validate.OneOf(FACILITY_KINDS)),
                        load_default=list)
    reports = fields.List(fields.String(validate=validate.OneOf(REPORT_KINDS)),
                          load_default=lambda: ["visit"], validate=validate.Length(min=1))
    languages = fields.List(fields.String(validate=validate.OneOf(LANGUAGES)),
                            load_default=lambda: ["ru"], validate=validate.Length(min=1))

    @validates_schema
    def check_period(self, data, **_kwargs):
        """Refuse a period that ends before it starts or spans more than five years."""
        span = (data["date_to"] - data["date_from"]).days
        if span < 0:
            raise ValidationError("must not be before date_from", "date_to")
        if span > MAX_DAYS:
            raise ValidationError("the period may span at most five years", "date_to")


def selection_from(data: dict) -> Selection:
    """Return the Selection of validated data (both days of the period included)."""
    unique = {k: list(dict.fromkeys(data[k])) for k in
              ("commissions", "regions", "kinds", "reports", "languages")}
    return Selection(data["date_from"], data["date_to"], **unique)


class JobSchema(Schema):
    """A bulk job's progress and, when done, where its ZIP is."""

    id = fields.String()
    status = fields.String(metadata={"description": "queued, running, done or failed"})
    done = fields.Integer()
    total = fields.Integer()
    backend = fields.String(metadata={"description": "rq or thread"})
    created_at = fields.String()
    finished_at = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    updated_at = fields.String(metadata={"description": "when the last report was rendered"})
    stalled = fields.Boolean(metadata={"description": f"no progress for {STALLED} while "
                                                      "queued or running: no worker, or the "
                                                      "in-process runner died with its server"})
    progress_url = fields.String()
    download_url = fields.String(allow_none=True)


def job_view(job: dict) -> dict:
    """Return a job's record with its links and whether it has stalled."""
    done = job["status"] == "done"
    quiet = utcnow() - datetime.fromisoformat(job["updated_at"])
    return {**job, "stalled": job["status"] in ("queued", "running") and quiet > STALLED,
            "progress_url": url_for("reports.bulk_job", job_id=job["id"]),
            "download_url": url_for("reports.bulk_zip", job_id=job["id"]) if done else None}
