"""The scale path of the sync load test (issue 8 §7): Redis, RQ workers and bulk report jobs.

Used by `scripts/load_sync.py --scale-path`. Everything this run puts in Redis carries one
marker (`tekseru-scale-<hex>`): the RQ queue, the rate-limit key prefix, the job ids it
records. Only those keys are removed at the end, so concurrent runs and test suites on the
same Redis keep theirs. (RQ's shared maintenance lock, rq:clean_groups, has a TTL and is
left to expire.) Not imported by the application.
"""

import csv
import io
import signal
import subprocess
import sys
import threading
import time
import uuid
import zipfile
from datetime import datetime
from pathlib import Path

import sync_bench_kit as kit
from redis import Redis

# Bulk selections the ombudsman asks for in turn while the tablets push. The demo visits
# (2026-11-03..12) give visit and facility reports in three languages (rendered once, then
# from the cache); the annual reports cover 2026, whose visits the tablets keep changing, so
# each one is a fresh render.
SELECTIONS = [
    {"date_from": "2026-11-01", "date_to": "2026-11-15", "reports": ["visit", "facility"],
     "languages": ["ru", "kk", "en"]},
    {"date_from": "2026-01-01", "date_to": "2026-12-31", "commissions": ["almaty"],
     "reports": ["annual"], "languages": ["ru", "kk"]},
    {"date_from": "2026-11-01", "date_to": "2026-11-15", "commissions": ["karaganda"],
     "reports": ["annual", "visit", "facility"], "languages": ["en", "ru"]},
]


def _duration(state: dict) -> float | None:
    """Return seconds from a job's request to its ZIP (None if it never finished)."""
    if not state.get("finished_at"):
        return None
    spent = datetime.fromisoformat(state["finished_at"]) - datetime.fromisoformat(
        state["created_at"])
    return round(spent.total_seconds(), 1)


