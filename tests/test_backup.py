"""Backup and restore: a populated instance round-trips, every row and every photo."""

import hashlib
import io
import os
import tarfile
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select, text

from server import create_app
from server.extensions import db
from server.models import Blob, PhotoLink, Visit
from server.sync.storage import blob_store


def _populate(demo):
    """Add a visit with a stored photo to the demo data."""
    member = demo.user("inspector.almaty")
    visit = Visit(id=uuid.uuid4(), facility_id=demo.facility("almaty-sizo").id,
                  started_at=datetime.now(UTC), created_by_id=member.id)
    db.session.add(visit)
    db.session.flush()
    data = os.urandom(2048)
    sha = hashlib.sha256(data).hexdigest()
    blob_store().put(sha, data)
    db.session.add(Blob(sha256=sha, size=len(data), content_type="image/jpeg",
                        stored_sha256=sha, stored_size=len(data), width=1, height=1))
    db.session.add(PhotoLink(id=uuid.uuid4(), visit_id=visit.id, sha256=sha,
                             author_id=member.id, device_id="dev"))
    db.session.commit()
    return sha, data


def _snapshot() -> dict:
    """Return every row of every table, in primary-key order, as plain tuples."""
    result = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).all()
        result[table.name] = [tuple(str(v) for v in row) for row in rows]
    return result


@pytest.fixture
def empty_target(database_url, tmp_path):
    """Return (config) of a brand-new empty instance on the same kind of database."""
    if database_url.startswith("sqlite"):
        yield {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "restored.sqlite3")}
        return
    base = database_url.split("?")[0]
    name = f"tekseru_restore_{os.getpid()}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = base.rsplit("/", 1)[0] + "/" + name + "?" + database_url.split("?")[1]
    fresh = create_engine(target.split("?")[0])
    with fresh.begin() as conn:
        schema = database_url.split("search_path%3D")[1]
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    fresh.dispose()
    yield {"SQLALCHEMY_DATABASE_URI": target}
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_round_trip_restores_every_row_and_photo(app, demo, runner, tmp_path, empty_target):
    sha, data = _populate(demo)
    before = _snapshot()
    archive = tmp_path / "backup.tar.gz"
    result = runner.invoke(args=["backup", str(archive)])
    assert result.exit_code == 0, result.output
    target = create_app({**app.config, **empty_target, "BLOB_DIR": str(tmp_path / "blobs2")})
    with target.app_context():
        restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert _snapshot() == before
        assert blob_store().read(sha) == data
        db.session.remove()
        db.engine.dispose()


def test_restore_refuses_a_populated_instance(app, demo, runner, tmp_path):
    archive = tmp_path / "b.tar.gz"
    assert runner.invoke(args=["backup", str(archive)]).exit_code == 0
    result = runner.invoke(args=["restore", str(archive)])
    assert result.exit_code != 0 and "not empty" in result.output


def test_tampered_archive_is_refused(app, demo, runner, tmp_path):
    _populate(demo)
    archive = tmp_path / "b.tar.gz"
    runner.invoke(args=["backup", str(archive)])
    with tarfile.open(archive) as tar:
        members = [(m, tar.extractfile(m).read()) for m in tar.getmembers()]
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for member, payload in members:
            if member.name.startswith("blobs/"):
                payload = b"x" + payload[1:]
            tar.addfile(member, io.BytesIO(payload))
    result = runner.invoke(args=["restore", "--verify-only", str(forged)])
    assert result.exit_code != 0 and "does not match" in result.output
    ok = runner.invoke(args=["restore", "--verify-only", str(archive)])
    assert ok.exit_code == 0
