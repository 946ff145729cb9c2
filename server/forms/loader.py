"""Load and check checklist forms and standard sets from YAML files."""

import re
from pathlib import Path

import yaml
from marshmallow import ValidationError

from server.forms.build import Collector, build_form, build_standard_set
from server.forms.checks import check_form, check_rule_ids, check_rules, check_versions
from server.forms.expr import QUESTION_ID
from server.forms.model import FormError, Problem
from server.forms.schemas import FormSchema, StandardSetSchema
from server.forms.yamlio import line_of, read_yaml

STANDARDS_DIR = "standards"
_QUESTION_RE = re.compile(QUESTION_ID + r"\Z")


def _error_paths(messages, path=()):
    """Yield (path, message) pairs from a marshmallow error dictionary."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from _error_paths(value, path if key == "_schema" else path + (key,))
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        for message in messages:
            yield path, message
    else:
        yield path, str(messages)


def _question_id(node, key):
    value = node.get(key) if isinstance(node, dict) else None
    return value if isinstance(value, str) and _QUESTION_RE.match(value) else None


def _enclosing_id(raw, path, key):
    """Return the nearest question id (or rule indicator) along a path of raw data."""
    found, node = None, raw
    for step in path:
        found = _question_id(node, key) or found
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
    return _question_id(node, key) or found


def _load_document(path, schema, id_key, builder):
    """Read, validate and build one YAML document; return (object, problems)."""
    path = Path(path)
    out = Collector(str(path))
    try:
        raw = read_yaml(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        out.add((), None, f"cannot read the file: {error}")
        return None, out.problems
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        out.lines = lambda p: mark.line + 1 if mark else None
        out.add((), None, f"invalid YAML: {getattr(error, 'problem', None) or error}")
        return None, out.problems
    out.lines = lambda p: line_of(raw, p)
    if not isinstance(raw, dict):
        out.add((), None, "the document must be a mapping")
        return None, out.problems
    try:
        data = schema.load(raw)
    except ValidationError as error:
        for err_path, message in _error_paths(error.messages):
            field = f"{err_path[-1]}: " if err_path and isinstance(err_path[-1], str) else ""
            out.add(list(err_path), _enclosing_id(raw, err_path, id_key), field + message)
        return None, out.problems
    return builder(data, out, str(path)), out.problems


def read_form(path):
    """Load one form file; return (form or None, problems)."""
    form, problems = _load_document(path, FormSchema(), "id", build_form)
    if form is not None:
        problems = problems + check_form(form)
    return (None if problems else form), problems


def read_standard_set(path):
    """Load one standard-set file; return (set or None, problems)."""
    std, problems = _load_document(path, StandardSetSchema(), "indicator", build_standard_set)
    if std is not None:
        problems = problems + check_rule_ids(std)
    return (None if problems else std), problems


def load_form(path):
    """Load one form file, raising FormError listing every problem."""
    form, problems = read_form(path)
    if problems:
        raise FormError(problems)
    return form


def load_forms(forms_dir):
    """Load every form file (*.yaml) at the top of a forms directory."""
    return tuple(load_form(p) for p in sorted(Path(forms_dir).glob("*.yaml")))


def load_standard_sets(standards_dir):
    """Load every standard-set file of a directory, raising FormError on problems."""
    sets, problems = [], []
    for path in sorted(Path(standards_dir).glob("*.yaml")):
        std, found = read_standard_set(path)
        problems.extend(found)
        if std is not None:
            sets.append(std)
    problems.extend(check_versions(sets))
    if problems:
        raise FormError(problems)
    return tuple(sets)


def check_forms(forms_dir):
    """Check every form and standard set under a directory; return all problems."""
    forms_dir = Path(forms_dir)
    problems, forms, sets = [], [], []
    if not any(forms_dir.glob("*.yaml")):
        problems.append(Problem(str(forms_dir), None, None, "no form file (*.yaml) found"))
    for path in sorted(forms_dir.glob("*.yaml")):
        form, found = read_form(path)
        problems.extend(found)
        forms += [form] if form else []
    for path in sorted((forms_dir / STANDARDS_DIR).glob("*.yaml")):
        std, found = read_standard_set(path)
        problems.extend(found)
        sets += [std] if std else []
    problems.extend(check_versions(forms) + check_versions(sets))
    for std in sets:
        problems.extend(check_rules(std, forms) if forms else [])
    return problems
