"""Small database helpers the sync code shares: dialect-aware inserts and row locks."""

import hashlib

from sqlalchemy import JSON, func, insert, select
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
    """Insert many rows at once, bypassing the ORM.

    PostgreSQL: COPY (psycopg's executemany would send a statement per row, and a giant
    multi-row INSERT costs more to compile than it saves). SQLite: one executemany.
    """
    if not rows:
        return
    table = model.__table__
    if is_postgres():
        _copy(table, rows)
    else:
        db.session.execute(insert(table), rows)


def _copy(table, rows: list) -> None:
    """COPY rows into a table on the session's own connection (same transaction)."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    names = list(rows[0])
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table.name), sql.SQL(", ").join(map(sql.Identifier, names)))
    raw = db.session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([Jsonb(row[n]) if n in as_json else row[n] for n in names])
