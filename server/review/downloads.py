"""Build an export download (CSV or XLSX) for pages and the API alike, and audit it."""

from flask import Response

from ..audit import append_event
from ..errors import APIError
from ..extensions import db
from ..i18n import current_language
from ..models import Commission
from ..scope import scoped
from .exports import answers_table, visits_table
from .tables import FORMATS, render

BUILDERS = {"visits": visits_table, "answers": answers_table}


def check_commission(user, commission_id) -> None:
    """Refuse (404) a commission filter naming a commission outside the user's scope."""
    if commission_id is None:
        return
    found = db.session.execute(scoped(user, Commission).where(Commission.id == commission_id)
                               .with_only_columns(Commission.id)).first()
    if found is None:
        raise APIError(404, "not_found", "No commission with this id is visible to you.")


def export_response(user, kind: str, args: dict) -> Response:
    """Return the export as a file download; the filters were checked by a schema."""
    check_commission(user, args.get("commission_id"))
    lang, fmt = args.get("lang") or current_language(), args.get("format") or "csv"
    table = BUILDERS[kind](user, args, lang)
    body = render(table, fmt)
    append_event("export_downloaded", actor=user, target_type="export", target_id=kind,
                 data={"format": fmt, "lang": lang, "rows": len(table.rows),
                       "filters": {k: v for k, v in args.items() if v is not None}})
    response = Response(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = f'attachment; filename="tekseru-{kind}.{fmt}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
