"""The checklist as sync sees it: whether an answer, note or photo fits the visit's form.

Pure checks live in server.forms (validate_answer and its reason codes); which form a visit
uses, and registering a form version on first use, live in server.catalogue.
"""

from ..forms import validate_answer


def answer_problem(form, facility, question_id: str, regime: str | None, value):
    """Return a reason code when an answer does not fit the visit's form, else None."""
    question = form.question(question_id) if form is not None else None
    return validate_answer(question, value, regime or None, facility)


def place_problem(form, domain: str | None, question_id: str | None):
    """Return a reason code when a note's or photo's domain or question is unknown."""
    if form is None:
        return "unknown_form"
    if question_id is not None and form.question(question_id) is None:
        return "unknown_question"
    if domain is not None and domain not in {d.id for d in form.domains}:
        return "unknown_domain"
    return None
