"""Parse the checklist expression language (grammar in docs/forms.md) without eval."""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from server.forms.exprvalues import compile_node

MAX_LENGTH = 2000
MAX_DEPTH = 32
QUESTION_ID = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+"
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = {"and", "or", "not", "in", "true", "false", "null"}
LITERALS = {"true": True, "false": False, "null": None}
FACILITY_NAMES = {"facility.kind": "kind", "facility.regimes": "regimes",
                  "facility.populations": "populations"}

_TOKEN = re.compile(
    r"(?P<ws>\s+)|(?P<num>\d+(?:\.\d+)?)|(?P<str>'[^'\n]*'|\"[^\"\n]*\")"
    r"|(?P<ref>\$\{[^}\s]*\})|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,|-)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(?P<dot>\.)"
)
_QUESTION_RE = re.compile(QUESTION_ID + r"\Z")
_LITERAL_TOKENS = {("name", word) for word in LITERALS} | {("op", "-")}


class ExprError(ValueError):
    """An expression that does not parse, with a stable code and a position."""

    def __init__(self, code, message, pos=0):
        super().__init__(f"{message} (at {pos})")
        self.code, self.message, self.pos = code, message, pos


@dataclass(frozen=True)
class Expr:
    """A parsed expression: equal to another when their syntax trees are equal."""

    node: tuple
    source: str = field(compare=False)
    refs: frozenset = field(compare=False, repr=False)
    uses_value: bool = field(compare=False, repr=False)
    run: object = field(compare=False, repr=False)

    def __str__(self):
        return self.source


def tokenize(source):
    """Split an expression into (kind, text, position) tokens."""
    if len(source) > MAX_LENGTH:
        raise ExprError("too_long", f"expression longer than {MAX_LENGTH} characters")
    tokens, pos = [], 0
    while pos < len(source):
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            what = "unterminated string" if char in "'\"" else f"unexpected character {char!r}"
            raise ExprError("syntax_error", what, pos)
        kind, text = match.lastgroup, match.group()
        if kind == "ref" and not _QUESTION_RE.match(text[2:-1]):
            raise ExprError("bad_reference", f"{text} is not a question id", pos)
        if kind == "name" and text not in KEYWORDS and text not in FACILITY_NAMES:
            raise ExprError("unknown_name", f"unknown name {text!r}", pos)
        if kind != "ws":
            tokens.append((kind if kind != "name" or text in KEYWORDS else "fac", text, pos))
        pos = match.end()
    tokens.append(("eof", "", pos))
    return tokens


class _Parser:
    """Recursive-descent parser producing tuple syntax trees."""

    def __init__(self, source):
        self.tokens, self.i, self.depth = tokenize(source), 0, 0

    def peek(self, offset=0):
        return self.tokens[min(self.i + offset, len(self.tokens) - 1)]

    def take(self):
        token = self.tokens[self.i]
        self.i += 1
        return token

    def expect(self, text):
        token = self.take()
        if token[:2] != ("op", text):
            raise ExprError("syntax_error", f"expected {text!r}, found {_show(token)}", token[2])

    def parse(self):
        node = self.or_expr()
        if self.peek()[0] != "eof":
            raise ExprError("syntax_error", f"unexpected {_show(self.peek())}", self.peek()[2])
        return node

    def binary(self, word, operand):
        node = operand()
        while self.peek()[:2] == ("name", word):
            self.take()
            node = (word, node, operand())
        return node

    def or_expr(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExprError("too_deep", f"nested deeper than {MAX_DEPTH}", self.peek()[2])
        node = self.binary("or", lambda: self.binary("and", self.not_expr))
        self.depth -= 1
        return node

    def not_expr(self):
        if self.peek()[:2] == ("name", "not"):
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise ExprError("too_deep", f"nested deeper than {MAX_DEPTH}", self.peek()[2])
            node = ("not", self.not_expr())
            self.depth -= 1
            return node
        return self.comparison()

    def comparison(self):
        left = self.operand()
        kind, text, _ = self.peek()
        if kind == "op" and text in COMPARISONS:
            self.take()
            node = ("cmp", text, left, self.operand())
        elif (kind, text) == ("name", "in"):
            self.take()
            node = ("in", left, self.operand())
        elif (kind, text) == ("name", "not") and self.peek(1)[:2] == ("name", "in"):
            self.i += 2
            node = ("not", ("in", left, self.operand()))
        else:
            return left
        nxt = self.peek()
        if (nxt[0] == "op" and nxt[1] in COMPARISONS) or nxt[:2] == ("name", "in"):
            raise ExprError("syntax_error", "comparisons cannot be chained", nxt[2])
        return node

    def operand(self):
        kind, text, pos = self.peek()
        if kind in ("num", "str") or (kind, text) in _LITERAL_TOKENS:
            return ("lit", self.literal())
        self.take()
        if kind == "ref":
            return ("ref", text[2:-1])
        if kind == "fac":
            return ("fac", FACILITY_NAMES[text])
        if kind == "dot":
            return ("cur",)
        if (kind, text) == ("op", "("):
            return self.group()
        if (kind, text) == ("op", "["):
            return ("list", self.items("]"))
        raise ExprError("syntax_error", f"unexpected {_show((kind, text, pos))}", pos)

    def group(self):
        if self.peek()[:2] == ("op", ")"):
            self.take()
            return ("list", ())
        start = self.i
        if self.peek()[0] in ("num", "str", "name", "op") and self.is_tuple():
            self.i = start
            return ("list", self.items(")"))
        self.i = start
        node = self.or_expr()
        self.expect(")")
        return node

    def is_tuple(self):
        try:
            self.literal()
        except ExprError:
            return False
        return self.peek()[:2] == ("op", ",")

    def items(self, closing):
        values = []
        while self.peek()[:2] != ("op", closing):
            values.append(self.literal())
            if self.peek()[:2] != ("op", ","):
                break
            self.take()
        self.expect(closing)
        return tuple(values)

    def literal(self):
        kind, text, pos = self.take()
        if kind == "num":
            return float(text) if "." in text else int(text)
        if kind == "str":
            return text[1:-1]
        if kind == "name" and text in LITERALS:
            return LITERALS[text]
        if (kind, text) == ("op", "-") and self.peek()[0] == "num":
            return -self.literal()
        raise ExprError("syntax_error", f"expected a literal, found {_show((kind, text, pos))}",
                        pos)


def _show(token):
    return "end of expression" if token[0] == "eof" else repr(token[1])


def _walk(node):
    yield node
    for child in node[1:]:
        if isinstance(child, tuple) and child and isinstance(child[0], str) and node[0] != "list":
            yield from _walk(child)


@lru_cache(maxsize=4096)
def parse(source):
    """Parse an expression string into an Expr, raising ExprError."""
    if not isinstance(source, str):
        raise ExprError("syntax_error", "an expression must be a string")
    node = _Parser(source).parse()
    nodes = list(_walk(node))
    refs = frozenset(n[1] for n in nodes if n[0] == "ref")
    uses_value = any(n[0] == "cur" for n in nodes)
    return Expr(node, source, refs, uses_value, compile_node(node))


def evaluate(expr, answers=None, facility=None, value=None):
    """Evaluate an expression (or its source) to a boolean; see docs/forms.md."""
    if isinstance(expr, str):
        expr = parse(expr)
    return expr.run(answers or {}, facility, value)
