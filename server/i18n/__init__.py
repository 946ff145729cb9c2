"""Languages: Russian, Kazakh, English. One message catalogue serves pages and the PWA."""

import json
from functools import cache
from pathlib import Path

from flask import g, request, session
from flask_babel import get_locale

from ..extensions import babel

LANGUAGES = ("ru", "kk", "en")
DEFAULT = "ru"
CATALOGUE_DIR = Path(__file__).parent


@cache
def catalogue(lang: str) -> dict:
    """Return the messages of one language."""
    return json.loads((CATALOGUE_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def translate(key: str, lang: str | None = None, **values) -> str:
    """Return a message in the language, falling back to Russian, then the key."""
    lang = lang or current_language()
    text = catalogue(lang).get(key) or catalogue(DEFAULT).get(key) or key
    return text.format(**values) if values else text


def select_locale() -> str:
    """Pick the language: ?lang=, then the session, the user, the browser."""
    wanted = request.args.get("lang")
    if wanted in LANGUAGES:
        session["lang"] = wanted
        return wanted
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    user = g.get("user")
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT


def current_language() -> str:
    """Return the language of the current request."""
    return str(get_locale() or DEFAULT)


def init_app(app) -> None:
    """Bind Flask-Babel and expose the catalogue to templates."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals.update(_=translate, current_language=current_language,
                                 LANGUAGES=LANGUAGES)
