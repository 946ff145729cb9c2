"""The state one push works on: who pushes, the locked visits, their clocks, what changed."""

import uuid
from dataclasses import dataclass
from dataclasses import field as dataclass_field

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..catalogue import form_of
from ..extensions import db
from ..models import Answer, Facility, SyncField, Visit, utcnow
from ..scope import writable
from .changes import PendingChange
from .dbutil import bulk_insert, lock_names
from .hlc import parse_hlc


@dataclass
class Outcome:
    """What became of one operation."""

    status: str  # applied | conflict | rejected
    reason: str | None = None
    conflict_id: uuid.UUID | None = None
    errors: dict | None = None


APPLIED = Outcome("applied")


@dataclass(slots=True)
class FreshClock:
    """A field clock new in this push (plain data: inserted in bulk, never via the ORM)."""

    visit_id: uuid.UUID
    field: str
    hlc: str | None = None
    change_seq: int | None = None
    device_id: str | None = None
    author_id: uuid.UUID | None = None
    op_id: uuid.UUID | None = None
    peers: list = dataclass_field(default_factory=list)


@dataclass(slots=True)
class FreshAnswer:
    """An answer row new in this push (plain data: inserted in bulk, never via the ORM)."""

    id: uuid.UUID
    visit_id: uuid.UUID
    question_id: str
    regime: str
    value: object = None
    hlc: str | None = None
    author_id: uuid.UUID | None = None
    device_id: str | None = None
    updated_at: object = None


def _row(obj) -> dict:
    """Return a fresh row's columns."""
    return {name: getattr(obj, name) for name in obj.__slots__}


def rejected(reason: str, errors: dict | None = None) -> Outcome:
    """Return a rejection with a stable reason code."""
    return Outcome("rejected", reason, errors=errors)


class PushContext:
    """Visits locked for this push, their field clocks and answers, and pending changes."""

    def __init__(self, user, device_id: str, now=None, review: bool = False):
        self.user, self.device_id = user, device_id
        self.review = review  # the chair's own operations (server/review)
        self.now = now or utcnow()
        self.server_ms = int(self.now.timestamp() * 1000)
        self.visits: dict = {}
        self.hidden: set = set()
        self.clocks: dict = {}
        self.answers: dict = {}
        self.forms: dict = {}
        self.loaded: set = set()
        self.changes: list[PendingChange] = []
        self.blob_refs: set = set()
        self.op: dict = {}
        self.fields: dict = {}
        self.hlc = None
        self.fresh_clocks: set = set()  # keys of rows new in this push, inserted in bulk
        self.fresh_answers: set = set()

    def lock_visits(self, ids) -> None:
        """Lock the batch's visits in id order; remember those the user may not change."""
        ids = sorted(set(ids))
        if not ids:
            return
        lock_names(f"visit:{visit_id}" for visit_id in ids)
        rows = db.session.execute(
            writable(self.user, Visit).where(Visit.id.in_(ids)).order_by(Visit.id)
            .options(contains_eager(Visit.facility)).with_for_update(of=Visit)
            .execution_options(populate_existing=True)).scalars().all()
        self.visits = {visit.id: visit for visit in rows}
        missing = [visit_id for visit_id in ids if visit_id not in self.visits]
        if missing:
            self.hidden = set(db.session.execute(
                select(Visit.id).where(Visit.id.in_(missing))).scalars())

    def locked(self, visit: Visit) -> bool:
        """Tell whether a visit refuses this push's operations (visit_locked).

        Tablets write drafts only; the chair's review operations also reach a submitted
        visit. An approved visit refuses everyone, in commit order, whatever the clock.
        """
        return visit.status != "draft" and not (self.review and visit.status == "submitted")

    def start(self, op: dict) -> None:
        """Make an operation the current one, its fields not checked yet."""
        self.op, self.fields, self.hlc = op, {}, None

    def checked(self, fields: dict) -> None:
        """Record the current operation's checked fields (its clock, base and visit)."""
        self.fields, self.hlc = fields, parse_hlc(fields["hlc"])

    def add_visit(self, visit: Visit) -> None:
        """Register a visit created by this push."""
        self.visits[visit.id] = visit
        self.loaded.add(visit.id)

    def form(self, visit: Visit):
        """Return the loaded form of a visit (cached for the push)."""
        if visit.id not in self.forms:
            self.forms[visit.id] = form_of(visit)
        return self.forms[visit.id]

    def _load(self, visit_id) -> None:
        """Load a visit's field clocks and answers once."""
        if visit_id in self.loaded:
            return
        self.loaded.add(visit_id)
        for clock in db.session.execute(
                select(SyncField).where(SyncField.visit_id == visit_id)).scalars():
            self.clocks[(visit_id, clock.field)] = clock
        for answer in db.session.execute(
                select(Answer).where(Answer.visit_id == visit_id)).scalars():
            self.answers[(visit_id, answer.question_id, answer.regime)] = answer

    def clock(self, visit_id, field: str) -> SyncField | None:
        """Return a field's clock, or None if it was never written."""
        self._load(visit_id)
        return self.clocks.get((visit_id, field))

    def answer(self, visit_id, question_id: str, regime: str) -> Answer | None:
        """Return the current answer row, or None."""
        self._load(visit_id)
        return self.answers.get((visit_id, question_id, regime))

    def stamp_clock(self, visit_id, field: str) -> SyncField:
        """Record that the current operation wrote a field; return its clock row."""
        clock = self.clock(visit_id, field)
        if clock is None:
            clock = FreshClock(visit_id, field)
            self.clocks[(visit_id, field)] = clock
            self.fresh_clocks.add((visit_id, field))
        clock.hlc, clock.device_id = self.fields["hlc"], self.device_id
        clock.author_id, clock.op_id, clock.change_seq = self.user.id, self.op["op_id"], None
        return clock

    def insert_fresh(self) -> None:
        """Insert the answers and clocks new in this push, in bulk (after change seqs)."""
        clocks = [self.clocks[key] for key in self.fresh_clocks]
        answers = [self.answers[key] for key in self.fresh_answers]
        bulk_insert(SyncField, [_row(c) for c in clocks])
        bulk_insert(Answer, [_row(a) for a in answers])

    def change(self, visit_id, entity: str, key: str, data: dict, clocks=()) -> None:
        """Queue a change made by the current operation."""
        self.changes.append(PendingChange(
            visit_id=visit_id, entity=entity, key=key, data=data, hlc=self.fields.get("hlc"),
            op_id=self.op.get("op_id"), device_id=self.device_id, author_id=self.user.id,
            clocks=list(clocks)))


def writable_facility(user, facility_id) -> Facility | None:
    """Return a facility where the user may start visits, or None."""
    return db.session.execute(
        writable(user, Facility).where(Facility.id == facility_id)).scalar_one_or_none()
