"""The change log: a gap-free change seq in commit order, and pull pages over it.

Change numbers come from one counter row, locked (SELECT … FOR UPDATE) by the transaction
that numbers its changes, just before it commits. The next transaction cannot read the
counter until that one has committed, so seq order is commit order and a reader that sees
change n has every change below n visible too: paging by seq skips nothing.
Lock order for any writer: device row, visit rows, audit head, and this counter last.
"""

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select

from ..errors import APIError
from ..extensions import db
from ..models import SyncChange, SyncCounter, User, utcnow
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


CONFLICT_SIDES = ("winner", "loser")


def _author_ids(row: SyncChange) -> set[str]:
    """Return the author ids a change names: its own and, for a conflict, both sides'."""
    ids = {str(row.author_id)} if row.author_id else set()
    if row.entity == "conflict":
        ids |= {side["author_id"] for side in (row.data.get(name) for name in CONFLICT_SIDES)
                if side and side.get("author_id")}
    return ids


def author_names(rows) -> dict[str, str]:
    """Return {author id: display name} for every author the changes name, in one query."""
    ids = set().union(*(_author_ids(row) for row in rows))
    keys = [uuid.UUID(text) for text in ids]
    if not keys:
        return {}
    found = db.session.execute(select(User.id, User.full_name, User.username)
                               .where(User.id.in_(keys)))
    return {str(user_id): full_name or username for user_id, full_name, username in found}


def _named_data(row: SyncChange, names: dict) -> dict:
    """Return a change's data; a conflict's sides get author_name next to author_id."""
    if row.entity != "conflict":
        return row.data
    data = dict(row.data)
    for name in CONFLICT_SIDES:
        if data.get(name):
            data[name] = {**data[name], "author_name": names.get(data[name].get("author_id"))}
    return data


def change_to_dict(row: SyncChange, device_id: str | None, names: dict | None = None) -> dict:
    """Return a change as pull sends it; names ({author id: name}) fill in author_name."""
    names = names or {}
    author_id = str(row.author_id) if row.author_id else None
    return {
        "seq": row.seq, "entity": row.entity, "visit_id": str(row.visit_id), "key": row.key,
        "data": _named_data(row, names), "hlc": row.hlc,
        "op_id": str(row.op_id) if row.op_id else None, "device_id": row.device_id,
        "author_id": author_id, "author_name": names.get(author_id),
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
    visible = [row for row in rows[:limit] if change_visible(user, row)]
    names = author_names(visible)
    return {
        "changes": [change_to_dict(row, device_id, names) for row in visible],
        "next_cursor": rows[limit - 1].seq if more else head,
        "more": more,
        "server_time": utcnow(),
    }
