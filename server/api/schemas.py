"""Marshmallow schemas: the only wire boundary of the API."""

from marshmallow import Schema, fields, validate

from ..models import FACILITY_KINDS, POPULATIONS, REGIMES, ROLES
from ..wire import LANGS, SafeString

__all__ = ["LANGS", "SafeString"]  # re-exported for older imports


class ErrorSchema(Schema):
    """Every error the API returns."""

    code = SafeString(required=True, metadata={"example": "not_found"})
    message = SafeString(required=True)
    errors = fields.Dict(required=True)


class CommissionSchema(Schema):
    """A monitoring commission."""

    id = fields.UUID(dump_only=True)
    slug = SafeString(required=True, validate=validate.Regexp(r"^[a-z0-9-]{2,64}$"))
    name_ru = SafeString(required=True, validate=validate.Length(1, 200))
    name_kk = SafeString(required=True, validate=validate.Length(1, 200))
    name_en = SafeString(required=True, validate=validate.Length(1, 200))
    region = SafeString(required=True, validate=validate.Length(1, 64))


class UserSchema(Schema):
    """A user as others see it."""

    id = fields.UUID(dump_only=True)
    username = SafeString(dump_only=True)
    full_name = SafeString()
    role = SafeString(validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    locale = SafeString(validate=validate.OneOf(LANGS))


class MemberSchema(Schema):
    """A commission member as a colleague sees them: enough to pick a visit's team."""

    id = fields.UUID(dump_only=True)
    name = fields.Function(lambda user: user.full_name or user.username, dump_only=True,
                           metadata={"description": "full name, or the username when none"})
    role = SafeString(dump_only=True)


class UserCreateSchema(Schema):
    """Fields an admin sends to create an account."""

    username = SafeString(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._-]{3,80}$"))
    password = SafeString(required=True, load_only=True, validate=validate.Length(10, 200))
    full_name = SafeString(load_default="", validate=validate.Length(max=200))
    role = SafeString(required=True, validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(load_default=None, allow_none=True)


class UserUpdateSchema(Schema):
    """Fields an admin may change on an account."""

    full_name = SafeString(validate=validate.Length(max=200))
    role = SafeString(validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    locale = SafeString(validate=validate.OneOf(LANGS))


class TokenRequestSchema(Schema):
    """Credentials exchanged for a bearer token."""

    username = SafeString(required=True, validate=validate.Length(1, 80))
    password = SafeString(required=True, load_only=True, validate=validate.Length(1, 200))
    device_id = fields.String(load_default=None,
                              validate=validate.Regexp(r"^[A-Za-z0-9_.:-]{1,64}$"),
                              metadata={"description": "the tablet's id: registers the device"})
    app_version = SafeString(load_default=None, validate=validate.Length(0, 40))
    pending = fields.Integer(load_default=None, validate=validate.Range(0, 2**31 - 1),
                             metadata={"description": "operations waiting in the outbox"})


class TokenSchema(Schema):
    """A bearer token and whom it belongs to."""

    token = SafeString(required=True)
    expires_at = fields.DateTime(required=True)
    user = fields.Nested(UserSchema, required=True)


class PasswordChangeSchema(Schema):
    """A password change by the user."""

    current_password = SafeString(required=True, load_only=True)
    new_password = SafeString(required=True, load_only=True, validate=validate.Length(10, 200))


class FacilitySchema(Schema):
    """A place of detention."""

    id = fields.UUID(dump_only=True)
    commission_id = fields.UUID(required=True)
    region = SafeString(required=True, validate=validate.Length(1, 64))
    kind = SafeString(required=True, validate=validate.OneOf(FACILITY_KINDS))
    name_ru = SafeString(required=True, validate=validate.Length(1, 300))
    name_kk = SafeString(required=True, validate=validate.Length(1, 300))
    name_en = SafeString(required=True, validate=validate.Length(1, 300))
    regimes = fields.List(SafeString(validate=validate.OneOf(REGIMES)), load_default=list)
    populations = fields.List(SafeString(validate=validate.OneOf(POPULATIONS)),
                              load_default=list)
    capacity = fields.Integer(allow_none=True, validate=validate.Range(0, 100000))
    address = SafeString(load_default="", validate=validate.Length(max=1000))
    updated_at = fields.DateTime(dump_only=True)


class FacilityQuerySchema(Schema):
    """Filters and paging of the facility list."""

    kind = SafeString(validate=validate.OneOf(FACILITY_KINDS))
    region = SafeString(validate=validate.Length(1, 64))
    commission_id = fields.UUID()
    q = SafeString(validate=validate.Length(1, 100))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))


class LastScoreSchema(Schema):
    """The facility score of a facility's latest scored visit (from the stored summaries)."""

    value = fields.Float(attribute="facility_score",
                         metadata={"description": "facility score, 0-100"})
    coverage = fields.Float(allow_none=True)
    visit_id = fields.UUID()
    started_at = fields.DateTime(metadata={"description": "when that visit started"})
    status = fields.String(metadata={"enum": ["draft", "submitted", "approved"]})


class FacilityListItemSchema(FacilitySchema):
    """A facility in the list, with its last score; dumped from (facility, score row) pairs."""

    last_score = fields.Nested(LastScoreSchema, allow_none=True, dump_only=True,
                               metadata={"description": "null until a visit is scored"})

    def get_attribute(self, obj, attr, default):
        """Read last_score from the pair's score row, every other field from the facility."""
        facility, score = obj
        if attr == "last_score":
            return score
        return super().get_attribute(facility, attr, default)


class FacilityPageSchema(Schema):
    """One page of facilities."""

    items = fields.List(fields.Nested(FacilityListItemSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class FacilityPatchSchema(FacilitySchema):
    """Any subset of a facility's fields (used with partial=True)."""
