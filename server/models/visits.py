"""Checklist versions, visits and what inspectors record during them."""

import uuid
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, String, Table, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONType, UTCDateTime, new_uuid, utcnow

VISIT_STATUSES = ("draft", "submitted", "approved")
NO_REGIME = ""  # answers to questions not asked per regime

visit_team = Table(
    "visit_team",
    db.metadata,
    Column("visit_id", ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("user_account.id"), primary_key=True),
)


class FormVersion(db.Model):
    """One published version of a checklist definition."""

    __tablename__ = "form_version"
    __table_args__ = (UniqueConstraint("form_id", "version"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    form_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(32))
    effective_date: Mapped[date] = mapped_column(Date)
    content_hash: Mapped[str] = mapped_column(String(64))
    definition: Mapped[dict] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Visit(db.Model):
    """A monitoring visit to one facility; its id is made by the tablet."""

    __tablename__ = "visit"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    form_version_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("form_version.id"), nullable=True
    )
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # The current sign-off (server/review/approval.py); cleared when reopened as an addendum.
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True)
    content_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)

    facility = relationship("Facility")
    approved_by = relationship("User", foreign_keys=[approved_by_id])
    form_version = relationship("FormVersion")
    created_by = relationship("User", foreign_keys=[created_by_id])
    team = relationship("User", secondary=visit_team)
    answers = relationship("Answer", back_populates="visit", cascade="all, delete-orphan")


class Answer(db.Model):
    """The current value of one question (per regime where asked per regime)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("visit_id", "question_id", "regime"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(128))
    regime: Mapped[str] = mapped_column(String(16), default=NO_REGIME)
    value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    hlc: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    visit = relationship("Visit", back_populates="answers")
    author = relationship("User")


class PhotoLink(db.Model):
    """A photo (by content hash) attached to a visit, a question or a domain."""

    __tablename__ = "photo_link"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    question_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    domain: Mapped[str | None] = mapped_column(String(64), nullable=True)
    caption: Mapped[str] = mapped_column(Text, default="")
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Note(db.Model):
    """A free-text note; notes are appended, never merged."""

    __tablename__ = "note"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    domain: Mapped[str | None] = mapped_column(String(64), nullable=True)
    question_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(80))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
