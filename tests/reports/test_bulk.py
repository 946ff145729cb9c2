"""Bulk: a ZIP of every matching report with a CSV index, on RQ with Redis and in-process."""

import csv
import io
import os
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from report_factory import make_facilities, make_visit, when

from server import create_app
from server.extensions import db

REDIS_URL = "redis://127.0.0.1:6379/14"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def many_visits(demo):
    """Give 21 new Almaty facilities one 2026 visit each (plus the demo's, unvisited)."""
    facilities = make_facilities(demo.commission("almaty"), 21)
    author = demo.user("inspector.almaty")
    visits = [make_visit(f, author, when(2026, 1 + i % 12, 5), quality=0.9)
              for i, f in enumerate(facilities)]
    db.session.commit()
    return visits


@pytest.fixture
def redis_db(app):
    """Point the app at Redis database 14 and a queue of its own; remove its keys after.

    Only this test's keys go (its queue's and its jobs'), so a concurrent run of the suite
    on the same Redis keeps its own.
    """
    from redis import Redis

    connection = Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except Exception:  # noqa: BLE001
        pytest.skip("Redis is not running at 127.0.0.1:6379")
    queue = f"tekseru-reports-test-{uuid.uuid4().hex[:12]}"
    app.config.update(REDIS_URL=REDIS_URL, REPORTS_QUEUE=queue)
    jobs = []
    yield SimpleNamespace(connection=connection, queue=queue, jobs=jobs)
    for marker in [queue, *jobs]:
        for key in connection.scan_iter(f"*{marker}*"):
            connection.delete(key)
    connection.close()


SELECTION = {"date_from": "2026-01-01", "date_to": "2026-12-31", "commissions": ["almaty"],
             "reports": ["visit"], "languages": ["ru"]}


def wait_done(client, headers, job_id, timeout=150) -> dict:
    """Poll the job until it ends; return its last state."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/api/v1/reports/bulk/{job_id}", headers=headers).json
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def read_zip(client, headers, job) -> zipfile.ZipFile:
    """Download a job's ZIP."""
    response = client.get(job["download_url"], headers=headers)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    data = response.data
    response.close()
    return zipfile.ZipFile(io.BytesIO(data))


def check_zip(archive: zipfile.ZipFile, visits) -> list[dict]:
    """Check the ZIP holds one valid PDF per visit and an index naming each; return the index."""
    index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert len(pdfs) == len(visits) == len(index)
    assert sorted(row["file"] for row in index) == sorted(pdfs)
    assert all(archive.read(name).startswith(b"%PDF-") for name in pdfs)
    assert {row["facility_id"] for row in index} == {str(v.facility_id) for v in visits}
    assert all(row["error"] == "" and row["approved"] == "no" for row in index)
    return index


def test_bulk_in_process(client, login, many_visits):
    headers = login("ombudsman")
    started = client.post("/api/v1/reports/bulk", json=SELECTION, headers=headers)
    assert started.status_code == 202, started.json
    assert started.json["backend"] == "thread" and started.json["total"] == 21
    job = wait_done(client, headers, started.json["id"])
    assert job["status"] == "done" and job["done"] == 21
    check_zip(read_zip(client, headers, job), many_visits)
    page = client.get(started.json["progress_url"], headers=headers)
    assert "21 из 21" in page.text
    assert '<progress max="21" value="21"' in page.text


def worker_env(app) -> dict:
    """Return the environment of a worker process sharing the test's database and folders."""
    return {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "REDIS_URL": REDIS_URL, "TEKSERU_REPORTS_DIR": app.config["REPORTS_DIR"],
            "TEKSERU_BLOB_DIR": app.config["BLOB_DIR"], "PYTHONPATH": str(ROOT)}


def test_bulk_on_redis_with_an_rq_worker_survives_a_restart(app, client, login, many_visits,
                                                             redis_db):
    headers = login("ombudsman")
    started = client.post("/api/v1/reports/bulk", json=SELECTION, headers=headers)
    assert started.status_code == 202 and started.json["backend"] == "rq"
    redis_db.jobs.append(started.json["id"])
    assert redis_db.connection.llen(f"rq:queue:{redis_db.queue}") == 5  # 21 items, chunks of 5
    # A new web process (after a restart) still knows the queued job.
    restarted = create_app({**app.config, "REPORTS_DIR": app.config["REPORTS_DIR"]})
    with restarted.test_client() as other:
        job = other.get(f"/api/v1/reports/bulk/{started.json['id']}", headers=headers).json
        assert job["status"] == "queued" and job["total"] == 21
    with restarted.app_context():
        db.engine.dispose()
    command = [str(Path(sys.executable).parent / "rq"), "worker", "--burst", "--url", REDIS_URL,
               "--worker-class", "rq.worker.SimpleWorker", redis_db.queue]
    workers = [subprocess.Popen(command, cwd=ROOT, env=worker_env(app), text=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for _ in range(2)]  # two workers share the chunks
    for worker in workers:
        _out, errors = worker.communicate(timeout=240)
        assert worker.returncode == 0, errors[-3000:]
    job = wait_done(client, headers, started.json["id"], timeout=10)
    assert job["status"] == "done", job
    check_zip(read_zip(client, headers, job), many_visits)


def test_bulk_pages_and_scope(client, login, demo, many_visits):
    client.post("/login", data={"username": "chair.karaganda", "password": demo.password})
    assert client.get("/reports/bulk").status_code == 200
    bad = client.post("/reports/bulk", data={"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 422
    hidden = client.post("/reports/bulk", data={**SELECTION, "date_to": "2026-12-31"})
    assert hidden.status_code == 404  # another commission: not visible
    mine = client.post("/reports/bulk", data={"date_from": "2026-01-01",
                                              "date_to": "2026-12-31"})
    assert mine.status_code == 302
    job_id = mine.location.rsplit("/", 1)[1]
    other = login("ombudsman")
    assert client.get(f"/api/v1/reports/bulk/{job_id}", headers=other).status_code == 404
    job = wait_done(client, login("chair.karaganda"), job_id)
    assert job["total"] == 0 and job["status"] == "done"


def test_a_job_without_progress_for_ten_minutes_is_marked_stalled(client, login, demo):
    from datetime import date, timedelta

    from server.models import utcnow
    from server.reports.bulk import Selection
    from server.reports.jobs import start_bulk
    from server.reports.jobstore import job_store

    job_id = start_bulk(demo.user("ombudsman"), Selection(date(2026, 1, 1), date(2026, 2, 1)),
                        run=False)  # as if the server died before running it
    db.session.commit()
    headers = login("ombudsman")
    assert client.get(f"/api/v1/reports/bulk/{job_id}", headers=headers).json["stalled"] is False
    job_store().update(job_id, updated_at=(utcnow() - timedelta(minutes=11)).isoformat())
    job = client.get(f"/api/v1/reports/bulk/{job_id}", headers=headers).json
    assert job["stalled"] is True and job["status"] == "queued"
    page = client.get(f"/reports/bulk/{job_id}", headers=headers)
    assert "No progress for 10 minutes" in page.text or "Нет продвижения" in page.text
