"""Read an XLSForm workbook into plain rows, whatever tool made it."""

import re
import warnings
import zipfile

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from server.forms.vocab import LANGUAGES

NAMESPACE = 'tekseru="urn:tekseru:xlsform:1"'
TRANSLATABLE = ("label", "hint", "constraint_message")
_LANGUAGE_WORDS = {"english": "en", "russian": "ru", "русский": "ru", "kazakh": "kk",
                   "қазақ": "kk", "қазақша": "kk", "казахский": "kk"}
_COLUMN = re.compile(r"^(?P<base>[a-z_ ]+?)\s*(?:::?\s*(?P<lang>.+))?$")


class XLSFormError(ValueError):
    """An XLSForm that cannot be read or imported, with a message for people."""


def language_code(name):
    """Return ru, kk or en for a language column suffix like 'English (en)', else None."""
    if not name:
        return None
    code = re.search(r"\(([A-Za-z-]+)\)\s*$", name)
    if code and code.group(1).lower() in LANGUAGES:
        return code.group(1).lower()
    return _LANGUAGE_WORDS.get(name.split("(")[0].strip().lower())


def parse_header(header):
    """Return (field, language suffix or None) for one column header."""
    text = str(header or "").strip()
    if text.lower().startswith("bind::"):
        return text.lower(), None
    match = _COLUMN.match(text.lower())
    if not match:
        return text.lower(), None
    base = match.group("base").strip().replace(" ", "_")
    if base in TRANSLATABLE:
        suffix = text.split(":", 2)[-1].strip() if match.group("lang") else None
        return base, suffix
    return (base if not match.group("lang") else text.lower()), None


def _sheet_rows(sheet):
    rows = list(sheet.iter_rows(values_only=True))
    if not rows:
        return []
    headers = [parse_header(h) for h in rows[0]]
    result = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {}
        for (field, lang), value in zip(headers, values, strict=False):
            if value is None or str(value).strip() == "":
                continue
            cells[(field, lang)] = value if not isinstance(value, str) else value.strip()
        if cells:
            result.append((number, cells))
    return result


def read_workbook(path):
    """Return {'survey': rows, 'choices': rows, 'settings': rows}; rows are (line, cells).

    Cells map (field, language suffix or None) to the cell value.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, OSError, KeyError, ValueError) as error:
        raise XLSFormError(f"{path} is not a readable .xlsx workbook ({error})") from None
    sheets = {name.strip().lower(): book[name] for name in book.sheetnames}
    if "survey" not in sheets:
        raise XLSFormError(f"{path} has no 'survey' sheet")
    header = next(sheets["survey"].iter_rows(max_row=1, values_only=True), ())
    result = {name: _sheet_rows(sheets[name]) if name in sheets else []
              for name in ("survey", "choices", "settings")}
    book.close()
    if not {"type", "name"} <= {parse_header(h)[0] for h in header}:
        raise XLSFormError(f"{path}: the survey sheet needs 'type' and 'name' columns")
    return result


def cell(cells, field, lang=None):
    """Return a cell's text value, or ''."""
    value = cells.get((field, lang), "")
    return value if isinstance(value, str) else ("" if value is None else str(value))
