"""WeasyPrint behind one function, and the Jinja environment of the report templates."""

import hashlib
import warnings
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from weasyprint import HTML

from .formatting import FILTERS

PACKAGE_DIR = Path(__file__).resolve().parent
TEMPLATE_DIR = PACKAGE_DIR / "templates"
STATIC_DIR = PACKAGE_DIR / "static"
PDF_VARIANT = "pdf/a-3b"
GENERATOR = "Tekseru"


def render_pdf(html: str, *, base_url: str, fetcher, metadata: dict) -> bytes:
    """Render report HTML to PDF/A-3b bytes carrying a title, language and dates."""
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher).render()
    info = document.metadata
    info.title = metadata["title"]
    info.lang = metadata["lang"]
    info.authors = list(metadata.get("authors", ()))
    info.description = metadata.get("description")
    info.keywords = list(metadata.get("keywords", ()))
    info.generator = GENERATOR
    stamp = (metadata.get("created") or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    info.created = info.modified = stamp
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB output-intent profile without closing it.
        warnings.filterwarnings("ignore", message=".*sRGB2014.icc", category=ResourceWarning)
        return document.write_pdf(pdf_variant=PDF_VARIANT)


@cache
def environment() -> Environment:
    """Return the Jinja environment of the report templates (autoescaped, strict)."""
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def render_html(template: str, context: dict) -> str:
    """Render one report template with its context."""
    return environment().get_template(template).render(**context)


@cache
def template_version() -> str:
    """Return a hash of everything that shapes a PDF: templates, styles, labels and code."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".html", ".css", ".json", ".py"):
            digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
