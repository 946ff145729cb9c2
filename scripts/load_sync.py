"""Sync load test (issue 4): simulated tablets push and pull against gunicorn with several
workers on PostgreSQL, on loopback, for a bounded time; then checks that nothing was lost or
doubled.

    .venv/bin/python scripts/load_sync.py --database postgresql://postgres@127.0.0.1:5432/test

Works in a schema of its own (tekseru_load_sync_<random>), dropped at the end. Passes
when no request failed, the op log holds exactly the operations sent, the change log has no
gap, no tablet saw a change twice, and a full pull shows each account every change in scope.

The scale path (issue 8 §7): the same test with 2 gunicorn workers and 2 RQ workers on
PostgreSQL and Redis, while an ombudsman asks for bulk report ZIPs that the workers render:

    .venv/bin/python scripts/load_sync.py --database postgresql://… --scale-path \
        --redis redis://127.0.0.1:6379/13

It uses its own schema (tekseru_load_scale_<random>), an RQ queue and rate-limit key prefix
of its own (scripts/scale_kit.py), and passes only if, besides the above, every job finished, every
ZIP opens with one PDF per report, and none of the run's Redis keys is left.
"""

import argparse
import json
import os
import random
import shutil
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import scale_kit  # noqa: E402
import sync_bench_kit as kit  # noqa: E402

USERS = [("inspector.almaty", "almaty"), ("inspector2.almaty", "almaty"),
         ("chair.almaty", "almaty"), ("inspector.karaganda", "karaganda"),
         ("inspector2.karaganda", "karaganda"), ("chair.karaganda", "karaganda")]
SCHEMA = "tekseru_load_sync"
SCALE_SCHEMA = "tekseru_load_scale"


class Results:
    """What every tablet thread reports, under a lock."""

    def __init__(self):
        self.lock, self.statuses, self.errors = threading.Lock(), Counter(), []
        self.ops_sent = self.requests = self.pulled = 0
        self.repeats, self.push_ms = 0, []

    def add(self, **counts) -> None:
        """Add counts from one request."""
        with self.lock:
            for name, value in counts.items():
                if name == "statuses":
                    self.statuses.update(value)
                elif name == "push_ms":
                    self.push_ms.append(value)
                elif name == "error":
                    self.errors.append(value)
                else:
                    setattr(self, name, getattr(self, name) + value)


class LoadTablet:
    """One simulated tablet: edits visits of its commission, pushes, pulls."""

    def __init__(self, base, headers, facility, shared_visit, questions, seed, results):
        self.base, self.headers, self.facility = base, headers, facility
        self.shared, self.questions, self.results = shared_visit, questions, results
        self.rng = random.Random(seed)
        self.tablet, self.http = kit.Tablet(self.rng), kit.session()
        self.visit, self.seen = None, set()

    def batch(self) -> list:
        """Return the next batch: answers (often on the shared visit), a note, a new visit."""
        ops = []
        if self.visit is None or self.rng.random() < 0.05:
            self.visit = str(uuid.uuid4())
            ops.append(self.tablet.upsert(self.visit, self.facility))
        for _ in range(self.rng.randint(1, 30)):
            visit = self.shared if self.rng.random() < 0.3 else self.visit
            question = self.rng.choice(self.questions[:60])
            ops.append(self.tablet.op("answer.set", visit, kit.answer_for(question, self.rng),
                                      question_id=question))
        if self.rng.random() < 0.2:
            ops.append(self.tablet.op("note.add", self.visit, {"text": "нагрузка"}))
        return ops

    def push(self) -> None:
        """Push one batch and record its outcome."""
        ops = self.batch()
        started = time.perf_counter()
        response = kit.push(self.http, self.base, self.headers, self.tablet.body(ops))
        if response.status_code != 200:
            self.results.add(error=f"push {response.status_code} {response.text[:200]}")
            return
        self.results.add(ops_sent=len(ops), requests=1,
                         push_ms=(time.perf_counter() - started) * 1000, statuses=Counter(
            r["status"] for r in response.json()["results"]))

    def pull(self) -> None:
        """Pull to the head, checking that no change comes twice."""
        while True:
            response = self.http.get(f"{self.base}/api/v1/sync/pull", headers=self.headers,
                                     params={"cursor": self.tablet.cursor, "limit": 500})
            if response.status_code != 200:
                self.results.add(error=f"pull {response.status_code} {response.text[:200]}")
                return
            page = response.json()
            seqs = [c["seq"] for c in page["changes"]]
            repeats = len(self.seen.intersection(seqs)) + len(seqs) - len(set(seqs))
            self.seen.update(seqs)
            self.tablet.cursor = page["next_cursor"]
            self.results.add(requests=1, pulled=len(seqs), repeats=repeats)
            if not page["more"]:
                return

    def run(self, deadline: float) -> None:
        """Push and pull until the deadline."""
        n = 0
        while time.time() < deadline:
            try:
                self.push()
                if n % 3 == 2:
                    self.pull()
            except OSError as exc:
                self.results.add(error=f"network: {exc}")
            n += 1
            time.sleep(self.rng.uniform(0, 0.1))