class ScalePath:
    """Two RQ workers and a stream of bulk jobs beside the tablets, all under one marker."""

    def __init__(self, redis_url: str, work: Path):
        self.redis_url, self.work = redis_url, work
        self.marker = f"tekseru-scale-{uuid.uuid4().hex[:10]}"
        self.redis = Redis.from_url(redis_url)
        self.redis.ping()
        self.workers, self.worker_keys = [], set()
        self.jobs, self.errors, self.lock = [], [], threading.Lock()

    def environment(self, env: dict) -> dict:
        """Return the server environment with Redis, this run's queue and a shared report dir."""
        return {**env, "REDIS_URL": self.redis_url, "TEKSERU_REPORTS_QUEUE": self.marker,
                "TEKSERU_REPORTS_DIR": str(self.work / "reports")}

    def app(self) -> str:
        """Return gunicorn's app: rate-limit keys under this run's marker."""
        return f'server:create_app({{"RATELIMIT_KEY_PREFIX": "{self.marker}"}})'

    def start_workers(self, env: dict, count: int) -> None:
        """Start `tekseru report worker` processes on this run's queue."""
        tekseru = str(Path(sys.executable).parent / "tekseru")
        for n in range(count):
            log = (self.work / f"worker-{n}.log").open("wb")
            self.workers.append(subprocess.Popen([tekseru, "report", "worker"], env=env,
                                                 cwd=Path(__file__).parent.parent,
                                                 stdout=log, stderr=subprocess.STDOUT))
        deadline = time.time() + 60
        while time.time() < deadline and len(self._registered()) < count:
            time.sleep(0.3)
        self.worker_keys = self._registered()
        if len(self.worker_keys) < count:
            raise SystemExit(f"RQ workers did not register; see {self.work}/worker-*.log")

    def _registered(self) -> set:
        """Return the Redis keys of the workers listening on this run's queue."""
        return {k.decode() for k in self.redis.smembers(f"rq:workers:{self.marker}")}

    def feed(self, base: str, headers: dict, deadline: float, every: float) -> threading.Thread:
        """Start a thread that asks for a bulk job every few seconds until the deadline."""
        def run():
            http, n = kit.session(), 0
            while time.time() < deadline:
                body = SELECTIONS[n % len(SELECTIONS)]
                response = http.post(f"{base}/api/v1/reports/bulk", json=body, headers=headers)
                with self.lock:
                    if response.status_code == 202:
                        self.jobs.append({"id": response.json()["id"], "selection": body})
                    else:
                        self.errors.append(f"bulk {response.status_code} {response.text[:200]}")
                n += 1
                time.sleep(every)

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread

    def finish(self, base: str, headers: dict, timeout: float) -> dict:
        """Wait for every job, download and check each ZIP; return what was found."""
        http, deadline, checked = kit.session(), time.time() + timeout, []
        for job in self.jobs:
            while True:
                state = http.get(f"{base}/api/v1/reports/bulk/{job['id']}", headers=headers).json()
                if state["status"] in ("done", "failed") or time.time() > deadline:
                    break
                time.sleep(1)
            problems = self._check(http, base, headers, state)
            checked.append({"id": job["id"], "status": state["status"],
                            "reports": state["total"], "problems": problems,
                            "seconds": _duration(state)})
        seconds = [j["seconds"] for j in checked if j["seconds"] is not None]
        return {"jobs": len(checked), "jobs_done": sum(j["status"] == "done" for j in checked),
                "reports_in_zips": sum(j["reports"] for j in checked),
                "jobs_with_problems": [j for j in checked if j["problems"]],
                "job_errors": self.errors,
                "job_seconds_p50": kit.percentile(seconds, 0.5),
                "job_seconds_max": max(seconds, default=0)}

    def _check(self, http, base: str, headers: dict, state: dict) -> list:
        """Return what is wrong with a finished job's ZIP (nothing when all is well)."""
        if state["status"] != "done" or state["done"] != state["total"]:
            return [f"status {state['status']}, {state['done']}/{state['total']}: "
                    f"{state.get('error')}"]
        response = http.get(base + state["download_url"], headers=headers)
        if response.status_code != 200:
            return [f"download {response.status_code}"]
        archive = zipfile.ZipFile(io.BytesIO(response.content))
        problems = [f"corrupt member {archive.testzip()}"] if archive.testzip() else []
        index = list(csv.DictReader(io.StringIO(archive.read("index.csv").decode("utf-8-sig"))))
        pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
        if not len(index) == len(pdfs) == state["total"]:
            problems.append(f"{len(pdfs)} PDFs, {len(index)} index rows, {state['total']} asked")
        problems += [f"{row['file']}: {row['error']}" for row in index if row["error"]]
        problems += [f"{name} is not a PDF" for name in pdfs
                     if not archive.read(name).startswith(b"%PDF-")]
        return problems

    def stop_workers(self) -> list:
        """Stop the workers as systemd would (SIGTERM: warm shutdown); return exit codes."""
        for worker in self.workers:
            worker.send_signal(signal.SIGTERM)
        return [worker.wait(timeout=120) for worker in self.workers]

    def clean(self) -> dict:
        """Remove this run's Redis keys; return how many went and how many are left."""
        markers = [self.marker] + [job["id"] for job in self.jobs]
        keys = {k for m in markers for k in self.redis.scan_iter(f"*{m}*", count=1000)}
        keys |= {k.encode() for k in self.worker_keys if self.redis.exists(k)}
        if keys:
            self.redis.delete(*keys)
        self.redis.srem("rq:queues", f"rq:queue:{self.marker}")
        if self.worker_keys:
            self.redis.srem("rq:workers", *self.worker_keys)
        left = sum(1 for m in markers for _ in self.redis.scan_iter(f"*{m}*", count=1000))
        left += sum(self.redis.exists(k) for k in self.worker_keys)
        left += self.redis.sismember("rq:queues", f"rq:queue:{self.marker}")
        self.redis.close()
        return {"redis_keys_removed": len(keys), "redis_keys_left": left}
