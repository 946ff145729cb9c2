"""Flask-WTF forms of the review desk (each carries a CSRF token) and typed values from text."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from ..errors import APIError


class ApproveForm(FlaskForm):
    """Approve: the change cursor the page was loaded at."""

    cursor = HiddenField(validators=[DataRequired()])


class ReopenForm(FlaskForm):
    """Reopen as an addendum: the reason."""

    reason = TextAreaField(validators=[DataRequired(), Length(3, 2000)])


class ResolveForm(FlaskForm):
    """Settle a conflict: a side or a corrected value, the reason, the cursor seen."""

    choice = StringField(validators=[DataRequired(), AnyOf(("winner", "loser", "value"))])
    value = StringField(validators=[Optional(), Length(max=10000)])
    reason = TextAreaField(validators=[DataRequired(), Length(3, 2000)])
    cursor = HiddenField(validators=[DataRequired()])


class RevokeDeviceForm(FlaskForm):
    """Revoke a device: nothing but the CSRF token (the page asks for confirmation)."""


class ImportForm(FlaskForm):
    """The offline app's "export unsynced data" file."""

    file = FileField(validators=[FileRequired()])


TRUE_WORDS = ("true", "yes", "да", "иә", "1")
FALSE_WORDS = ("false", "no", "нет", "жоқ", "0")


def _number(text: str, integer: bool):
    """Parse a number written with a decimal point or comma."""
    number = float(text.replace(",", ".").replace("\u2212", "-"))
    if integer:
        if not number.is_integer():
            raise ValueError(text)
        return int(number)
    return int(number) if number.is_integer() else number


def typed_value(question, text: str | None):
    """Return the JSON value a text stands for in a question's type (None when empty)."""
    text = (text or "").strip()
    if not text or question is None:
        return text or None
    try:
        if question.type in ("integer", "decimal"):
            return _number(text, question.type == "integer")
        if question.type == "boolean":
            if text.lower() in TRUE_WORDS + FALSE_WORDS:
                return text.lower() in TRUE_WORDS
            raise ValueError(text)
    except ValueError as exc:
        raise APIError(422, "bad_type", "The value is not of the question's type.",
                       {"value": ["bad_type"]}) from exc
    return text
