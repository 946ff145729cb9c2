"""Bulk jobs: start one, run its chunks (on RQ workers or a thread), build the ZIP at the end."""

import logging
import math
import threading
import uuid

from flask import current_app, has_app_context
from redis import Redis
from rq import Queue

from ..audit import append_event
from ..extensions import db
from ..models import User, utcnow
from .bulk import plan_items, render_item, write_zip
from .jobstore import job_store

log = logging.getLogger("tekseru.reports")
QUEUE = "tekseru-reports"
CHUNK = 5
_worker_app = None


def start_bulk(user, selection, run: bool = True) -> str:
    """Plan a bulk job for a user's selection, store it and hand it to a runner."""
    items = plan_items(user, selection)
    job_id = uuid.uuid4().hex
    chunks = max(math.ceil(len(items) / CHUNK), 1)
    backend = "rq" if current_app.config.get("REDIS_URL") else "thread"
    now = utcnow().isoformat()
    job_store().create(job_id, {
        "id": job_id, "user_id": str(user.id), "status": "queued", "backend": backend,
        "total": len(items), "done": 0, "chunks": chunks, "chunks_done": 0,
        "selection": selection.to_dict(), "created_at": now, "updated_at": now,
        "finished_at": None,
        "zip_name": None, "error": None}, items)
    append_event("report_bulk_started", actor=user, target_type="report_job", target_id=job_id,
                 data={"selection": selection.to_dict(), "total": len(items)})
    if run:
        dispatch(job_id, chunks, backend)
    return job_id


def queue_name() -> str:
    """Return the RQ queue of report chunks (REPORTS_QUEUE, else tekseru-reports)."""
    return current_app.config.get("REPORTS_QUEUE") or QUEUE


def dispatch(job_id: str, chunks: int, backend: str) -> None:
    """Queue a job's chunks on RQ, or run them in a background thread."""
    if backend == "rq":
        queue = Queue(queue_name(), connection=Redis.from_url(current_app.config["REDIS_URL"]))
        for index in range(chunks):
            queue.enqueue(run_chunk, job_id, index, job_id=f"tekseru-report-{job_id}-{index}",
                          job_timeout=3600, result_ttl=3600, failure_ttl=7 * 24 * 3600,
                          description=f"report job {job_id} #{index}")
        return
    app = current_app._get_current_object()
    threading.Thread(target=run_all, args=(app, job_id, chunks), daemon=True,
                     name=f"report-job-{job_id[:8]}").start()


def run_all(app, job_id: str, chunks: int, progress=None) -> None:
    """Run every chunk of a job in this thread (the in-process backend and the CLI)."""
    with app.app_context():
        try:
            for index in range(chunks):
                _run_chunk(job_id, index, progress)
        finally:
            db.session.remove()


def _app():
    """Return the app of the current context, or one built from the environment (RQ)."""
    global _worker_app
    if has_app_context():
        return current_app._get_current_object()
    if _worker_app is None:
        from .. import create_app

        _worker_app = create_app()
    return _worker_app


def run_chunk(job_id: str, index: int) -> int:
    """Render one chunk of a job (the RQ task); return how many items it rendered."""
    with _app().app_context():
        try:
            return _run_chunk(job_id, index)
        finally:
            db.session.remove()


def _run_chunk(job_id: str, index: int, progress=None) -> int:
    """Render a chunk's items; the last chunk to finish writes the ZIP."""
    store = job_store()
    job = store.get(job_id)
    if job is None or job["status"] == "failed":
        return 0
    try:
        store.update(job_id, status="running")
        user = db.session.get(User, uuid.UUID(job["user_id"]))
        start = index * CHUNK
        results = []
        for offset, item in enumerate(store.items(job_id, start, start + CHUNK)):
            results.append(render_item(user, item, start + offset))
            db.session.rollback()
            store.advance(job_id)
            if progress:
                progress(1)
        if store.finish_chunk(job_id, results) == job["chunks"]:
            name = write_zip(job_id, store.results(job_id))
            store.update(job_id, status="done", zip_name=name, finished_at=utcnow().isoformat())
        return len(results)
    except Exception as exc:
        log.exception("report job %s failed", job_id)
        store.update(job_id, status="failed", error=f"{type(exc).__name__}: {exc}"[:300])
        raise
