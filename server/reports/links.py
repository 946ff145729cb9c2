"""Links to a facility's reports, for the facility page (and the review pages to come)."""

from flask import url_for
from sqlalchemy import select

from ..extensions import db
from ..i18n import LANGUAGES
from ..models import Visit, utcnow
from .formatting import day

MAX_VISITS = 20


def report_links(facility, lang: str) -> dict:
    """Return the PDF links of a facility: its report, its latest visits', the annual ones."""
    visits = db.session.execute(
        select(Visit.id, Visit.started_at).where(Visit.facility_id == facility.id)
        .order_by(Visit.started_at.desc(), Visit.id).limit(MAX_VISITS)).all()
    year = utcnow().year
    return {
        "facility": [(code, url_for("reports.facility_pdf", facility_id=facility.id, lang=code))
                     for code in LANGUAGES],
        "visits": [{"date": day(started, lang),
                    "urls": [(code, url_for("reports.visit_pdf", visit_id=visit_id, lang=code))
                             for code in LANGUAGES]} for visit_id, started in visits],
        "annual": [(y, url_for("reports.annual_pdf", year=y, lang=lang,
                               commission=facility.commission.slug)) for y in (year, year - 1)],
    }
