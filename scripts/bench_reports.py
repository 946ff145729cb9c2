"""Report benchmarks (issue 7): visit report cold and cached, the national annual report for
300 facilities, and a bulk ZIP of 100 visit reports with 1 and 2 RQ workers.

    .venv/bin/python scripts/bench_reports.py            # SQLite in a temp folder, Redis db 15

Bulk runs need Redis at 127.0.0.1:6379 (database 15 is emptied before and after). Results go
to stdout as Markdown (docs/benchmarks.md, "Reports").
"""

import argparse
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "reports"))
REDIS_URL = "redis://127.0.0.1:6379/15"


def build_app(work: Path):
    """Return the app on a fresh SQLite database with the demo accounts."""
    os.environ["TEKSERU_INSTANCE_PATH"] = str(work / "instance")
    from server import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{work / 'bench.sqlite3'}",
                      "BLOB_DIR": str(work / "blobs"), "REPORTS_DIR": str(work / "reports"),
                      "LOG_LEVEL": "WARNING", "LOGIN_RATE_LIMIT": "1000 per minute"})
    with app.app_context():
        from flask_migrate import upgrade

        from server.demo import load_demo
        from server.extensions import db

        upgrade()
        load_demo(visits=False)
        db.session.commit()
    return app


def seed(app, facilities: int) -> None:
    """Create facilities over both demo commissions, each visited in 2025 and in 2026."""
    from report_factory import make_facilities, make_visit, when

    from server.extensions import db
    from server.models import Commission, User

    with app.app_context():
        rng = random.Random(7)
        author = db.session.execute(db.select(User).filter_by(username="inspector.almaty"))
        author = author.scalar_one()
        commissions = db.session.execute(db.select(Commission)).scalars().all()
        kinds = ("sizo", "ivs", "colony_medium", "colony_maximum", "colony_full", "juvenile")
        for index, commission in enumerate(commissions):
            count = facilities // len(commissions) + (index < facilities % len(commissions))
            for n, facility in enumerate(make_facilities(commission, count, kinds)):
                make_visit(facility, author, when(2025, 1 + n % 12, 3), rng, rng.uniform(.5, .95))
                make_visit(facility, author, when(2026, 1 + n % 11, 9), rng, rng.uniform(.5, .95))
            db.session.commit()


def page_count(data: bytes) -> int:
    """Return the number of pages of a PDF."""
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def token(client, username="ombudsman") -> dict:
    """Return the Authorization header of a demo account."""
    response = client.post("/api/v1/auth/token", json={"username": username,
                                                       "password": "tekseru-demo"})
    return {"Authorization": "Bearer " + response.json["token"]}


def visit_ids(app, count: int) -> list[str]:
    """Return the ids of some 2026 visits."""
    from report_factory import when

    from server.extensions import db
    from server.models import Visit

    with app.app_context():
        rows = db.session.execute(db.select(Visit.id).where(Visit.started_at >= when(2026, 1, 1))
                                  .order_by(Visit.id).limit(count)).scalars()
        return [str(v) for v in rows]


def bench_visit(app, runs: int) -> dict:
    """Time cold renders of distinct visits, then cached answers (200 hit, 304)."""
    client = app.test_client()
    headers = token(client)
    cold, cpu, pages = [], [], 0
    for visit_id in visit_ids(app, runs):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(f"/reports/visits/{visit_id}.pdf?lang=ru", headers=headers)
        cold.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
        assert response.headers["X-Report-Cache"] == "miss"
        pages = max(pages, page_count(response.data))
    url = f"/reports/visits/{visit_id}.pdf?lang=ru"
    etag = response.headers["ETag"]
    hit, not_modified = [], []
    for _ in range(50):
        started = time.perf_counter()
        assert client.get(url, headers=headers).headers["X-Report-Cache"] == "hit"
        hit.append(time.perf_counter() - started)
        started = time.perf_counter()
        assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
        not_modified.append(time.perf_counter() - started)
    return {"cold": cold, "cpu": cpu, "hit": hit, "304": not_modified,
            "bytes": len(response.data), "pages": pages}


