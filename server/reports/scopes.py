"""Which visits a report covers: the annual scope and the bulk selection, within user scope."""

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_

from ..errors import APIError
from ..extensions import db
from ..models import Commission, Facility
from ..scope import scoped
from .formatting import label


@dataclass(frozen=True)
class AnnualScope:
    """Which visits an annual report covers: a year, and a commission or region or neither."""

    year: int
    commission: object = None
    region: str | None = None
    kinds: tuple = ()

    def name(self, lang: str) -> str:
        """Return the scope's name: the commission, the region or the country."""
        if self.commission is not None:
            return getattr(self.commission, f"name_{lang}") or self.commission.name_ru
        if self.region:
            return label(f"region.{self.region}", lang)
        return label("report.annual.scope_national", lang)

    def token(self) -> str:
        """Return the scope as a short string for keys and file names."""
        if self.commission is not None:
            who = f"commission-{self.commission.slug}"
        else:
            who = f"region-{self.region}" if self.region else "national"
        return f"{self.year}-{who}" + ("-" + "+".join(self.kinds) if self.kinds else "")


def _not_found(what: str):
    """Raise the 404 that reveals nothing."""
    raise APIError(404, "not_found", f"No {what} with this name is visible to you.")


def visible_commission(user, wanted: str):
    """Return a commission by slug or id within the user's scope, else 404."""
    clause = Commission.slug == wanted
    try:
        clause = or_(clause, Commission.id == uuid.UUID(wanted))
    except ValueError:
        pass
    found = db.session.execute(scoped(user, Commission).where(clause)).scalar_one_or_none()
    return found if found is not None else _not_found("commission")


def check_region(user, region: str) -> str:
    """Return a region where the user sees a facility, else 404."""
    query = scoped(user, Facility).where(Facility.region == region).limit(1)
    return region if db.session.execute(query).first() else _not_found("region")


def annual_scope(user, year: int, commission: str | None, region: str | None) -> AnnualScope:
    """Return the scope of an annual report; a commission member defaults to their own."""
    if not 2000 <= year <= date.today().year + 1:
        raise APIError(404, "not_found", "No report for this year.")
    if commission:
        chosen = visible_commission(user, commission)
    else:
        chosen = user.commission if user.role in ("inspector", "chair") else None
    return AnnualScope(year, chosen, check_region(user, region) if region else None)
