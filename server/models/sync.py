"""Sync bookkeeping: devices, the operation log, the change log, field clocks, conflicts, blobs."""

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .types import JSONType, UTCDateTime, utcnow

CONFLICT_REASONS = ("concurrent_edit", "clock_skew")
CONFLICT_STATUSES = ("open", "resolved")


class SyncDevice(db.Model):
    """A tablet (one install, one user): last acknowledged seq, what it reported, revocation."""

    __tablename__ = "sync_device"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    app_version: Mapped[str | None] = mapped_column(String(40), nullable=True)
    pending: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Revoked: its tokens answer 401 except one final push; finished once that push is taken.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    wiped_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    user = relationship("User", foreign_keys=[user_id])


class SyncOp(db.Model):
    """One received operation with its first outcome, so that a replay answers the same."""

    __tablename__ = "sync_op"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)
    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("sync_device.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    type: Mapped[str] = mapped_column(String(32))
    visit_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(64), nullable=True)
    conflict_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncCounter(db.Model):
    """The single row holding the last change seq; locked while a transaction allocates."""

    __tablename__ = "sync_counter"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncChange(db.Model):
    """One resolved change, numbered gap-free in commit order; pull pages through these."""

    __tablename__ = "sync_change"
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), index=True
    )
    entity: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(200))
    data: Mapped[dict] = mapped_column(JSONType)
    hlc: Mapped[str | None] = mapped_column(String(80), nullable=True)
    op_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    device_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncField(db.Model):
    """The clock of one last-writer-wins field of a visit (an answer or a visit attribute)."""

    __tablename__ = "sync_field"
    visit_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("visit.id", ondelete="CASCADE"), primary_key=True
    )
    field: Mapped[str] = mapped_column(String(200), primary_key=True)
    hlc: Mapped[str] = mapped_column(String(80))
    change_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    device_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    op_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Earlier writes from other devices holding the same value, unseen by this writer:
    # [{hlc, device_id, change_seq, author_id, op_id}] (server/sync/merge.py).
    peers: Mapped[list] = mapped_column(JSONType, default=list)


class SyncConflict(db.Model):
    """A value that lost a last-writer-wins race (or won by a skewed clock), kept for the chair."""

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_visit_status", "visit_id", "status"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    visit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("visit.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    winner_value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    winner_hlc: Mapped[str] = mapped_column(String(80))
    winner_device_id: Mapped[str] = mapped_column(String(64))
    winner_author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    winner_op_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    loser_value: Mapped[object | None] = mapped_column(JSONType, nullable=True)
    loser_hlc: Mapped[str | None] = mapped_column(String(80), nullable=True)
    loser_device_id: Mapped[str | None] = mapped_column(String(64), nullable=True)
    loser_author_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    loser_op_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )


class Blob(db.Model):
    """A complete photo, addressed by the SHA-256 of the bytes the tablet sent."""

    __tablename__ = "blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(32))
    stored_sha256: Mapped[str] = mapped_column(String(64))
    stored_size: Mapped[int] = mapped_column(BigInteger)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
