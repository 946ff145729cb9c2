"""Sync benchmarks (issue 4): requests and bytes per scenario, ops ingested per second,
and p50/p99 of a full-visit push, over HTTP on loopback.

    .venv/bin/python scripts/bench_sync.py                      # SQLite in a temp folder
    .venv/bin/python scripts/bench_sync.py --database postgresql://postgres@127.0.0.1:5432/test

The server runs in gunicorn (2 workers) in its own process; the client pushes one batch at
a time. With PostgreSQL the script works in its own schema (tekseru_bench_sync), emptied
first.
Scenarios: (a) a new visit of 300 answers and one 200 KB photo, (b) a one-field edit,
(c) an idle sync. Results go to stdout as Markdown (docs/benchmarks.md, "Sync").
"""

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from hashlib import sha256
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import sync_bench_kit as kit  # noqa: E402

FACILITY = "almaty-sizo"


def prepare(database: str | None, work: Path) -> str:
    """Make a fresh database with demo accounts; return its URL."""
    url = kit.pg_schema_url(database, "tekseru_bench_sync") if database else \
        f"sqlite:///{work / 'bench.sqlite3'}"
    kit.prepare_database(url, work)
    return url


def facility_id() -> str:
    """Return the id of the demo facility the benchmark visits."""
    from server.demo import demo_id

    return str(demo_id("facility:" + FACILITY))


def full_visit(tablet: kit.Tablet, questions, rng, photo_sha=None) -> tuple[str, list]:
    """Return a new visit's id and its ops: upsert, an answer per question, maybe a photo."""
    visit_id = str(uuid.uuid4())
    ops = [tablet.upsert(visit_id, facility_id())]
    ops += [tablet.op("answer.set", visit_id, kit.answer_for(q, rng), question_id=q)
            for q in questions]
    if photo_sha:
        ops.append(tablet.op("photo.attach", visit_id, {"sha256": photo_sha, "domain": "bench"}))
    return visit_id, ops


def measure(counter: kit.Counter, action) -> dict:
    """Run an action and return the requests and bytes it cost."""
    before = counter.snapshot()
    result = action()
    after = counter.snapshot()
    return {"requests": after[0] - before[0], "up": after[1] - before[1],
            "down": after[2] - before[2], "result": result}


def new_visit(http, base, headers, tablet, questions, rng, photo) -> str:
    """Push a new visit of 300 answers with a photo, then upload what the server misses."""
    sha = sha256(photo).hexdigest()
    visit_id, ops = full_visit(tablet, questions, rng, sha)
    response = kit.push(http, base, headers, tablet.body(ops))
    assert response.status_code == 200, response.text
    for missing in response.json()["missing_blobs"]:
        put = http.put(f"{base}/api/v1/blobs/{missing}", data=photo,
                       headers={**headers, "Content-Type": "image/jpeg"})
        assert put.status_code == 201, put.text
    return visit_id


def one_field_edit(http, base, headers, tablet, visit_id, question) -> None:
    """Push one changed answer (small: sent without gzip)."""
    body = tablet.body([tablet.op("answer.set", visit_id, 1, question_id=question)])
    response = kit.push(http, base, headers, body, compress=False)
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "applied"


def pull_to_head(http, base, headers, tablet) -> int:
    """Pull every page after the tablet's cursor; return the number of requests made."""
    pages = 0
    while True:
        response = http.get(f"{base}/api/v1/sync/pull", headers=headers,
                            params={"cursor": tablet.cursor, "limit": 1000,
                                    "device_id": tablet.id})
        pages += 1
        page = response.json()
        tablet.cursor = page["next_cursor"]
        if not page["more"]:
            return pages


def scenarios(base: str, questions) -> dict:
    """Measure (a), (b) and (c) with a counting session."""
    counter, rng = kit.Counter(), random.Random(4)
    http, tablet, photo = kit.session(counter), kit.Tablet(rng), kit.photo_bytes()
    headers = kit.sign_in(http, base, "inspector.almaty")
    a = measure(counter, lambda: new_visit(http, base, headers, tablet, questions, rng, photo))
    b = measure(counter, lambda: one_field_edit(http, base, headers, tablet, a["result"],
                                                questions[7]))
    pull_to_head(http, base, headers, tablet)
    c = measure(counter, lambda: pull_to_head(http, base, headers, tablet))
    return {"photo_bytes": len(photo), "a": a, "b": b, "c": c}


