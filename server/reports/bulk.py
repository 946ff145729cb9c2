"""Bulk reports for the ombudsman: a selection becomes items, items become PDFs, then a ZIP."""

import csv
import io
import os
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path

from ..extensions import db
from ..models import Facility, Visit, utcnow
from ..scope import get_or_404, sees_sensitive
from .cache import reports_dir
from .queries import load_visits, visits_in
from .review import approval_of
from .scopes import AnnualScope, visible_commission
from .service import annual_report, facility_report, pdf_file, visit_report

REPORT_KINDS = ("visit", "facility", "annual")
INDEX_FIELDS = ("file", "report", "language", "facility", "facility_id", "commission",
                "region", "facility_kind", "period", "approved", "etag", "bytes", "error")


@dataclass
class Selection:
    """A bulk request: a period (both days included), commissions, regions, kinds, reports."""

    date_from: date
    date_to: date
    commissions: list = field(default_factory=list)
    regions: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    reports: list = field(default_factory=lambda: ["visit"])
    languages: list = field(default_factory=lambda: ["ru"])

    def to_dict(self) -> dict:
        """Return the selection as JSON-ready data."""
        data = asdict(self)
        data["date_from"], data["date_to"] = self.date_from.isoformat(), self.date_to.isoformat()
        return data


def plan_items(user, selection: Selection) -> list[dict]:
    """Return one item per report to render, in the user's scope."""
    commissions = [visible_commission(user, c) for c in selection.commissions]
    end = selection.date_to + timedelta(days=1)
    visits = load_visits(visits_in(user, selection.date_from, end,
                                   [c.id for c in commissions], selection.regions,
                                   selection.kinds))
    items, as_of = [], min(selection.date_to, utcnow().date()).isoformat()
    for lang in selection.languages:
        if "visit" in selection.reports:
            items += [{"report": "visit", "id": str(v.id), "lang": lang} for v in visits]
        if "facility" in selection.reports:
            facility_ids = sorted({str(v.facility_id) for v in visits})
            items += [{"report": "facility", "id": f, "lang": lang, "today": as_of}
                      for f in facility_ids]
        if "annual" in selection.reports:
            items += _annual_items(selection, commissions, lang)
    return items


def _annual_items(selection: Selection, commissions: list, lang: str) -> list[dict]:
    """Return one annual report per year of the period and per commission or region."""
    scopes = ([{"commission": c.slug} for c in commissions]
              or [{"region": r} for r in selection.regions] or [{}])
    years = range(selection.date_from.year, selection.date_to.year + 1)
    return [{"report": "annual", "year": y, "lang": lang, "kinds": selection.kinds, **s}
            for y in years for s in scopes]


def _report_for(user, item: dict):
    """Return the Report of an item and the row it adds to the index."""
    lang = item["lang"]
    if item["report"] == "visit":
        visit = get_or_404(user, Visit, item["id"], "visit")
        readable = sees_sensitive(user)
        return (visit_report(visit, lang, photos=readable, sensitive=readable),
                _facility_row(visit.facility, visit, lang))
    if item["report"] == "facility":
        facility = get_or_404(user, Facility, item["id"], "facility")
        today = date.fromisoformat(item["today"])
        return (facility_report(facility, lang, today, sensitive=sees_sensitive(user)),
                _facility_row(facility, None, lang))
    commission = visible_commission(user, item["commission"]) if item.get("commission") else None
    scope = AnnualScope(item["year"], commission, item.get("region"), tuple(item["kinds"]))
    return annual_report(user, scope, lang), {"period": str(item["year"]),
                                              "commission": commission.slug if commission
                                              else "", "region": item.get("region") or ""}


def _facility_row(facility, visit, lang: str) -> dict:
    """Return the index columns describing a facility (and a visit)."""
    row = {"facility": facility.name(lang), "facility_id": str(facility.id),
           "commission": facility.commission.slug, "region": facility.region,
           "facility_kind": facility.kind}
    if visit is not None:
        row["period"] = visit.started_at.date().isoformat()
        row["approved"] = "yes" if approval_of(visit) else "no"
    return row


def render_item(user, item: dict, index: int) -> dict:
    """Render one item (from the cache when possible); return its index row and PDF path."""
    base = {"report": item["report"], "language": item["lang"], "index": index}
    try:
        report, row = _report_for(user, item)
        path, _cached = pdf_file(report, after_reading=db.session.rollback)
    except Exception as exc:  # noqa: BLE001 - one failed report must not stop a bulk job
        db.session.rollback()
        return {**base, "file": "", "error": f"{type(exc).__name__}: {exc}"[:300]}
    folder = {"visit": "visits", "facility": "facilities", "annual": "annual"}[item["report"]]
    return {**base, **row, "file": f"{folder}/{report.filename}", "path": str(path),
            "etag": report.etag, "bytes": path.stat().st_size, "error": ""}


def write_zip(job_id: str, results: list[dict]) -> str:
    """Write the ZIP of a job's PDFs with its CSV index; return the file name."""
    results = sorted(results, key=lambda r: r["index"])
    index = io.StringIO()
    writer = csv.DictWriter(index, fieldnames=INDEX_FIELDS, extrasaction="ignore")
    writer.writeheader()
    target = zip_path(job_id)
    temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as archive:
        for result in results:
            writer.writerow(result)
            if result.get("path"):
                archive.write(result["path"], result["file"], zipfile.ZIP_STORED)
        archive.writestr("index.csv", "\ufeff" + index.getvalue())
    os.replace(temp, target)
    return f"tekseru-reports-{utcnow():%Y%m%d-%H%M}-{job_id[:8]}.zip"


def zip_path(job_id: str) -> Path:
    """Return where a job's ZIP is written."""
    folder = reports_dir() / "bulk"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{job_id}.zip"

