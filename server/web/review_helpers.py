"""Template filters and helpers of the review pages: numbers, dates, labels in one language."""

from datetime import timedelta

from ..catalogue import FORM_ID, find_form
from ..i18n import current_language, translate
from ..reports.formatting import day, label, moment, percent
from ..reports.outcomes import unit_label, value_text
from ..review.device import PREFIX
from ..review.sparkline import sparkline


def _translated(prefix: str, key: str, fallback: str) -> str:
    """Return a catalogue message if one exists for prefix+key, else the fallback."""
    text = translate(prefix + key)
    return fallback if text == prefix + key else text


def _question(question_id: str):
    """Return a question of the checklist in force, or None."""
    form = find_form(FORM_ID)
    return form.question(question_id) if form else None


def indicator_label(question_id: str) -> str:
    """Return a question's label in the page's language (the id when unknown)."""
    question = _question(question_id)
    return question.label.get(current_language()) if question else question_id


def answer_text(question_id: str, value) -> str:
    """Return an answer as shown: yes/no, a choice's label, a number with its unit."""
    question = _question(question_id)
    return value_text(value, question, question.unit if question else None, current_language())


def error_message(error) -> str:
    """Return a refused action's message in the page's language."""
    return _translated("review.error.", error.code, error.message)


def device(device_id) -> str:
    """Return a device id as shown; the chair's server-side device is named as such."""
    if device_id and str(device_id).startswith(PREFIX):
        return translate("review.device.review")
    return device_id or "—"


FILTERS = {
    "pct": lambda value: percent(value, current_language()),
    "day": lambda value: day(value, current_language()),
    "moment": lambda value: moment(value, current_language()),
    "device": device,
    "add_days": lambda value, days: value + timedelta(days=days),
    "combine_args": lambda args, **more: {**args, **more},
}
GLOBALS = {
    "sparkline": sparkline,
    "set_label": lambda set_id: label(f"set.{set_id}", current_language()),
    "severity_label": lambda sev: label(f"severity.{sev}", current_language()),
    "unit_label": lambda unit: unit_label(unit, current_language()),
    "event_label": lambda action: _translated("review.event.", action, action),
    "indicator_label": indicator_label,
    "answer_text": answer_text,
    "error_message": error_message,
}


def init_app(app) -> None:
    """Register the filters, tests and helpers with the app's templates."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)
    app.jinja_env.tests["overdue_on"] = lambda row, today: row.overdue(today)
