"""Wire schemas of the review desk, shared by the pages and the API (the only way in)."""

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema

from ..models import FACILITY_KINDS
from ..sync.schemas import MAX_SEQ
from ..wire import LANGS, SafeString
from .dashboard import SORTS
from .tables import FORMATS

REASON = validate.Length(3, 2000)


class _Query(Schema):
    """Query strings: unknown parameters (lang, page helpers) are ignored."""

    class Meta:
        unknown = EXCLUDE


class FacilityFilterSchema(_Query):
    """Which facilities: commission (national roles), region, kind."""

    commission_id = fields.UUID(load_default=None, allow_none=True)
    region = SafeString(load_default=None, validate=validate.Length(1, 64))
    kind = SafeString(load_default=None, validate=validate.OneOf(FACILITY_KINDS))


class DashboardQuerySchema(FacilityFilterSchema):
    """Filters and order of the dashboard."""

    score_below = fields.Float(load_default=None, validate=validate.Range(0, 100))
    sort = SafeString(load_default="worst", validate=validate.OneOf(tuple(SORTS)))
    order = SafeString(load_default="asc", validate=validate.OneOf(("asc", "desc")))


class ExportQuerySchema(FacilityFilterSchema):
    """Filters, language and format of an export."""

    date_from = fields.Date(load_default=None)
    date_to = fields.Date(load_default=None)
    lang = SafeString(load_default=None, validate=validate.OneOf(LANGS))
    format = SafeString(load_default="csv", validate=validate.OneOf(tuple(FORMATS)))
    free_text = SafeString(load_default=None, validate=validate.OneOf(("include",)),
                           metadata={"description": "include free-text answers (may name "
                                                    "people; audited)"})

    @validates_schema
    def _period(self, data, **_kwargs):
        """Refuse a period that ends before it starts."""
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            raise ValidationError("the period ends before it starts", "date_to")


class ApproveSchema(Schema):
    """The change cursor the chair reviewed."""

    cursor = fields.Integer(required=True, strict=True, validate=validate.Range(0, MAX_SEQ),
                            metadata={"description": "the `cursor` of the visit as loaded"})


class ReopenSchema(Schema):
    """Why an approved visit is reopened."""

    reason = SafeString(required=True, validate=REASON)


class ResolveSchema(Schema):
    """The chair's decision on a conflict."""

    choice = SafeString(required=True, validate=validate.OneOf(("winner", "loser", "value")))
    value = fields.Raw(load_default=None, allow_none=True,
                       metadata={"description": "the corrected value when choice is value"})
    reason = SafeString(required=True, validate=REASON)
    cursor = fields.Integer(required=True, strict=True, validate=validate.Range(0, MAX_SEQ))


def load_or_none(schema: Schema, data) -> tuple[dict | None, dict]:
    """Load data with a schema; return (result, {}) or (None, errors)."""
    try:
        return schema.load(data), {}
    except ValidationError as error:
        return None, error.messages
