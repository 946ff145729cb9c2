"""Wire schemas of sync: the push envelope, each operation type's fields, the pull query."""

from marshmallow import EXCLUDE, INCLUDE, Schema, ValidationError, fields, validate

from ..forms.expr import QUESTION_ID
from ..models import REGIMES
from .hlc import parse_hlc

MAX_OPS = 1000  # operations per push; more is 413 (docs/sync.md)
MAX_PULL = 1000  # changes per pull page
DEVICE_ID = validate.Regexp(r"^[A-Za-z0-9_.:-]{1,64}$")
QUESTION = validate.Regexp("^" + QUESTION_ID + r"\Z")
DOMAIN = validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$")
SHA256 = validate.Regexp(r"^[0-9a-f]{64}$")
MAX_SEQ = 2**53 - 1  # what a JavaScript number holds exactly


def _check_hlc(text) -> None:
    """Refuse anything that is not a clock reading."""
    if parse_hlc(text) is None:
        raise ValidationError("not a clock reading <ms>-<counter>-<device>")


class OpEnvelopeSchema(Schema):
    """What every operation must carry to be acknowledged; the rest is checked per type.

    Other keys pass through untouched (server/sync/dispatch.py checks them per type, so a
    bad one rejects that operation only).
    """

    class Meta:
        unknown = INCLUDE

    op_id = fields.UUID(required=True)
    seq = fields.Integer(required=True, strict=True, validate=validate.Range(1, MAX_SEQ))


class PushSchema(Schema):
    """A batch of operations from one device."""

    device_id = fields.String(required=True, validate=DEVICE_ID)
    seq_from = fields.Integer(strict=True, load_default=None, allow_none=True,
                              validate=validate.Range(1, MAX_SEQ))
    hlc = fields.String(required=True, validate=_check_hlc)
    schema_version = fields.Integer(required=True, strict=True)
    ops = fields.List(fields.Nested(OpEnvelopeSchema), required=True)
    app_version = fields.String(load_default=None, validate=validate.Length(0, 40))
    pending = fields.Integer(load_default=None, validate=validate.Range(0, 2**31 - 1))


class _OpFields(Schema):
    """Fields shared by every operation type."""

    class Meta:
        unknown = EXCLUDE

    visit_id = fields.UUID(required=True)
    hlc = fields.String(required=True, validate=_check_hlc)
    base = fields.Integer(strict=True, load_default=None, allow_none=True,
                          validate=validate.Range(0, MAX_SEQ))


class VisitValue(Schema):
    """The value of visit.upsert."""

    facility_id = fields.UUID(required=True)
    form_id = fields.String(required=True, validate=validate.Length(1, 64))
    form_version = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(1, 32))
    started_at = fields.AwareDateTime(required=True)
    ended_at = fields.AwareDateTime(load_default=None, allow_none=True)
    team = fields.List(fields.UUID(), load_default=None, allow_none=True,
                       validate=validate.Length(max=50))


class VisitUpsertFields(_OpFields):
    value = fields.Nested(VisitValue, required=True)


class VisitSubmitFields(_OpFields):
    value = fields.Raw(load_default=None, allow_none=True)


class AnswerFields(_OpFields):
    question_id = fields.String(required=True, validate=QUESTION)
    regime = fields.String(load_default=None, allow_none=True,
                           validate=validate.OneOf(("", *REGIMES)))


class AnswerSetFields(AnswerFields):
    value = fields.Raw(required=True, allow_none=False)


class AnswerClearFields(AnswerFields):
    value = fields.Raw(load_default=None, allow_none=True)


class NoteValue(Schema):
    """The value of note.add."""

    note_id = fields.UUID(load_default=None, allow_none=True)
    text = fields.String(required=True, validate=validate.Length(1, 10000))
    domain = fields.String(load_default=None, allow_none=True, validate=DOMAIN)


class NoteAddFields(_OpFields):
    question_id = fields.String(load_default=None, allow_none=True, validate=QUESTION)
    value = fields.Nested(NoteValue, required=True)


class PhotoValue(Schema):
    """The value of photo.attach."""

    photo_id = fields.UUID(load_default=None, allow_none=True)
    sha256 = fields.String(required=True, validate=SHA256)
    domain = fields.String(load_default=None, allow_none=True, validate=DOMAIN)
    caption = fields.String(load_default="", allow_none=True, validate=validate.Length(max=1000))


class PhotoAttachFields(_OpFields):
    question_id = fields.String(load_default=None, allow_none=True, validate=QUESTION)
    value = fields.Nested(PhotoValue, required=True)


OP_FIELDS = {
    "visit.upsert": VisitUpsertFields(),
    "visit.submit": VisitSubmitFields(),
    "answer.set": AnswerSetFields(),
    "answer.clear": AnswerClearFields(),
    "note.add": NoteAddFields(),
    "photo.attach": PhotoAttachFields(),
}
OP_TYPES = tuple(OP_FIELDS)


class PullQuerySchema(Schema):
    """The query of a pull."""

    cursor = fields.Integer(load_default=0, validate=validate.Range(0, MAX_SEQ))
    limit = fields.Integer(load_default=500, validate=validate.Range(1, MAX_PULL))
    device_id = fields.String(load_default=None, validate=DEVICE_ID)
    app_version = fields.String(load_default=None, validate=validate.Length(0, 40))
    pending = fields.Integer(load_default=None, validate=validate.Range(0, 2**31 - 1))
