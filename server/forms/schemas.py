"""Marshmallow schemas validating form and standard-set YAML documents."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from server.forms.expr import QUESTION_ID
from server.forms.units import UNITS
from server.forms.vocab import KINDS, POPULATIONS, QUESTION_TYPES, REGIMES, SEVERITY_WEIGHTS

NUMERIC = ("integer", "decimal")
VALUE_COMPARISONS = (">=", ">", "<=", "<", "==", "!=")
COMPARISONS = VALUE_COMPARISONS + ("is_true", "is_false", "is_unlimited")


class StrictNumber(fields.Float):
    """A number written as a number: strings and booleans are refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)

    def _format_num(self, value):
        return value if isinstance(value, int) else float(value)


def _text(**kwargs):
    return fields.String(validate=validate.Length(min=1, max=4000), **kwargs)


def _id(pattern, **kwargs):
    return fields.String(required=True, validate=validate.Regexp(pattern), **kwargs)


class TextSchema(Schema):
    """A text in ru, kk and en, all three required."""

    ru = _text(required=True)
    kk = _text(required=True)
    en = _text(required=True)


class ChoiceSchema(Schema):
    value = _id(r"^[a-z0-9][a-z0-9_]*\Z")
    label = fields.Nested(TextSchema, required=True)


class ConstraintSchema(Schema):
    min = StrictNumber(allow_nan=False)
    max = StrictNumber(allow_nan=False)
    expr = fields.String(validate=validate.Length(min=1))
    message = fields.Nested(TextSchema, required=True)

    @validates_schema
    def check_range(self, data, **kwargs):
        """Require a bound or an expression, and min <= max."""
        if not {"min", "max", "expr"} & data.keys():
            raise ValidationError("a constraint needs min, max or expr")
        if data.get("min") is not None and data.get("max") is not None:
            if data["min"] > data["max"]:
                raise ValidationError("min is greater than max", "min")


class DerivationSchema(Schema):
    numerator = _id(r"^" + QUESTION_ID + r"\Z")
    denominator = _id(r"^" + QUESTION_ID + r"\Z")


class QuestionSchema(Schema):
    id = _id(r"^" + QUESTION_ID + r"\Z")
    type = fields.String(required=True, validate=validate.OneOf(QUESTION_TYPES))
    label = fields.Nested(TextSchema, required=True)
    hint = fields.Nested(TextSchema)
    unit = fields.String(validate=validate.OneOf(sorted(UNITS)))
    choices = fields.List(fields.Nested(ChoiceSchema))
    constraint = fields.Nested(ConstraintSchema)
    required = fields.Boolean(load_default=False)
    relevant = fields.String(validate=validate.Length(min=1))
    per_regime = fields.Boolean(load_default=False)
    unlimited = StrictNumber(allow_nan=False)
    derive = fields.Nested(DerivationSchema)

    @validates_schema
    def check_type_fields(self, data, **kwargs):
        """Check that unit, choices, constraint, unlimited and derive fit the type."""
        kind = data.get("type")
        numeric = kind in NUMERIC
        if numeric and "unit" not in data:
            raise ValidationError(f"a {kind} question needs a unit", "unit")
        for name in ("unit", "constraint", "unlimited"):
            if not numeric and name in data:
                raise ValidationError(f"a {kind} question cannot have {name}", name)
        if (kind == "choice") != ("choices" in data):
            raise ValidationError("choices are required for, and only for, choice", "choices")
        if kind == "choice" and len(data["choices"]) < 2:
            raise ValidationError("a choice question needs at least two choices", "choices")
        if "derive" in data and kind != "decimal":
            raise ValidationError("only a decimal question can be derived", "derive")


class DomainSchema(Schema):
    id = _id(r"^[a-z][a-z0-9_]*\Z")
    label = fields.Nested(TextSchema, required=True)
    notes = fields.Boolean(load_default=False)
    photos = fields.Boolean(load_default=False)
    questions = fields.List(fields.Nested(QuestionSchema), required=True,
                            validate=validate.Length(min=1))


class FormSchema(Schema):
    id = _id(r"^[a-z][a-z0-9-]*\Z")
    version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    effective_date = fields.Date(required=True)
    title = fields.Nested(TextSchema, required=True)
    domains = fields.List(fields.Nested(DomainSchema), required=True,
                          validate=validate.Length(min=1))


class CitationSchema(Schema):
    instrument = fields.Nested(TextSchema, required=True)
    article = fields.Nested(TextSchema, required=True)
    quote = fields.Nested(TextSchema, required=True)
    url = fields.Url()


def _names(table):
    return fields.List(fields.String(validate=validate.OneOf(sorted(table))), load_default=list)


class RuleSchema(Schema):
    id = _id(r"^[a-z0-9][a-z0-9._-]*\Z")
    indicator = _id(r"^" + QUESTION_ID + r"\Z")
    domain = _id(r"^[a-z][a-z0-9_]*\Z")
    comparison = fields.String(required=True, validate=validate.OneOf(COMPARISONS))
    threshold = StrictNumber(allow_nan=False)
    unit = fields.String(validate=validate.OneOf(sorted(UNITS)))
    kinds = _names(KINDS)
    regimes = _names(REGIMES)
    populations = _names(POPULATIONS)
    when = fields.String(validate=validate.Length(min=1))
    severity = fields.String(required=True, validate=validate.OneOf(sorted(SEVERITY_WEIGHTS)))
    citation = fields.Nested(CitationSchema, required=True)
    note = fields.Nested(TextSchema)

    @validates_schema
    def check_threshold(self, data, **kwargs):
        """Require threshold and unit exactly for the value comparisons."""
        needs_value = data.get("comparison") in VALUE_COMPARISONS
        for name in ("threshold", "unit"):
            if needs_value and name not in data:
                raise ValidationError(f"comparison {data['comparison']} needs a {name}", name)
            if not needs_value and name in data:
                raise ValidationError(f"comparison {data.get('comparison')} takes no {name}", name)


class StandardSetSchema(Schema):
    id = _id(r"^[a-z][a-z0-9-]*\Z")
    version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    effective_date = fields.Date(required=True)
    title = fields.Nested(TextSchema, required=True)
    note = fields.Nested(TextSchema)
    rules = fields.List(fields.Nested(RuleSchema), required=True)
