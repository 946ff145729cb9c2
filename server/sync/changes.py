"""The change log: a gap-free change seq in commit order, and pull pages over it.

Change numbers come from one counter row, locked (SELECT … FOR UPDATE) by the transaction
that numbers its changes, just before it commits. The next transaction cannot read the
counter until that one has committed, so seq order is commit order and a reader that sees
change n has every change below n visible too: paging by seq skips nothing.
Lock order for any writer: device row, visit rows, audit head, and this counter last.
"""

from dataclasses import dataclass, field

from sqlalchemy import select

from ..errors import APIError
from ..extensions import db
from ..models import SyncChange, SyncCounter, utcnow
from ..scope import change_visible, scoped
from .dbutil import bulk_insert, insert_ignore

COUNTER_ID = 1


@dataclass
class PendingChange:
    """A change made in this transaction, numbered when the transaction records its changes."""

    visit_id: object
    entity: str
    key: str
    data: dict
    hlc: str | None = None
    op_id: object = None
    device_id: str | None = None
    author_id: object = None
    clocks: list = field(default_factory=list)  # SyncField rows to stamp with the seq


def current_head() -> int:
    """Return the last committed change seq (no lock)."""
    value = db.session.execute(
        select(SyncCounter.value).where(SyncCounter.id == COUNTER_ID)).scalar()
    return value or 0


def _locked_counter() -> SyncCounter:
    """Return the counter row, locked until the transaction ends."""
    query = (select(SyncCounter).where(SyncCounter.id == COUNTER_ID).with_for_update()
             .execution_options(populate_existing=True))
    counter = db.session.execute(query).scalar_one_or_none()
    if counter is None:
        insert_ignore(SyncCounter, {"id": COUNTER_ID, "value": 0})
        counter = db.session.execute(query).scalar_one()
    return counter


def record_changes(pending: list[PendingChange]) -> int:
    """Number and store the changes of this transaction (flushing it); return the new head."""
    if not pending:
        db.session.flush()
        return current_head()
    with db.session.no_autoflush:  # clocks get their seq before they are written
        counter = _locked_counter()
        first, now, rows = counter.value + 1, utcnow(), []
        for seq, change in enumerate(pending, start=first):
            for clock in change.clocks:
                clock.change_seq = seq
            rows.append({"seq": seq, "visit_id": change.visit_id, "entity": change.entity,
                         "key": change.key, "data": change.data, "hlc": change.hlc,
                         "op_id": change.op_id, "device_id": change.device_id,
                         "author_id": change.author_id, "created_at": now})
        counter.value = first + len(rows) - 1
    db.session.flush()
    bulk_insert(SyncChange, rows)
    return counter.value


def change_to_dict(row: SyncChange, device_id: str | None) -> dict:
    """Return a change as pull sends it."""
    return {
        "seq": row.seq, "entity": row.entity, "visit_id": str(row.visit_id), "key": row.key,
        "data": row.data, "hlc": row.hlc, "op_id": str(row.op_id) if row.op_id else None,
        "device_id": row.device_id,
        "author_id": str(row.author_id) if row.author_id else None,
        "own": device_id is not None and row.device_id == device_id,
        "at": row.created_at.isoformat(),
    }


def pull_changes(user, cursor: int, limit: int, device_id: str | None = None) -> dict:
    """Return the changes after a cursor that the user may see, one page."""
    head = current_head()
    if cursor > head:
        raise APIError(409, "cursor_ahead",
                       "This cursor is ahead of the server; pull again from cursor 0.",
                       {"cursor": [f"the server's change seq is {head}"]})
    rows = db.session.execute(
        scoped(user, SyncChange).where(SyncChange.seq > cursor, SyncChange.seq <= head)
        .order_by(SyncChange.seq).limit(limit + 1)).scalars().all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "changes": [change_to_dict(row, device_id) for row in rows
                    if change_visible(user, row)],
        "next_cursor": rows[-1].seq if more else head,
        "more": more,
        "server_time": utcnow(),
    }
