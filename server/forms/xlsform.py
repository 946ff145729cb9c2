"""Write a checklist as an XLSForm (survey, choices, settings) that pyxform converts."""

from openpyxl import Workbook

from server.forms.vocab import KINDS, LANGUAGE_NAMES, LANGUAGES, POPULATIONS, REGIMES
from server.forms.xlsform_expr import TranslationError, to_xpath
from server.forms.xlsform_import import import_xlsform
from server.forms.xlsform_read import NAMESPACE, XLSFormError

__all__ = ["XLSFormError", "export_xlsform", "import_xlsform"]

TRANSLATED = ("label", "hint", "constraint_message")
CUSTOM = ("unit", "unlimited", "derive", "per_regime", "attachment")
SURVEY_COLUMNS = (
    ["type", "name"]
    + [f"{c}::{LANGUAGE_NAMES[lang]}" for c in TRANSLATED[:2] for lang in LANGUAGES]
    + ["required", "relevant", "constraint", "parameters"]
    + [f"constraint_message::{LANGUAGE_NAMES[lang]}" for lang in LANGUAGES]
    + [f"bind::tekseru:{c}" for c in CUSTOM]
)
YES_NO = {"yes": ("Да", "Иә", "Yes"), "no": ("Нет", "Жоқ", "No")}
PHOTO_PARAMETERS = "max-pixels=1600"
TYPES = {"integer": "integer", "decimal": "decimal", "text": "text", "photo": "image"}
FACILITY_ROWS = [
    ("select_one kinds", "facility_kind", ("Вид учреждения", "Мекеменің түрі", "Kind of facility"),
     "yes", ""),
    ("select_multiple regimes", "facility_regimes",
     ("Виды условий отбывания наказания", "Жазаны өтеу жағдайларының түрлері", "Regimes held"),
     "", "not(selected('ivs sizo special_reception', ${facility_kind}))"),
    ("select_multiple populations", "facility_populations",
     ("Содержащиеся", "Ұсталатындар", "Groups held"), "", ""),
]
ATTACHMENTS = {"notes": ("text", "_notes", ("Заметки", "Жазбалар", "Notes")),
               "photos": ("image", "_photo", ("Фото", "Фото", "Photo"))}


def _row(**cells):
    """Return a survey row as a list ordered like SURVEY_COLUMNS."""
    return [cells.get(column, "") for column in SURVEY_COLUMNS]


def _texts(prefix, text):
    if text is None:
        return {}
    return {f"{prefix}::{LANGUAGE_NAMES[lang]}": text.get(lang) for lang in LANGUAGES}


def _labels(values):
    return {f"label::{LANGUAGE_NAMES[lang]}": v for lang, v in zip(LANGUAGES, values, strict=True)}


def _constraint_xpath(q, booleans):
    c, parts = q.constraint, []
    if c is not None:
        parts += [f". >= {c.min!r}"] if c.min is not None else []
        parts += [f". <= {c.max!r}"] if c.max is not None else []
        parts += [f"({to_xpath(c.expr.node, booleans)})"] if c.expr is not None else []
    joined = " and ".join(parts)
    if q.unlimited is None:
        return joined
    sentinel = f". = {q.unlimited!r}"
    return f"{sentinel} or ({joined})" if joined else sentinel


def _question_cells(q, booleans):
    kind = ("select_one yes_no" if q.type == "boolean" else
            f"select_one {_list_name(q)}" if q.type == "choice" else TYPES[q.type])
    derive = f"{q.derive.numerator} / {q.derive.denominator}" if q.derive else ""
    cells = {"type": kind, "name": q.id, **_texts("label", q.label), **_texts("hint", q.hint),
             "parameters": PHOTO_PARAMETERS if q.type == "photo" else "",
             "required": "yes" if q.required else "",
             "constraint": _constraint_xpath(q, booleans),
             "bind::tekseru:unit": q.unit or "", "bind::tekseru:derive": derive,
             "bind::tekseru:unlimited": "" if q.unlimited is None else repr(q.unlimited)}
    if q.constraint is not None:
        cells.update(_texts("constraint_message", q.constraint.message))
    return cells


def _question_rows(q, booleans):
    cells = _question_cells(q, booleans)
    relevant = to_xpath(q.relevant.node, booleans) if q.relevant is not None else ""
    if not q.per_regime:
        return [_row(**cells, relevant=relevant)]
    own = f" and ({relevant})" if relevant else ""
    rows = [_row(**{**cells, "relevant": "count-selected(${facility_regimes}) = 0" + own,
                    "bind::tekseru:per_regime": "none"})]
    for regime, names in REGIMES.items():
        labels = {f"label::{LANGUAGE_NAMES[lang]}": f"{q.label.get(lang)} — {names[i]}"
                  for i, lang in enumerate(LANGUAGES)}
        rows.append(_row(**{**cells, **labels, "name": f"{q.id}__{regime}",
                            "relevant": f"selected(${{facility_regimes}}, '{regime}')" + own,
                            "bind::tekseru:per_regime": regime}))
    return rows


def _list_name(q):
    return q.id.replace(".", "_")


def _survey(form):
    booleans = {q.id for q in form.questions if q.type == "boolean"}
    rows = [_row(type="begin group", name="facility", **_labels(("Учреждение", "Мекеме",
                                                                  "Facility")))]
    for kind, name, labels, required, relevant in FACILITY_ROWS:
        rows.append(_row(type=kind, name=name, required=required, relevant=relevant,
                         **_labels(labels)))
    rows.append(_row(type="end group"))
    for domain in form.domains:
        rows.append(_row(type="begin group", name=domain.id, **_texts("label", domain.label)))
        for qid in domain.question_ids:
            rows.extend(_question_rows(form.question(qid), booleans))
        for flag, (kind, suffix, labels) in ATTACHMENTS.items():
            if getattr(domain, flag):
                rows.append(_row(type=kind, name=domain.id + "." + suffix, **_labels(labels),
                                 parameters=PHOTO_PARAMETERS if kind == "image" else "",
                                 **{"bind::tekseru:attachment": flag}))
        rows.append(_row(type="end group"))
    return rows


def _choices(form):
    lists = [("yes_no", YES_NO), ("kinds", KINDS), ("regimes", REGIMES),
             ("populations", POPULATIONS)]
    rows = [[name, value, *labels] for name, table in lists for value, labels in table.items()]
    for q in form.questions:
        if q.type == "choice":
            rows += [[_list_name(q), c.value, *(c.label.get(lang) for lang in LANGUAGES)]
                     for c in q.choices]
    return rows


def export_xlsform(form, path):
    """Write a form as an XLSForm workbook at `path` (raises XLSFormError)."""
    try:
        survey = _survey(form)
    except TranslationError as error:
        raise XLSFormError(f"an expression cannot be written as XPath: {error}") from error
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    for row in [SURVEY_COLUMNS, *survey]:
        sheet.append(list(row))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name"] + [f"label::{LANGUAGE_NAMES[x]}" for x in LANGUAGES])
    for row in _choices(form):
        choices.append(row)
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language", "namespaces",
                     "tekseru_effective_date", "tekseru_title_kk", "tekseru_title_en"])
    settings.append([form.title.ru, form.id, form.version, LANGUAGE_NAMES["ru"], NAMESPACE,
                     form.effective_date.isoformat(), form.title.kk, form.title.en])
    book.save(path)
