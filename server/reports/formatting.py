"""Labels, numbers and dates in the report's language."""

import json
import re
from datetime import date, datetime
from functools import cache
from pathlib import Path

from markupsafe import Markup

from ..i18n import translate

CATALOGUE_DIR = Path(__file__).resolve().parent / "i18n"
LANGUAGES = ("ru", "kk", "en")
COMPARISON_SIGNS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "==": "=", "!=": "≠"}
EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@cache
def catalogue(lang: str) -> dict:
    """Return the report labels of one language."""
    return json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def label(key: str, lang: str, **values) -> str:
    """Return a report label; fall back to the app's catalogue (kinds, regions, regimes)."""
    text = catalogue(lang).get(key)
    if text is None:
        return translate(key, lang, **values)
    return text.format(**values) if values else text


def number(value, lang: str, digits: int = 1) -> str:
    """Format a number: no trailing zeros, a decimal comma in Russian and Kazakh."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if float(value).is_integer():
        text = f"{int(value):,}".replace(",", "\u202f")
    else:
        text = f"{value:,.{digits}f}".rstrip("0").rstrip(".").replace(",", "\u202f")
    return text.replace(".", ",") if lang in ("ru", "kk") else text


def percent(value, lang: str) -> str:
    """Format a 0–100 score or share with a percent sign."""
    return "—" if value is None else f"{number(value, lang)}\u202f%"


def day(value, lang: str) -> str:
    """Format a date: 25.11.2026 in Russian and Kazakh, 25 Nov 2026 in English."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        value = date.fromisoformat(str(value)[:10])
    if lang == "en":
        return f"{value.day} {EN_MONTHS[value.month - 1]} {value.year}"
    return value.strftime("%d.%m.%Y")


def moment(value: datetime | None, lang: str) -> str:
    """Format a timestamp to the minute, in UTC."""
    if value is None:
        return "—"
    return f"{day(value, lang)} {value.strftime('%H:%M')} UTC"


def css_string(text: str) -> Markup:
    """Quote text as a CSS string, hex-escaping everything but letters, digits and spaces."""
    safe = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):06x} " for c in str(text))
    return Markup(f'"{safe}"')


def css_counters(template: str) -> Markup:
    """Turn a label with {page} and {pages} into CSS content with page counters."""
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", template):
        if piece in ("{page}", "{pages}"):
            parts.append(f"counter({piece[1:-1]})")
        elif piece:
            parts.append(str(css_string(piece)))
    return Markup(" ".join(parts))


FILTERS = {"label": label, "number": number, "percent": percent, "day": day,
           "moment": moment, "css_string": css_string, "css_counters": css_counters}
