"""Import an XLSForm, ours or made elsewhere, into a Tekseru form."""

from datetime import date

from marshmallow import ValidationError

from server.forms.build import Collector, build_form
from server.forms.checks import check_form
from server.forms.schemas import FormSchema
from server.forms.vocab import LANGUAGES
from server.forms.xlsform_expr import TranslationError, from_xpath, source
from server.forms.xlsform_read import XLSFormError, cell, language_code, read_workbook
from server.forms.xlsform_rows import RowWalker, slug

_NO_REGIMES = ("not", ("fac", "regimes"))


def _choice_lists(rows, default_lang, walker):
    lists = {}
    for _, cells in rows:
        list_name, value = cell(cells, "list_name"), cell(cells, "name")
        if list_name and value:
            lists.setdefault(list_name, []).append((value, walker.texts(cells, "label")))
    return lists


def _number(text):
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def _conjuncts(node):
    if node is None:
        return []
    return _conjuncts(node[1]) + _conjuncts(node[2]) if node[0] == "and" else [node]


def _join(nodes):
    result = None
    for node in nodes:
        result = node if result is None else ("and", result, node)
    return result


def _bound(node, op):
    if node[0] == "cmp" and node[1] == op and node[2] == ("cur",) and node[3][0] == "lit":
        value = node[3][1]
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None
    return None


def _constraint(node, unlimited):
    """Split a constraint tree into min, max and the remaining expression."""
    if unlimited is not None:
        sentinel = ("cmp", "==", ("cur",), ("lit", unlimited))
        node = None if node == sentinel else (node[2] if node[0] == "or" and
                                               node[1] == sentinel else node)
    result, rest = {}, []
    for part in _conjuncts(node):
        for key, op in (("min", ">="), ("max", "<=")):
            if key not in result and _bound(part, op) is not None:
                result[key] = _bound(part, op)
                break
        else:
            rest.append(part)
    if rest:
        result["expr"] = source(_join(rest))
    return result


def _relevant(node, per_regime):
    if per_regime and node == _NO_REGIMES:
        return None
    if per_regime and node[0] == "and" and node[1] == _NO_REGIMES:
        return node[2]
    return node


def _expressions(walker, booleans):
    steps = (("relevant", _relevant_of), ("unlimited", _unlimited_of), ("derive", _derive_of),
             ("constraint", _constraint_of))
    for line, data, cells in walker.pending:
        for column, step in steps:
            try:
                data.update(step(walker, data, cells, booleans))
            except (TranslationError, ValueError, KeyError) as error:
                walker.warn(line, f"{column} of '{data['id']}' is not imported ({error})")


def _relevant_of(walker, data, cells, booleans):
    text = cell(cells, "relevant")
    if not text:
        return {}
    node = _relevant(from_xpath(text, walker.names, booleans), data.get("per_regime"))
    return {"relevant": source(node)} if node is not None else {}


def _unlimited_of(walker, data, cells, booleans):
    text = cell(cells, "bind::tekseru:unlimited")
    return {"unlimited": _number(text)} if text else {}


def _derive_of(walker, data, cells, booleans):
    text = cell(cells, "bind::tekseru:derive")
    if not text:
        return {}
    numerator, denominator = (walker.names[part.strip()] for part in text.split("/"))
    return {"derive": {"numerator": numerator, "denominator": denominator}}


def _constraint_of(walker, data, cells, booleans):
    text = cell(cells, "constraint")
    if not text or data["type"] not in ("integer", "decimal"):
        return {}
    parts = _constraint(from_xpath(text, walker.names, booleans), data.get("unlimited"))
    message = walker.texts(cells, "constraint_message") or {lang: text for lang in LANGUAGES}
    return {"constraint": {**parts, "message": message}} if parts else {}


def _form_data(walker, settings):
    title = cell(settings, "form_title") or cell(settings, "form_id") or "Imported form"
    titles = {"ru": title, "kk": cell(settings, "tekseru_title_kk") or title,
              "en": cell(settings, "tekseru_title_en") or title}
    effective = cell(settings, "tekseru_effective_date")[:10] or date.today().isoformat()
    if not cell(settings, "tekseru_effective_date"):
        walker.warnings.append(f"settings: no effective date; {effective} assumed")
    form_id = cell(settings, "form_id").strip().lower().replace("_", "-")
    form_id = form_id if form_id[:1].isalpha() else "imported-" + slug(form_id, "form")
    domains = [d for d in walker.domains.values() if d["questions"]]
    return {"id": form_id.replace("_", "-"), "version": cell(settings, "version") or "1",
            "effective_date": effective, "title": titles, "domains": domains}


def _build(data, path):
    try:
        clean = FormSchema().load(data)
    except ValidationError as error:
        raise XLSFormError(f"{path}: the imported form is not valid: {error.messages}") from None
    out = Collector(str(path))
    form = build_form(clean, out, str(path))
    problems = out.problems + check_form(form)
    if problems:
        raise XLSFormError("\n".join(str(p) for p in problems))
    return form


def import_xlsform(path):
    """Read an XLSForm into (Form, warnings); raise XLSFormError if nothing usable is left."""
    sheets = read_workbook(path)
    settings = sheets["settings"][0][1] if sheets["settings"] else {}
    default_lang = language_code(cell(settings, "default_language")) or "en"
    walker = RowWalker({}, default_lang)
    walker.lists = _choice_lists(sheets["choices"], default_lang, walker)
    walker.walk(sheets["survey"])
    booleans = {d["id"] for dom in walker.domains.values() for d in dom["questions"]
                if d["type"] == "boolean"}
    _expressions(walker, booleans)
    data = _form_data(walker, settings)
    if not data["domains"]:
        raise XLSFormError(f"{path}: no question could be imported")
    for lang in sorted(walker.missing):
        walker.warnings.append(f"no {lang} texts in some columns: copied from another language")
    return _build(data, path), sorted(walker.warnings, key=_warning_order)


def _warning_order(message):
    words = message.split()
    return int(words[2].rstrip(":")) if message.startswith("survey row ") else 1 << 30
