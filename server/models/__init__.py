"""SQLAlchemy models; every module's tables are imported here for Alembic."""

from .accounts import COMMISSION_ROLES, ROLES, AuthToken, Commission, User
from .audit import GENESIS_HASH, AuditEvent, AuditHead
from .facilities import FACILITY_KINDS, POPULATIONS, REGIMES, Facility
from .review import (
    ConflictResolution,
    Finding,
    ReviewState,
    VisitAddendum,
    VisitApproval,
    VisitSummary,
)
from .sync import (
    Blob,
    SyncChange,
    SyncConflict,
    SyncCounter,
    SyncDevice,
    SyncField,
    SyncOp,
)
from .types import UTCDateTime, new_uuid, utcnow
from .visits import (
    NO_REGIME,
    VISIT_STATUSES,
    Answer,
    FormVersion,
    Note,
    PhotoLink,
    Visit,
    visit_team,
)

__all__ = [
    "COMMISSION_ROLES", "FACILITY_KINDS", "GENESIS_HASH", "NO_REGIME", "POPULATIONS", "REGIMES",
    "ROLES", "VISIT_STATUSES", "Answer", "AuditEvent", "AuditHead", "AuthToken", "Commission",
    "Facility", "FormVersion", "Note", "PhotoLink", "UTCDateTime", "User", "Visit", "new_uuid",
    "utcnow", "visit_team",
    "ConflictResolution", "Finding", "ReviewState", "VisitAddendum", "VisitApproval",
    "VisitSummary",
    "Blob", "SyncChange", "SyncConflict", "SyncCounter", "SyncDevice", "SyncField", "SyncOp",
]