def bench_annual(app) -> dict:
    """Time the national annual report (cold, then cached)."""
    client = app.test_client()
    headers = token(client)
    started, used = time.perf_counter(), time.process_time()
    response = client.get("/reports/annual/2026.pdf?lang=ru", headers=headers)
    cold, cpu = time.perf_counter() - started, time.process_time() - used
    started = time.perf_counter()
    client.get("/reports/annual/2026.pdf?lang=ru", headers=headers)
    return {"cold": cold, "cpu": cpu, "cached": time.perf_counter() - started,
            "bytes": len(response.data),
            "pages": page_count(response.data)}


def bench_bulk(app, work: Path, workers: int, kinds: list) -> tuple[float, int]:
    """Time a cold bulk ZIP of the 2026 visit reports of some kinds on RQ with N workers."""
    from redis import Redis

    from server.extensions import db
    from server.models import User
    from server.reports.bulk import Selection
    from server.reports.jobs import start_bulk
    from server.reports.jobstore import job_store

    redis = Redis.from_url(REDIS_URL)
    redis.flushdb()
    reports = work / f"bulk-{workers}"
    app.config.update(REDIS_URL=REDIS_URL, REPORTS_DIR=str(reports))
    env = {**os.environ, "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "REDIS_URL": REDIS_URL, "TEKSERU_REPORTS_DIR": str(reports),
           "TEKSERU_BLOB_DIR": app.config["BLOB_DIR"], "PYTHONPATH": str(REPO)}
    with app.app_context():
        user = db.session.execute(db.select(User).filter_by(username="ombudsman")).scalar_one()
        started = time.perf_counter()
        job_id = start_bulk(user, Selection(date(2026, 1, 1), date(2026, 12, 31), kinds=kinds))
        db.session.commit()
        procs = [subprocess.Popen([str(Path(sys.executable).parent / "tekseru"), "report",
                                   "worker", "--burst"], cwd=REPO, env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(workers)]
        for proc in procs:
            proc.wait()
        elapsed = time.perf_counter() - started
        job = job_store().get(job_id)
        assert job["status"] == "done", job
    redis.flushdb()
    app.config.update(REDIS_URL=None, REPORTS_DIR=str(work / "reports"))
    return elapsed, job["total"]


def main() -> None:
    """Run every benchmark and print Markdown."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--facilities", type=int, default=300)
    parser.add_argument("--visit-runs", type=int, default=10)
    parser.add_argument("--bulk-kinds", nargs="+", default=["sizo", "ivs"],
                        help="facility kinds whose 2026 visits the bulk job renders "
                             "(two of six kinds: 100 visits with 300 facilities)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tekseru-bench-reports-") as folder:
        work = Path(folder)
        app = build_app(work)
        seed(app, args.facilities)
        visit = bench_visit(app, args.visit_runs)
        annual = bench_annual(app)
        bulk = {n: bench_bulk(app, work, n, args.bulk_kinds) for n in (1, 2)}
    ms = lambda values: f"{statistics.median(values) * 1000:.0f} ms"  # noqa: E731
    print(f"| visit report, cold render (median of {len(visit['cold'])} visits) | "
          f"{ms(visit['cold'])} wall, {ms(visit['cpu'])} CPU (max {max(visit['cold']) * 1000:.0f}"
          f" ms; up to {visit['pages']} pages, {visit['bytes'] // 1024} KB) |")
    print(f"| visit report, cached: 200 from the cache / 304 (median of 50) | "
          f"{ms(visit['hit'])} / {ms(visit['304'])} |")
    print(f"| annual national report, {args.facilities} facilities, cold | "
          f"{annual['cold']:.1f} s wall, {annual['cpu']:.1f} s CPU ({annual['pages']} pages, "
          f"{annual['bytes'] // 1024} KB); "
          f"cached {annual['cached'] * 1000:.0f} ms |")
    for workers, (seconds, total) in bulk.items():
        print(f"| bulk ZIP of {total} visit reports, {workers} worker(s) | {seconds:.1f} s "
              f"({total / seconds:.1f} reports/s) |")


if __name__ == "__main__":
    main()
