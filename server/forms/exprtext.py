"""Print expression syntax trees back as canonical source text."""

import json

_PRECEDENCE = {"or": 1, "and": 2, "not": 3, "cmp": 4, "in": 4}
_FACILITY = {"kind": "facility.kind", "regimes": "facility.regimes",
             "populations": "facility.populations"}


def literal_text(value):
    """Return the source text of a literal value."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, str):
        return "'" + value + "'" if "'" not in value else json.dumps(value, ensure_ascii=False)
    return repr(value)


def unparse(node, parent=0):
    """Return canonical source text for a syntax tree."""
    kind = node[0]
    if kind == "lit":
        return literal_text(node[1])
    if kind == "list":
        items = ", ".join(literal_text(v) for v in node[1])
        return "(" + items + ("," if len(node[1]) == 1 else "") + ")"
    if kind == "ref":
        return "${" + node[1] + "}"
    if kind == "fac":
        return _FACILITY[node[1]]
    if kind == "cur":
        return "."
    return _wrap(_operator_text(node), _PRECEDENCE[kind], parent)


def _operator_text(node):
    kind, level = node[0], _PRECEDENCE[node[0]]
    if kind == "not":
        return "not " + unparse(node[1], level)
    if kind == "cmp":
        return f"{unparse(node[2], level + 1)} {node[1]} {unparse(node[3], level + 1)}"
    if kind == "in":
        return f"{unparse(node[1], level + 1)} in {unparse(node[2], level + 1)}"
    return f"{unparse(node[1], level)} {kind} {unparse(node[2], level + 1)}"


def _wrap(text, level, parent):
    return f"({text})" if level < parent else text
