"""Walk XLSForm survey rows into domains and questions, naming every skipped row."""

import re

from server.forms.expr import QUESTION_ID
from server.forms.vocab import LANGUAGES
from server.forms.xlsform_read import cell, language_code

_QUESTION = re.compile(QUESTION_ID + r"\Z")
_VALUE = re.compile(r"^[a-z0-9][a-z0-9_]*\Z")
TYPES = {"integer": "integer", "int": "integer", "decimal": "decimal", "text": "text",
         "string": "text", "image": "photo", "photo": "photo"}
FACILITY_NAMES = {"facility_kind", "facility_regimes", "facility_populations"}
STRUCTURE = {"begin_group", "end_group", "begin_repeat", "end_repeat"}
GENERAL = {"ru": "Общее", "kk": "Жалпы", "en": "General"}


def slug(text, fallback="item"):
    """Return a lower-case identifier made of letters, digits and underscores."""
    value = re.sub(r"[^a-z0-9]+", "_", str(text).lower()).strip("_")
    return value if value and value[0].isalpha() else f"{fallback}_{value}".rstrip("_")


class RowWalker:
    """Collect domains, questions and warnings from survey rows."""

    def __init__(self, lists, default_lang):
        self.lists, self.default_lang = lists, default_lang
        self.domains, self.names, self.pending, self.warnings = {}, {}, [], []
        self.stack, self.missing = [], set()

    def warn(self, line, message):
        """Record a warning about one survey row."""
        self.warnings.append(f"survey row {line}: {message}")

    def texts(self, cells, field):
        """Return {ru, kk, en} for a translatable column, filling missing languages."""
        found = {}
        for (name, suffix), value in cells.items():
            code = language_code(suffix) if suffix else self.default_lang
            if name == field and code and str(value).strip():
                found.setdefault(code, str(value).strip())
        if not found:
            return None
        fill = next(found[lang] for lang in ("en", "ru", "kk") if lang in found)
        self.missing |= set(LANGUAGES) - found.keys()
        return {lang: found.get(lang, fill) for lang in LANGUAGES}

    def walk(self, rows):
        """Process every survey row in order."""
        for line, cells in rows:
            words = cell(cells, "type").split()
            head = words[0].lower() if words else ""
            if head in ("begin", "end") and len(words) > 1:
                head = f"{head}_{words[1].lower()}"
            handler = getattr(self, "on_" + head) if head in STRUCTURE else self.on_question
            handler(line, cells, words)
        for kind, name, _, line in self.stack:
            self.warn(line, f"{kind} '{name}' is never closed")

    def inside(self):
        return next((entry for entry in self.stack if entry[0] == "repeat"), None)

    def on_begin_group(self, line, cells, words):
        name = cell(cells, "name")
        if self.inside():
            return self.stack.append(("group", name, None, line))
        if self.stack:
            self.warn(line, f"nested group '{name}' is flattened into '{self.stack[-1][2]}'")
            return self.stack.append(("group", name, self.stack[-1][2], line))
        if name == "facility":
            return self.stack.append(("group", name, "facility", line))
        domain = self.domain(slug(name, "domain"), self.texts(cells, "label") or
                             {lang: name for lang in LANGUAGES})
        self.stack.append(("group", name, domain, line))

    def on_end_group(self, line, cells, words):
        if not self.stack:
            return self.warn(line, "'end group' without 'begin group'")
        self.stack.pop()

    def on_begin_repeat(self, line, cells, words):
        name = cell(cells, "name")
        self.warn(line, f"repeat '{name}' is not supported; its rows are skipped")
        self.stack.append(("repeat", name, None, line))

    def on_end_repeat(self, line, cells, words):
        self.on_end_group(line, cells, words)

    def domain(self, domain_id, label):
        """Return a domain id, creating the domain on first use."""
        self.domains.setdefault(domain_id, {"id": domain_id, "label": label, "notes": False,
                                            "photos": False, "questions": []})
        return domain_id

    def on_question(self, line, cells, words):
        name, repeat = cell(cells, "name"), self.inside()
        if repeat:
            return self.warn(line, f"'{name}' skipped (inside repeat '{repeat[1]}')")
        domain = self.stack[-1][2] if self.stack else None
        if domain == "facility" or (domain is None and name in FACILITY_NAMES):
            return None
        attachment = cell(cells, "bind::tekseru:attachment")
        if attachment in ("notes", "photos") and domain is not None:
            self.domains[domain][attachment] = True
            return None
        if cell(cells, "bind::tekseru:per_regime") not in ("", "none"):
            return None
        self.question(line, cells, words, name, domain)

    def question(self, line, cells, words, name, domain):
        """Add and return a question for a supported row, else warn and return None."""
        kind = self.question_type(line, cells, words, name)
        if kind is None:
            return None
        domain = domain or self.domain("general", GENERAL)
        qid = name if _QUESTION.match(name) else f"{domain}.{slug(name, 'q')}"
        if qid in self.names.values():
            return self.warn(line, f"'{name}' repeats question id '{qid}'; skipped")
        if qid != name:
            self.warn(line, f"'{name}' renamed to '{qid}'")
        self.names[name] = qid
        data = {"id": qid, "label": self.texts(cells, "label") or
                {lang: name for lang in LANGUAGES}, **kind}
        data.update(self.details(line, cells, data))
        self.pending.append((line, data, cells))
        self.domains[domain]["questions"].append(data)
        return data

    def question_type(self, line, cells, words, name):
        base = words[0].lower() if words else ""
        if base in TYPES and len(words) == 1:
            return {"type": TYPES[base]}
        if base == "select_one" and len(words) == 2:
            return self.select(line, cells, words[1], name)
        return self.warn(line, f"type '{' '.join(words) or '(none)'}' is not supported; "
                               f"'{name}' skipped")

    def select(self, line, cells, list_name, name):
        choices = self.lists.get(list_name)
        if not choices:
            return self.warn(line, f"choice list '{list_name}' not found; '{name}' skipped")
        if cell(cells, "choice_filter"):
            self.warn(line, f"cascading select: the choice_filter of '{name}' is dropped")
        if {value for value, _ in choices} == {"yes", "no"}:
            return {"type": "boolean"}
        values = [(slug(v, "c"), label) for v, label in choices]
        if any(not _VALUE.match(v) for v, _ in values) or len({v for v, _ in values}) < len(values):
            return self.warn(line, f"choices of '{name}' cannot be made unique ids; skipped")
        if [v for v, _ in values] != [v for v, _ in choices]:
            self.warn(line, f"choice values of '{name}' were turned into ids")
        return {"type": "choice", "choices": [
            {"value": v, "label": label or {lang: v for lang in LANGUAGES}} for v, label in values]}

    def details(self, line, cells, data):
        """Return hint, required, unit, unlimited, derive and per_regime of a row."""
        extra = {"required": cell(cells, "required").lower() in ("yes", "true", "true()")}
        hint = self.texts(cells, "hint")
        extra.update({"hint": hint} if hint else {})
        if cell(cells, "bind::tekseru:per_regime") == "none":
            extra["per_regime"] = True
        if data["type"] in ("integer", "decimal"):
            extra["unit"] = cell(cells, "bind::tekseru:unit") or "number"
            if extra["unit"] == "number" and not cell(cells, "bind::tekseru:unit"):
                self.warn(line, f"'{data['id']}' has no unit; 'number' assumed")
        return extra