def push_visits(base: str, questions, visits: int, username: str, seed: int) -> list:
    """Push full visits one after another as one tablet; return each push's milliseconds."""
    rng, http = random.Random(seed), kit.session()
    headers = kit.sign_in(http, base, username)
    tablet, latencies = kit.Tablet(rng), []
    for _ in range(visits):
        _, ops = full_visit(tablet, questions, rng)
        t0 = time.perf_counter()
        response = kit.push(http, base, headers, tablet.body(ops))
        latencies.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == 200, response.text
    return latencies


def throughput(base: str, questions, visits: int, clients: int, server_pid: int) -> dict:
    """Push full visits from several tablets at once; return ops/s, CPU and latencies."""
    users = ["inspector2.almaty", "chair.almaty", "inspector.karaganda", "chair.karaganda"]
    pids, load = kit.process_tree(server_pid), kit.load_average()
    cpu_before, started = kit.cpu_seconds(pids), time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        runs = list(pool.map(lambda n: push_visits(base, questions, visits, users[n], n),
                             range(clients)))
    elapsed, cpu = time.perf_counter() - started, kit.cpu_seconds(pids) - cpu_before
    latencies = sorted(ms for run in runs for ms in run)
    slowest = latencies[-1]
    ops = clients * visits * (len(questions) + 1)
    return {"clients": clients, "ops": ops, "seconds": elapsed, "ops_per_s": ops / elapsed,
            "ops_per_cpu_s": ops / cpu, "cpu_ms_per_push": cpu / (clients * visits) * 1000,
            "load_average": load, "p50_ms": statistics.median(latencies),
            "p99_ms": latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "max_ms": slowest}


def warm_up(base: str, questions, workers: int) -> None:
    """Push a few visits at once so every gunicorn worker has loaded the checklist and the
    standards (a worker's first push reads them from disk); these pushes are not measured."""
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda n: push_visits(base, questions, 2, "inspector.almaty", 100 + n),
                      range(2 * workers)))


def report(database: str, found: dict, latency: dict, speed: dict) -> str:
    """Return the results as Markdown rows."""
    row = "| {} | {} | {:,} B | {:,} B |"
    lines = [f"Database: {database}; photo {found['photo_bytes']:,} bytes.", "",
             "| scenario | requests | bytes up | bytes down |", "| --- | --- | --- | --- |"]
    for key, name in (("a", "new visit, 300 answers + photo"), ("b", "one-field edit"),
                      ("c", "idle sync")):
        lines.append(row.format(name, found[key]["requests"], found[key]["up"],
                                found[key]["down"]))
    for run in (latency, speed):
        lines += ["", f"{run['clients']} tablet(s) pushing full visits (301 ops each): "
                  f"{run['ops']:,} ops in {run['seconds']:.1f} s = **{run['ops_per_s']:,.0f} "
                  f"ops/s** (load average {run['load_average']}); the server processes used "
                  f"{run['cpu_ms_per_push']:.0f} ms CPU a push, "
                  f"**{run['ops_per_cpu_s']:,.0f} ops per CPU-second**; push p50 "
                  f"**{run['p50_ms']:.0f} ms**, p99 **{run['p99_ms']:.0f} ms** "
                  f"(slowest {run['max_ms']:.0f} ms)."]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="postgresql://… (default: SQLite in a temp folder)")
    parser.add_argument("--visits", type=int, default=200,
                        help="full visits per tablet (p99 of 200 pushes is the 3rd slowest)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=2, help="tablets pushing at once")
    parser.add_argument("--json", action="store_true", help="print JSON instead of Markdown")
    args = parser.parse_args()
    work = kit.make_workdir(REPO)
    questions = kit.write_bench_form(work / "forms")
    url, port = prepare(args.database, work), kit.free_port()
    server = kit.start_gunicorn(kit.environment(url, work), port, args.workers,
                                work / "gunicorn.log")
    try:
        base = f"http://127.0.0.1:{port}"
        found = scenarios(base, questions)
        warm_up(base, questions, args.workers)
        latency = throughput(base, questions, args.visits, 1, server.pid)
        speed = throughput(base, questions, args.visits, args.clients, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    name = "PostgreSQL" if args.database else "SQLite"
    if args.json:
        print(json.dumps({"database": name, "scenarios": {k: {x: y for x, y in v.items()
                          if x != "result"} if isinstance(v, dict) else v
                          for k, v in found.items()}, "one_tablet": latency,
                          "ingest": speed}, indent=2))
    else:
        print(report(name, found, latency, speed))


if __name__ == "__main__":
    main()