def shared_visits(base, tokens, facilities) -> dict:
    """Start one visit per commission that every tablet of the commission edits."""
    shared = {}
    for username, slug in USERS[:: 3]:
        tablet, visit = kit.Tablet(random.Random(0)), str(uuid.uuid4())
        body = tablet.body([tablet.upsert(visit, facilities[slug])])
        assert kit.push(kit.session(), base, tokens[username], body).status_code == 200
        shared[slug] = visit
    return shared


def check_database(url: str, results: Results, extra_ops: int) -> dict:
    """Count rows and look for gaps after the run."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        one = lambda sql: conn.execute(text(sql)).scalar()  # noqa: E731
        found = {"op_rows": one("SELECT count(*) FROM sync_op"),
                 "change_rows": one("SELECT count(*) FROM sync_change"),
                 "max_change_seq": one("SELECT coalesce(max(seq), 0) FROM sync_change"),
                 "counter": one("SELECT coalesce(max(value), 0) FROM sync_counter"),
                 "conflicts": one("SELECT count(*) FROM sync_conflict"),
                 "visits": one("SELECT count(*) FROM visit")}
    engine.dispose()
    found["ops_sent"] = results.ops_sent + extra_ops
    return found


def full_pulls(base: str, tokens: dict, url: str) -> dict:
    """Pull everything from 0 as each account; compare with the changes in its scope."""
    from sqlalchemy import create_engine, text

    engine, mismatches = create_engine(url), {}
    for username, slug in USERS:
        tablet, http, pulled = kit.Tablet(random.Random(1)), kit.session(), 0
        while True:
            page = http.get(f"{base}/api/v1/sync/pull", headers=tokens[username],
                            params={"cursor": tablet.cursor, "limit": 1000}).json()
            pulled += len(page["changes"])
            tablet.cursor = page["next_cursor"]
            if not page["more"]:
                break
        with engine.connect() as conn:
            expected = conn.execute(text(
                "SELECT count(*) FROM sync_change c JOIN visit v ON v.id = c.visit_id "
                "JOIN facility f ON f.id = v.facility_id JOIN commission m "
                "ON m.id = f.commission_id WHERE m.slug = :slug"), {"slug": slug}).scalar()
        if pulled != expected:
            mismatches[username] = (pulled, expected)
    engine.dispose()
    return mismatches


def run_tablets(base, tokens, facilities, questions, devices, seconds) -> tuple:
    """Run the tablets until the deadline; return the results and the setup op count."""
    shared = shared_visits(base, tokens, facilities)
    results, deadline = Results(), time.time() + seconds
    threads = []
    for i in range(devices):
        username, slug = USERS[i % len(USERS)]
        tablet = LoadTablet(base, tokens[username], facilities[slug], shared[slug], questions,
                            i, results)
        threads.append(threading.Thread(target=tablet.run, args=(deadline,), daemon=True))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(1, deadline - time.time()) + 60)
    return results, len(shared)


def main() -> None:
    """Run the load test and print what it found."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql://… (loopback)")
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--scale-path", action="store_true",
                        help="2 gunicorn workers with Redis, 2 RQ workers, bulk report jobs")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/13",
                        help="Redis of the scale path (only this run's keys are touched)")
    parser.add_argument("--job-every", type=float, default=10,
                        help="seconds between two bulk jobs on the scale path")
    args = parser.parse_args()
    if args.scale_path:
        args.workers = 2
    work = kit.make_workdir(REPO)
    questions = kit.write_bench_form(work / "forms")
    # A schema of this run's own, so concurrent runs on one PostgreSQL never meet.
    schema = f"{SCALE_SCHEMA if args.scale_path else SCHEMA}_{uuid.uuid4().hex[:8]}"
    url = kit.pg_schema_url(args.database, schema)
    kit.prepare_database(url, work, visits=args.scale_path)
    env, app, scale = kit.environment(url, work), "server:create_app()", None
    if args.scale_path:
        scale = scale_kit.ScalePath(args.redis, work)
        env, app = scale.environment(env), scale.app()
    port = kit.free_port()
    machine = kit.machine()
    server = kit.start_gunicorn(env, port, args.workers, work / "gunicorn.log", app)
    try:
        if scale:
            scale.start_workers(env, 2)
        summary = exercise(f"http://127.0.0.1:{port}", url, questions, args, scale,
                           kit.process_tree(server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
        if scale:
            exits = scale.stop_workers()
    if scale:
        summary.update(worker_exit_codes=exits, **scale.clean())
        summary["passed"] = summary["passed"] and summary["redis_keys_left"] == 0 and not any(
            exits)
    kit.drop_schema(args.database, schema)
    summary["machine"] = {**machine, "load_average_after": kit.machine()["load_average"]}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    if not summary["passed"]:
        raise SystemExit(f"failed; logs in {work}")
    shutil.rmtree(work, ignore_errors=True)


def count_ops(url: str) -> int:
    """Return the rows of the op log (the demo visits' operations, before the run)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        found = conn.execute(text("SELECT count(*) FROM sync_op")).scalar()
    engine.dispose()
    return found


def sample_load(stop: threading.Event, found: list) -> None:
    """Note the 1-minute load average every 5 s until stopped."""
    while not stop.wait(5):
        found.append(os.getloadavg()[0])


def exercise(base, url, questions, args, scale=None, web_pids=()) -> dict:
    """Sign in, run the tablets (and bulk jobs), check the database; return the summary."""
    from server.demo import demo_id

    http = kit.session()
    tokens = {username: kit.sign_in(http, base, username) for username, _ in USERS}
    facilities = {slug: str(demo_id(f"facility:{slug}-sizo")) for slug in ("almaty", "karaganda")}
    before = count_ops(url)
    rq_pids = [w.pid for w in scale.workers] if scale else []
    cpu = (kit.cpu_seconds(web_pids), kit.cpu_seconds(rq_pids))
    stop, loads = threading.Event(), [os.getloadavg()[0]]
    threading.Thread(target=sample_load, args=(stop, loads), daemon=True).start()
    started = time.time()
    if scale:
        ombudsman = kit.sign_in(http, base, "ombudsman")
        feeder = scale.feed(base, ombudsman, started + args.seconds, args.job_every)
    results, setup_ops = run_tablets(base, tokens, facilities, questions, args.devices,
                                     args.seconds)
    elapsed = time.time() - started
    usage = {"cpu_s_available": round(elapsed * os.cpu_count()),
             "cpu_s_web": round(kit.cpu_seconds(web_pids) - cpu[0]),
             "cpu_s_rq_workers": round(kit.cpu_seconds(rq_pids) - cpu[1])}
    stop.set()
    usage["load_average_during"] = f"{min(loads):.1f}–{max(loads):.1f}"
    jobs = {}
    if scale:
        feeder.join()
        jobs = scale.finish(base, ombudsman, timeout=900)
        usage["cpu_s_rq_workers_to_last_job"] = round(kit.cpu_seconds(rq_pids) - cpu[1])
    rows = check_database(url, results, setup_ops + before)
    mismatches = full_pulls(base, tokens, url)
    passed = (not results.errors and rows["op_rows"] == rows["ops_sent"]
              and rows["change_rows"] == rows["max_change_seq"] == rows["counter"]
              and results.repeats == 0 and not mismatches
              and results.statuses["duplicate"] == 0)
    if scale:
        passed = passed and jobs["jobs"] > 0 and jobs["jobs_done"] == jobs["jobs"] and not (
            jobs["jobs_with_problems"] or jobs["job_errors"])
    latency = {"push_p50_ms": round(kit.percentile(results.push_ms, 0.5)),
               "push_p99_ms": round(kit.percentile(results.push_ms, 0.99)),
               "push_max_ms": round(max(results.push_ms, default=0))}
    return {"devices": args.devices, "workers": args.workers, "seconds": round(elapsed, 1),
            "requests": results.requests, "ops_per_s": round(results.ops_sent / elapsed),
            **latency, **usage, "errors": len(results.errors), "first_errors": results.errors[:5],
            "statuses": dict(results.statuses), "changes_pulled": results.pulled,
            "changes_seen_twice": results.repeats, "full_pull_mismatches": mismatches,
            **rows, **jobs, "passed": passed}


if __name__ == "__main__":
    main()
