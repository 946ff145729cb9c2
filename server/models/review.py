"""The chair's review: score summaries, approvals, addenda, conflict resolutions, findings."""

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONType, UTCDateTime, new_uuid, utcnow


class VisitSummary(db.Model):
    """A visit's headline scores, recomputed when its changes or the versions in force change."""

    __tablename__ = "visit_summary"
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"), index=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16))
    change_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    versions: Mapped[str] = mapped_column(Text, default="")
    facility_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    coverage: Mapped[float | None] = mapped_column(Float, nullable=True)
    critical_unmet: Mapped[int] = mapped_column(Integer, default=0)
    unmet: Mapped[int] = mapped_column(Integer, default=0)
    # {set_id: [score or None, coverage or None]}
    sets: Mapped[dict] = mapped_column(JSONType, default=dict)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReviewState(db.Model):
    """The single row saying up to which change seq and catalogue the summaries are fresh."""

    __tablename__ = "review_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    summarized_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    catalogue: Mapped[str] = mapped_column(String(64), default="")


class VisitApproval(db.Model):
    """One sign-off of a visit, with the snapshot of what was approved and its hash."""

    __tablename__ = "visit_approval"
    __table_args__ = (UniqueConstraint("visit_id", "number"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    signed_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    cursor: Mapped[int] = mapped_column(BigInteger)
    content_hash: Mapped[str] = mapped_column(String(64))
    snapshot: Mapped[dict] = mapped_column(JSONType)

    signed_by = relationship("User")


class VisitAddendum(db.Model):
    """A reopening of an approved visit: the reason, by whom, which approval it amends."""

    __tablename__ = "visit_addendum"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    approval_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit_approval.id"))
    reason: Mapped[str] = mapped_column(Text)
    opened_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    opened_by = relationship("User")


class ConflictResolution(db.Model):
    """How the chair settled a conflict: the value chosen, why, and the operation that wrote it."""

    __tablename__ = "conflict_resolution"
    conflict_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("sync_conflict.id", ondelete="CASCADE"), primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    choice: Mapped[str] = mapped_column(String(16))  # winner | loser | value
    value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    reason: Mapped[str] = mapped_column(Text)
    op_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    resolved_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    resolved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    resolved_by = relationship("User")


class Finding(db.Model):
    """An unmet rule of an approved visit, followed over the facility's later visits."""

    __tablename__ = "finding"
    __table_args__ = (
        UniqueConstraint("first_visit_id", "set_id", "rule_id", "regime"),
        Index("ix_finding_facility_status", "facility_id", "status"),
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_uuid)
    facility_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("facility.id"))
    set_id: Mapped[str] = mapped_column(String(64))
    rule_id: Mapped[str] = mapped_column(String(128))
    regime: Mapped[str] = mapped_column(String(16), default="")
    indicator: Mapped[str] = mapped_column(String(128))
    domain: Mapped[str] = mapped_column(String(64))
    severity: Mapped[str] = mapped_column(String(16))
    comparison: Mapped[str] = mapped_column(String(16))
    first_visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True)
    first_found: Mapped[date] = mapped_column(Date)
    first_value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    last_visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    last_value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | resolved
    worse: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_visit_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), nullable=True)
    resolved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # [[visit id, date, open | worse | resolved | not_assessed, value], …] per approved visit
    history: Mapped[list] = mapped_column(JSONType, default=list)
