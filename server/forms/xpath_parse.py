"""Parse the XPath subset an XLSForm uses into Tekseru syntax trees."""

_COMPARE = {"=": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}


class TranslationError(ValueError):
    """An expression that cannot be carried across."""


class XPathParser:
    """Recursive descent over XPath tokens: or, and, comparisons, a few functions."""

    def __init__(self, tokens, names, booleans, facility_fields):
        self.tokens, self.i = tokens, 0
        self.names, self.booleans, self.facility = names, booleans, facility_fields

    def peek(self):
        return self.tokens[self.i]

    def take(self, text=None):
        token = self.tokens[self.i]
        if text is not None and token[1] != text:
            raise TranslationError(f"expected {text!r}, found {token[1]!r}")
        self.i += 1
        return token

    def parse(self):
        node = self.or_expr()
        if self.peek()[0] != "eof":
            raise TranslationError(f"unsupported XPath at {self.peek()[1]!r}")
        return node

    def or_expr(self):
        node = self.and_expr()
        while self.peek() == ("name", "or"):
            self.take()
            node = ("or", node, self.and_expr())
        return node

    def and_expr(self):
        node = self.comparison()
        while self.peek() == ("name", "and"):
            self.take()
            node = ("and", node, self.comparison())
        return node

    def comparison(self):
        left = self.primary()
        kind, text = self.peek()
        if kind != "op" or text not in _COMPARE:
            return left
        self.take()
        right = self.primary()
        return self.compare(_COMPARE[text], left, right)

    def compare(self, op, left, right):
        if left[0] == "count" or right[0] == "count":
            return self.count_test(op, left, right)
        if right == ("lit", "") and op in ("==", "!="):
            return ("cmp", op, left, ("lit", None))
        if left[0] == "ref" and left[1] in self.booleans and right[0] == "lit" \
                and right[1] in ("yes", "no"):
            return ("cmp", op, left, ("lit", right[1] == "yes"))
        return ("cmp", op, left, right)

    def count_test(self, op, left, right):
        field = left[1] if left[0] == "count" else None
        if field is None or (op, right) not in ((">", ("lit", 0)), ("==", ("lit", 0))):
            raise TranslationError("count-selected() is supported only as > 0 or = 0")
        return ("fac", field) if op == ">" else ("not", ("fac", field))

    def primary(self):
        kind, text = self.take()
        if kind == "num":
            return ("lit", float(text) if "." in text else int(text))
        if kind == "str":
            return ("lit", text[1:-1])
        if kind == "dot":
            return ("cur",)
        if kind == "ref":
            return self.reference(text[2:-1])
        if (kind, text) == ("op", "("):
            node = self.or_expr()
            self.take(")")
            return node
        if kind == "name":
            return self.function(text)
        raise TranslationError(f"unsupported XPath token {text!r}")

    def reference(self, name):
        if name in self.facility:
            field = self.facility[name]
            return ("fac", field)
        if name not in self.names:
            raise TranslationError(f"${{{name}}} is not an imported question")
        return ("ref", self.names[name])

    def function(self, name):
        self.take("(")
        args = []
        while self.peek()[1] != ")":
            args.append(self.or_expr())
            if self.peek()[1] == ",":
                self.take()
        self.take(")")
        return self.call(name, args)

    def call(self, name, args):
        if name in ("true", "false") and not args:
            return ("lit", name == "true")
        if name == "not" and len(args) == 1:
            return ("not", args[0])
        if name == "count-selected" and len(args) == 1 and args[0][0] == "fac":
            return ("count", args[0][1])
        if name == "selected" and len(args) == 2:
            return self.selected(*args)
        raise TranslationError(f"function {name}() is not supported")

    def selected(self, collection, item):
        if collection[0] == "fac" and collection[1] != "kind":
            return ("in", item, collection)
        if collection[0] == "lit" and isinstance(collection[1], str):
            return ("in", item, ("list", tuple(collection[1].split())))
        raise TranslationError("selected() is supported only on a literal list or the facility")
