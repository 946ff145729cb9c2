"""Checklist forms and standard sets: loading, checking, validating answers (pure)."""

from server.forms.expr import Expr, ExprError, evaluate, parse
from server.forms.loader import (
    check_forms,
    load_form,
    load_forms,
    load_standard_sets,
    read_form,
    read_standard_set,
)
from server.forms.model import (
    Choice,
    Citation,
    Constraint,
    Derivation,
    Domain,
    Form,
    FormError,
    Problem,
    Question,
    Rule,
    StandardSet,
    Text,
)
from server.forms.serialize import form_to_dict, rule_to_dict, standard_set_to_dict
from server.forms.validate import REASONS, validate_answer
from server.forms.versions import select_versions

__all__ = [
    "REASONS", "Choice", "Citation", "Constraint", "Derivation", "Domain", "Expr", "ExprError",
    "Form", "FormError", "Problem", "Question", "Rule", "StandardSet", "Text", "check_forms",
    "evaluate", "form_to_dict", "load_form", "load_forms", "load_standard_sets", "parse",
    "read_form", "read_standard_set", "rule_to_dict", "select_versions", "standard_set_to_dict",
    "validate_answer",
]
