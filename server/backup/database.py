"""Dump and restore the database: SQLite's online backup API, or pg_dump / pg_restore."""

import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

from sqlalchemy.engine import make_url


class DatabaseToolError(RuntimeError):
    """pg_dump or pg_restore failed."""


def _libpq(url) -> tuple[str, str | None]:
    """Return a libpq URL (no driver suffix, no options) and the schema it searches, if any."""
    text = url.render_as_string(hide_password=False).replace("postgresql+psycopg", "postgresql")
    parts = urlsplit(text)
    options = parse_qs(parts.query).get("options", [""])[0]
    schema = options.split("search_path=", 1)[1].split()[0] if "search_path=" in options else None
    return urlunsplit(parts._replace(query="")), schema


def _count(connection, tables, quote) -> dict:
    """Return {table: rows} read through one connection (one snapshot)."""
    return {name: connection.execute(f"SELECT count(*) FROM {quote(name)}").fetchone()[0]
            for name in tables}


def dump_database(engine, target: Path, tables) -> tuple[str, dict]:
    """Write a consistent snapshot to target; return its format and its row counts.

    The counts are read from the very snapshot that was dumped, so a restore can be
    checked against them even while the instance kept taking writes.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        source, dest = sqlite3.connect(url.database), sqlite3.connect(target)
        with dest:
            source.backup(dest)
        counts = _count(dest, tables, lambda n: f'"{n}"')
        source.close()
        dest.close()
        return "sqlite", counts
    libpq, schema = _libpq(url)
    command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "-f", str(target)]
    command += ["-n", schema] if schema else []
    with engine.connect() as conn:
        raw = conn.execution_options(isolation_level="REPEATABLE READ").connection
        cursor = raw.cursor()
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _count(cursor, tables, lambda n: f'"{n}"')
        _run(command + [f"--snapshot={snapshot}", "-d", libpq])
        raw.rollback()
    return "pg_dump-custom", counts


def restore_database(sqlalchemy_url: str, source: Path, fmt: str) -> None:
    """Load a snapshot into an empty database."""
    url = make_url(str(sqlalchemy_url))
    if fmt == "sqlite":
        if url.get_backend_name() != "sqlite":
            raise DatabaseToolError("this backup holds an SQLite database; DATABASE_URL is not")
        src = sqlite3.connect(source)
        dest = sqlite3.connect(url.database)
        with dest:
            src.backup(dest)
        src.close()
        dest.close()
        return
    if url.get_backend_name() != "postgresql":
        raise DatabaseToolError("this backup holds a PostgreSQL dump; DATABASE_URL is not one")
    libpq, _schema = _libpq(url)
    _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
          "--exit-on-error", "-d", libpq,
          str(source)])


def _run(command: list[str]) -> None:
    """Run a database tool; raise with its message when it fails."""
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise DatabaseToolError(f"{command[0]} failed: {result.stderr.strip()[:500]}")
