"""Marshmallow schemas: the only wire boundary of the API."""

from marshmallow import Schema, fields, validate

from ..models import FACILITY_KINDS, POPULATIONS, REGIMES, ROLES

LANGS = ("ru", "kk", "en")


class ErrorSchema(Schema):
    """Every error the API returns."""

    code = fields.String(required=True, metadata={"example": "not_found"})
    message = fields.String(required=True)
    errors = fields.Dict(required=True)


class CommissionSchema(Schema):
    """A monitoring commission."""

    id = fields.UUID(dump_only=True)
    slug = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]{2,64}$"))
    name_ru = fields.String(required=True, validate=validate.Length(1, 200))
    name_kk = fields.String(required=True, validate=validate.Length(1, 200))
    name_en = fields.String(required=True, validate=validate.Length(1, 200))
    region = fields.String(required=True, validate=validate.Length(1, 64))


class UserSchema(Schema):
    """A user as others see it."""

    id = fields.UUID(dump_only=True)
    username = fields.String(dump_only=True)
    full_name = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    locale = fields.String(validate=validate.OneOf(LANGS))


class UserCreateSchema(Schema):
    """Fields an admin sends to create an account."""

    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9._-]{3,80}$"))
    password = fields.String(required=True, load_only=True, validate=validate.Length(10, 200))
    full_name = fields.String(load_default="", validate=validate.Length(max=200))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(load_default=None, allow_none=True)


class UserUpdateSchema(Schema):
    """Fields an admin may change on an account."""

    full_name = fields.String(validate=validate.Length(max=200))
    role = fields.String(validate=validate.OneOf(ROLES))
    commission_id = fields.UUID(allow_none=True)
    active = fields.Boolean()
    locale = fields.String(validate=validate.OneOf(LANGS))


class TokenRequestSchema(Schema):
    """Credentials exchanged for a bearer token."""

    username = fields.String(required=True, validate=validate.Length(1, 80))
    password = fields.String(required=True, load_only=True, validate=validate.Length(1, 200))


class TokenSchema(Schema):
    """A bearer token and whom it belongs to."""

    token = fields.String(required=True)
    expires_at = fields.DateTime(required=True)
    user = fields.Nested(UserSchema, required=True)


class PasswordChangeSchema(Schema):
    """A password change by the user."""

    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True, validate=validate.Length(10, 200))


class FacilitySchema(Schema):
    """A place of detention."""

    id = fields.UUID(dump_only=True)
    commission_id = fields.UUID(required=True)
    region = fields.String(required=True, validate=validate.Length(1, 64))
    kind = fields.String(required=True, validate=validate.OneOf(FACILITY_KINDS))
    name_ru = fields.String(required=True, validate=validate.Length(1, 300))
    name_kk = fields.String(required=True, validate=validate.Length(1, 300))
    name_en = fields.String(required=True, validate=validate.Length(1, 300))
    regimes = fields.List(fields.String(validate=validate.OneOf(REGIMES)), load_default=list)
    populations = fields.List(fields.String(validate=validate.OneOf(POPULATIONS)),
                              load_default=list)
    capacity = fields.Integer(allow_none=True, validate=validate.Range(0, 100000))
    address = fields.String(load_default="", validate=validate.Length(max=1000))
    updated_at = fields.DateTime(dump_only=True)


class FacilityQuerySchema(Schema):
    """Filters and paging of the facility list."""

    kind = fields.String(validate=validate.OneOf(FACILITY_KINDS))
    region = fields.String(validate=validate.Length(1, 64))
    commission_id = fields.UUID()
    q = fields.String(validate=validate.Length(1, 100))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(1, 500))


class FacilityPageSchema(Schema):
    """One page of facilities."""

    items = fields.List(fields.Nested(FacilitySchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class FacilityPatchSchema(FacilitySchema):
    """Any subset of a facility's fields (used with partial=True)."""
