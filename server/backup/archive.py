"""Write and read backup archives: db snapshot, blobs and manifest.json in one .tar.gz."""

import hashlib
import io
import json
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, inspect, select

from ..extensions import db
from ..models import Blob
from ..sync.storage import blob_store
from .database import DatabaseToolError, dump_database, restore_database

FORMAT_VERSION = 1


class BackupError(RuntimeError):
    """A backup cannot be made, verified or restored; the message says why."""


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def row_counts() -> dict:
    """Return the number of rows of every table."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    """Add bytes to the archive under a name."""
    info = tarfile.TarInfo(name)
    info.size, info.mtime = len(data), int(datetime.now(UTC).timestamp())
    tar.addfile(info, io.BytesIO(data))


def create_backup(path) -> dict:
    """Write a backup archive to path; return its manifest."""
    path = Path(path)
    files = {}
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "w:gz") as tar:
        dump = Path(tmp) / "database"
        tables = [t.name for t in db.metadata.sorted_tables]
        try:
            fmt, counts = dump_database(db.engine, dump, tables)
        except DatabaseToolError as exc:
            raise BackupError(str(exc)) from exc
        data = dump.read_bytes()
        _add(tar, "database", data)
        files["database"] = {"sha256": _sha256(data), "size": len(data)}
        store = blob_store()
        for sha in db.session.execute(select(Blob.sha256).order_by(Blob.sha256)).scalars():
            blob = store.read(sha) if store.exists(sha) else None
            if blob is None:
                raise BackupError(f"blob {sha} is in the database but not in the blob store")
            _add(tar, f"blobs/{sha}", blob)
            files[f"blobs/{sha}"] = {"sha256": _sha256(blob), "size": len(blob)}
        manifest = {"format": FORMAT_VERSION, "created_at": datetime.now(UTC).isoformat(),
                    "database_format": fmt, "row_counts": counts, "files": files}
        _add(tar, "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
    db.session.rollback()  # release the read transaction
    return manifest


def _read_archive(path) -> tuple[dict, dict]:
    """Return (manifest, {name: bytes}) of an archive, checking every file's hash."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"cannot read {path}: {exc}") from exc
    if "manifest.json" not in members:
        raise BackupError("no manifest.json: not a Tekseru backup")
    manifest = json.loads(members.pop("manifest.json"))
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for name, meta in manifest["files"].items():
        if name not in members:
            raise BackupError(f"{name} is listed in the manifest but missing")
        if _sha256(members[name]) != meta["sha256"]:
            raise BackupError(f"{name} does not match its hash in the manifest")
    return manifest, members


def verify_backup(path) -> dict:
    """Check an archive's files against its manifest; return the manifest."""
    return _read_archive(path)[0]


def _instance_is_empty() -> bool:
    """Tell whether the configured database has no Tekseru tables with rows."""
    names = set(inspect(db.session.connection()).get_table_names())
    return not any(t.name in names and db.session.scalar(select(func.count()).select_from(t))
                   for t in db.metadata.sorted_tables)


def restore_backup(path) -> dict:
    """Restore an archive into an empty instance; return the manifest."""
    manifest, members = _read_archive(path)
    if not _instance_is_empty():
        raise BackupError("the target database is not empty; restore only into a new instance")
    db.session.remove()
    db.engine.dispose()
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "database"
        dump.write_bytes(members["database"])
        try:
            restore_database(current_app.config["SQLALCHEMY_DATABASE_URI"], dump,
                             manifest["database_format"])
        except DatabaseToolError as exc:
            raise BackupError(str(exc)) from exc
    store = blob_store()
    for name, data in members.items():
        if name.startswith("blobs/"):
            store.put(name.split("/", 1)[1], data)
    if row_counts() != manifest["row_counts"]:
        raise BackupError("row counts after restore differ from the manifest")
    return manifest
