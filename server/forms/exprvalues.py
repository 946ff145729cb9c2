"""Evaluate expression syntax trees: value semantics shared with the browser."""

from collections.abc import Mapping


def is_number(value):
    """Tell whether a value is a number (booleans are not numbers)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def truthy(value):
    """Return the truth of a value: null, false, 0, '' and [] are false."""
    if value is None or value is False:
        return False
    if value is True:
        return True
    if is_number(value):
        return value != 0
    if isinstance(value, str | list | tuple):
        return len(value) > 0
    return True


def equal(a, b):
    """Compare two values without coercion; null equals only null."""
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if is_number(a) and is_number(b):
        return a == b
    if isinstance(a, str) and isinstance(b, str):
        return a == b
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(equal(x, y) for x, y in zip(a, b, strict=True))
    return False


def compare(op, a, b):
    """Apply a comparison operator; ordering is defined for two numbers only."""
    if op == "==":
        return equal(a, b)
    if op == "!=":
        return not equal(a, b)
    if not (is_number(a) and is_number(b)):
        return False
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def member(item, collection):
    """Tell whether a list holds an item; anything but a list holds nothing."""
    if not isinstance(collection, list | tuple):
        return False
    return any(equal(item, x) for x in collection)


def facility_field(facility, name):
    """Read kind, regimes or populations from a mapping or an object."""
    if facility is None:
        return None
    if isinstance(facility, Mapping):
        value = facility.get(name)
    else:
        value = getattr(facility, name, None)
    if name != "kind" and value is not None:
        return list(value)
    return value


def compile_node(node):
    """Turn a syntax tree into a function of (answers, facility, value) -> bool."""
    inner = _compile(node)
    return lambda answers, facility, value: truthy(inner(answers, facility, value))


def _compile(node):
    kind = node[0]
    if kind in ("lit", "list"):
        constant = list(node[1]) if kind == "list" else node[1]
        return lambda a, f, v: constant
    if kind == "ref":
        qid = node[1]
        return lambda a, f, v: a.get(qid)
    if kind == "fac":
        name = node[1]
        return lambda a, f, v: facility_field(f, name)
    if kind == "cur":
        return lambda a, f, v: v
    if kind == "not":
        operand = _compile(node[1])
        return lambda a, f, v: not truthy(operand(a, f, v))
    return _compile_binary(node)


def _compile_binary(node):
    kind = node[0]
    if kind == "cmp":
        op, left, right = node[1], _compile(node[2]), _compile(node[3])
        return lambda a, f, v: compare(op, left(a, f, v), right(a, f, v))
    left, right = _compile(node[1]), _compile(node[2])
    if kind == "in":
        return lambda a, f, v: member(left(a, f, v), right(a, f, v))
    if kind == "and":
        return lambda a, f, v: truthy(left(a, f, v)) and truthy(right(a, f, v))
    if kind == "or":
        return lambda a, f, v: truthy(left(a, f, v)) or truthy(right(a, f, v))
    raise ValueError(f"unknown node {kind!r}")
