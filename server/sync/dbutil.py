"""Small database helpers the sync code shares: dialect-aware inserts and row locks."""

import hashlib

from sqlalchemy import func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db


def is_postgres() -> bool:
    """Tell whether the session talks to PostgreSQL."""
    return db.session.get_bind().dialect.name == "postgresql"


def insert_ignore(model, values: dict) -> None:
    """Insert a row unless one with the same key exists (never an IntegrityError)."""
    dialect = postgresql if is_postgres() else sqlite
    statement = dialect.insert(model).values(**values).on_conflict_do_nothing()
    db.session.execute(statement)


def advisory_key(text: str) -> int:
    """Return a signed 64-bit key for a PostgreSQL advisory lock on a name."""
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def lock_names(names) -> None:
    """Take transaction-scoped advisory locks on names, in sorted order (PostgreSQL only).

    SQLite needs none: every transaction there begins with BEGIN IMMEDIATE, a global lock.
    """
    if not is_postgres():
        return
    for key in sorted({advisory_key(name) for name in names}):
        db.session.execute(select(func.pg_advisory_xact_lock(key)))


def bulk_insert(model, rows: list) -> None:
    """Insert many rows with one executemany of the table-level INSERT (no ORM overhead)."""
    if rows:
        db.session.execute(insert(model.__table__), rows)
