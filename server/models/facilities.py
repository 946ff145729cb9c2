"""Places of detention a commission visits."""

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONType, UTCDateTime, new_uuid, utcnow

FACILITY_KINDS = (
    "ivs", "sizo", "special_reception", "colony_minimum", "colony_medium", "colony_maximum",
    "colony_extraordinary", "colony_full", "colony_mixed", "juvenile", "medical",
)
REGIMES = ("regular", "eased", "privileged", "strict")
POPULATIONS = ("men", "women", "juveniles", "lifers")


class Facility(db.Model):
    """A prison, pre-trial centre, police cell block or other place of detention."""

    __tablename__ = "facility"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    commission_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("commission.id"), index=True)
    region: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    name_ru: Mapped[str] = mapped_column(String(300))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    regimes: Mapped[list] = mapped_column(JSONType, default=list)
    populations: Mapped[list] = mapped_column(JSONType, default=list)
    capacity: Mapped[int | None] = mapped_column(Integer, nullable=True)
    address: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    commission = relationship("Commission")

    def name(self, lang: str) -> str:
        """Return the facility name in a language, Russian when missing."""
        return getattr(self, f"name_{lang}", None) or self.name_ru
