"""Reports as cacheable things: a key (the ETag) known before rendering, and a build step."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..catalogue import score_stored_visit, version_key, versions_for
from ..metrics import RENDER_SECONDS
from ..models import utcnow
from ..scope import sees_sensitive
from .annual_data import annual_context
from .cache import cache_key, cached_pdf, store_pdf
from .facility_data import facility_context
from .facts import content_hash, facility_payload, visit_payload, visit_rows
from .fetcher import SafeFetcher, base_url
from .formatting import day, label
from .queries import facility_visits, fingerprint, load_visits, scored_history, visits_in
from .render import render_html, render_pdf, template_version
from .review import open_findings_of
from .scopes import AnnualScope
from .visit_data import visit_context


@dataclass
class Report:
    """One report to send: its cache key, a download name and how to render it."""

    kind: str
    key: str
    filename: str
    build: Callable[[], dict]
    template: str

    @property
    def etag(self) -> str:
        """Return the entity tag: the cache key, shortened."""
        return self.key[:32]


def render_context(template: str, context: dict) -> bytes:
    """Render a report context to PDF bytes through the safe fetcher."""
    fetcher = SafeFetcher(photos=context.pop("photo_loaders", {}))
    context.setdefault("generated", day(utcnow(), context["lang"]))
    html = render_html(template, context)
    metadata = {"title": context["title"], "lang": context["lang"], "authors": ["Tekseru"],
                "keywords": [context["kind"]], "description": context["header_left"]}
    with RENDER_SECONDS.labels(kind=context["kind"]).time():
        return render_pdf(html, base_url=base_url(), fetcher=fetcher, metadata=metadata)


def pdf_file(report: Report, after_reading=None) -> tuple[Path, bool]:
    """Return (path of the PDF, whether it came from the cache), rendering on a miss.

    after_reading runs between the database reads and the rendering (the bulk runner ends
    its transaction there, so SQLite's write lock is not held while WeasyPrint works).
    """
    path = cached_pdf(report.key)
    if path is not None:
        return path, True
    context = report.build()
    if after_reading is not None:
        after_reading()
    return store_pdf(report.key, render_context(report.template, context)), False


def _values(sensitive: bool) -> str:
    """Return the cache key part telling a full rendering from one withholding values."""
    return "sensitive-values" if sensitive else "values-withheld"


def visit_report(visit, lang: str, notes: bool = False, photos: bool = True,
                 sensitive: bool = True) -> Report:
    """Describe a visit's report in a language; free-text notes only when asked for.

    Notes name people (who said what); they are left out unless the requester chose
    to include them (audited by the caller). photos=False leaves photos out too;
    sensitive=False withholds the values rule outcomes quote from sensitive questions
    (server/scope.py). Each choice is a part of the cache key.
    """
    rows = visit_rows(visit)
    versions = versions_for(visit)
    key = cache_key("visit", content_hash(visit_payload(visit, rows)),
                    version_key(*versions), template_version(), lang,
                    "notes" if notes else "no-notes", "photos" if photos else "no-photos",
                    _values(sensitive))
    rows = {**rows, "notes": rows["notes"] if notes else [],
            "photos": rows["photos"] if photos else []}

    def build() -> dict:
        scored = score_stored_visit(visit, versions=versions)
        return visit_context(visit, scored, rows, lang, sensitive)

    stamp = visit.started_at.strftime("%Y-%m-%d")
    name = f"tekseru-visit-{stamp}-{str(visit.id)[:8]}-{lang}{'-notes' if notes else ''}.pdf"
    return Report("visit", key, name, build, "visit.html")


def facility_report(facility, lang: str, today, sensitive: bool = True) -> Report:
    """Describe a facility's report (trend, open findings, latest visit) as of a day.

    sensitive=False withholds the values quoted from sensitive questions (a cache key part).
    """
    visits = facility_visits(facility)
    key = cache_key("facility", content_hash(facility_payload(facility)), fingerprint(visits),
                    today.isoformat(), template_version(), lang, _values(sensitive))

    def build() -> dict:
        return facility_context(facility, scored_history(visits),
                                open_findings_of(facility, today), today, lang, sensitive)

    name = f"tekseru-facility-{str(facility.id)[:8]}-{today.isoformat()}-{lang}.pdf"
    return Report("facility", key, name, build, "facility.html")


def annual_report(user, scope: AnnualScope, lang: str) -> Report:
    """Describe the annual report of a scope as the user may see it.

    A user who may not read sensitive answers gets values from them withheld (a key part).
    """
    sensitive = sees_sensitive(user)
    filters = {"commissions": [scope.commission.id] if scope.commission is not None else (),
               "regions": [scope.region] if scope.region else (), "kinds": scope.kinds}
    current = load_visits(visits_in(user, date(scope.year, 1, 1), date(scope.year + 1, 1, 1),
                                    **filters))
    previous = load_visits(visits_in(user, date(scope.year - 1, 1, 1),
                                     date(scope.year, 1, 1), **filters))
    key = cache_key("annual", scope.token(), fingerprint(current), fingerprint(previous),
                    template_version(), lang, _values(sensitive))

    def build() -> dict:
        kinds = ", ".join(label(f"kind.{k}", lang) for k in scope.kinds)
        described = {"year": scope.year, "name": scope.name(lang), "kinds": kinds}
        return annual_context(described, scored_history(current), scored_history(previous),
                              lang, sensitive)

    return Report("annual", key, f"tekseru-annual-{scope.token()}-{lang}.pdf", build,
                  "annual.html")
