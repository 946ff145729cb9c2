"""Translate expressions between the Tekseru language and the XLSForm (XPath) subset."""

import re

from server.forms.exprtext import unparse
from server.forms.xpath_parse import TranslationError, XPathParser

FACILITY_FIELDS = {"kind": "facility_kind", "regimes": "facility_regimes",
                   "populations": "facility_populations"}
_FIELD_OF = {v: k for k, v in FACILITY_FIELDS.items()}
_XPATH_OP = {"==": "=", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


def _string(value):
    return f'"{value}"' if "'" in value else f"'{value}'"


def _literal(value):
    if value is None:
        return "''"
    if value is True or value is False:
        return "true()" if value else "false()"
    return _string(value) if isinstance(value, str) else repr(value)


def to_xpath(node, booleans):
    """Return XPath for a syntax tree; `booleans` are ids of yes/no questions."""
    kind = node[0]
    if kind == "lit":
        return _literal(node[1])
    if kind == "ref":
        return f"${{{node[1]}}} = 'yes'" if node[1] in booleans else f"${{{node[1]}}} != ''"
    if kind == "fac":
        name = FACILITY_FIELDS[node[1]]
        return f"${{{name}}}" if node[1] == "kind" else f"count-selected(${{{name}}}) > 0"
    if kind == "cur":
        return "."
    if kind == "not":
        return f"not({to_xpath(node[1], booleans)})"
    if kind in ("and", "or"):
        return f" {kind} ".join(_group(child, kind, booleans) for child in node[1:])
    if kind == "cmp":
        return _comparison(node, booleans)
    if kind == "in":
        return _membership(node, booleans)
    raise TranslationError(f"cannot express {kind!r} in XLSForm")


def _group(node, parent, booleans):
    text = to_xpath(node, booleans)
    return f"({text})" if node[0] in ("and", "or") and node[0] != parent else text


def _operand(node, booleans):
    if node[0] == "ref":
        return f"${{{node[1]}}}"
    if node[0] == "fac" and node[1] == "kind":
        return "${facility_kind}"
    if node[0] in ("lit", "cur"):
        return to_xpath(node, booleans)
    raise TranslationError("only answers, facility.kind, '.' and literals can be compared")


def _comparison(node, booleans):
    _, op, left, right = node
    if right[0] == "lit" and isinstance(right[1], bool) and left[0] == "ref" \
            and left[1] in booleans:
        return f"${{{left[1]}}} {_XPATH_OP[op]} '{'yes' if right[1] else 'no'}'"
    return f"{_operand(left, booleans)} {_XPATH_OP[op]} {_operand(right, booleans)}"


def _membership(node, booleans):
    _, item, collection = node
    if collection[0] == "fac" and collection[1] != "kind":
        return f"selected(${{{FACILITY_FIELDS[collection[1]]}}}, {_operand(item, booleans)})"
    if collection[0] != "list":
        raise TranslationError("'in' needs a list or facility.regimes/populations")
    values = collection[1]
    if values and all(isinstance(v, str) and v and " " not in v for v in values):
        return f"selected({_string(' '.join(values))}, {_operand(item, booleans)})"
    if not values:
        return "false()"
    parts = [f"{_operand(item, booleans)} = {_literal(v)}" for v in values]
    return "(" + " or ".join(parts) + ")"


_XTOKEN = re.compile(
    r"\s*(?:(?P<ref>\$\{[^}]*\})|(?P<num>-?\d+(?:\.\d+)?)|(?P<str>'[^']*'|\"[^\"]*\")"
    r"|(?P<op>!=|<=|>=|=|<|>|\(|\)|,)|(?P<name>[A-Za-z_][\w.-]*)|(?P<dot>\.))"
)


def _xtokens(text):
    tokens, pos = [], 0
    while pos < len(text.rstrip()):
        match = _XTOKEN.match(text, pos)
        if match is None or match.end() == pos:
            raise TranslationError(f"unsupported XPath near {text[pos:pos + 12]!r}")
        tokens.append((match.lastgroup, match.group(match.lastgroup)))
        pos = match.end()
    return tokens + [("eof", "")]


def from_xpath(text, names, booleans):
    """Return the Tekseru syntax tree of an XPath expression of the supported subset.

    `names` maps XLSForm names to question ids; `booleans` are the yes/no question ids.
    """
    return XPathParser(_xtokens(text), names, booleans, _FIELD_OF).parse()


def source(node):
    """Return Tekseru source text for a syntax tree (None for None)."""
    return None if node is None else unparse(node)
