"""Shared pieces of the sync benchmark and load test: a throwaway app, a 300-question form,
a counting HTTP session and simulated tablets. Not imported by the application."""

import gzip
import io
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import yaml
from PIL import Image
from sqlalchemy import create_engine, text

TEXT = {"ru": "Вопрос", "kk": "Сұрақ", "en": "Question"}
BENCH_FORM = "bench-visit"


def _question(n: int) -> dict:
    """Return question n of the benchmark form: booleans, integers and decimals."""
    qid = f"bench.q{n:03d}"
    if n % 3 == 0:
        return {"id": qid, "type": "boolean", "label": TEXT}
    kind, unit = ("integer", "per_day") if n % 3 == 1 else ("decimal", "l/day")
    return {"id": qid, "type": kind, "unit": unit, "label": TEXT,
            "constraint": {"min": 0, "max": 1000, "message": TEXT}}


def write_bench_form(forms_dir: Path, questions: int = 300) -> list[str]:
    """Write a form of N questions (one domain) next to the real ones; return the ids."""
    doc = {"id": BENCH_FORM, "version": "1", "effective_date": "2026-01-01", "title": TEXT,
           "domains": [{"id": "bench", "label": TEXT, "notes": True, "photos": True,
                        "questions": [_question(n) for n in range(questions)]}]}
    (forms_dir / f"{BENCH_FORM}.yaml").write_text(yaml.safe_dump(doc, allow_unicode=True))
    return [_question(n)["id"] for n in range(questions)]


def answer_for(question_id: str, rng: random.Random):
    """Return a valid random answer to a benchmark question."""
    n = int(question_id[-3:])
    if n % 3 == 0:
        return rng.random() < 0.5
    return rng.randint(0, 999) if n % 3 == 1 else round(rng.uniform(0, 999), 1)


def pg_schema_url(base: str, schema: str) -> str:
    """Empty a PostgreSQL schema and return a URL whose search_path is it."""
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    separator = "&" if "?" in base else "?"
    return f"{base}{separator}options=-csearch_path%3D{schema}"


def drop_schema(base: str, schema: str) -> None:
    """Drop a PostgreSQL schema and everything in it."""
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def make_workdir(repo: Path) -> Path:
    """Return a temporary folder with forms/ (the real forms and the benchmark form)."""
    work = Path(tempfile.mkdtemp(prefix="tekseru-sync-bench-"))
    shutil.copytree(repo / "forms", work / "forms")
    return work


def prepare_database(url: str, work: Path, visits: bool = False) -> None:
    """Migrate a database and load the demo accounts and facilities (and visits if asked)."""
    from flask_migrate import upgrade

    from server import create_app
    from server.demo import load_demo
    from server.extensions import db

    os.environ["TEKSERU_INSTANCE_PATH"] = str(work / "instance")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "FORMS_DIR": str(work / "forms"),
                      "BLOB_DIR": str(work / "blobs"), "LOG_LEVEL": "WARNING"})
    with app.app_context():
        upgrade()
        load_demo(visits=visits)
        db.session.commit()
        db.engine.dispose()


def photo_bytes(target: int = 200 * 1024, seed: int = 1) -> bytes:
    """Return a JPEG of about `target` bytes (noise compresses badly, like a real photo)."""
    rng = random.Random(seed)
    side = 420
    while True:
        image = Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3))
        out = io.BytesIO()
        image.save(out, "JPEG", quality=60)
        if out.tell() >= target * 0.95:
            return out.getvalue()
        side += 20


class Counter:
    """Requests and bytes (request line, headers and body) sent and received."""

    def __init__(self):
        self.requests, self.up, self.down, self.lock = 0, 0, 0, threading.Lock()

    def hook(self, response, *args, **kwargs):
        """Count one exchange (a requests response hook)."""
        request = response.request
        head = len(f"{request.method} {request.path_url} HTTP/1.1\r\n") + sum(
            len(k) + len(v) + 4 for k, v in request.headers.items()) + 2
        body = len(request.body or b"")
        down = 17 + sum(len(k) + len(v) + 4 for k, v in response.headers.items()) + 2 + int(
            response.headers.get("Content-Length") or len(response.content))
        with self.lock:
            self.requests += 1
            self.up += head + body
            self.down += down

    def snapshot(self) -> tuple:
        """Return (requests, bytes up, bytes down) so far."""
        return self.requests, self.up, self.down


def session(counter: Counter | None = None) -> requests.Session:
    """Return an HTTP session, counting what it sends when given a counter."""
    http = requests.Session()
    if counter is not None:
        http.hooks["response"].append(counter.hook)
    return http


def sign_in(http, base: str, username: str) -> dict:
    """Return Authorization headers for a demo account."""
    response = http.post(f"{base}/api/v1/auth/token",
                         json={"username": username, "password": "tekseru-demo"})
    response.raise_for_status()
    return {"Authorization": "Bearer " + response.json()["token"]}


class Tablet:
    """A simulated tablet: numbered operations stamped by its clock."""

    def __init__(self, rng: random.Random):
        self.id, self.seq, self.counter, self.rng = f"bench-{uuid.uuid4().hex[:12]}", 0, 0, rng
        self.cursor = 0

    def op(self, kind: str, visit_id: str, value=None, **extra) -> dict:
        """Return the next operation."""
        self.seq += 1
        self.counter += 1
        hlc = f"{int(time.time() * 1000) - 60_000}-{self.counter}-{self.id}"
        return {"op_id": str(uuid.uuid4()), "seq": self.seq, "type": kind, "visit_id": visit_id,
                "value": value, "hlc": hlc, "base": None, **extra}

    def upsert(self, visit_id: str, facility_id: str, form_id: str = BENCH_FORM) -> dict:
        """Return a visit.upsert."""
        return self.op("visit.upsert", visit_id, {"facility_id": facility_id, "form_id": form_id,
                                                  "started_at": "2026-11-20T09:00:00+05:00"})

    def body(self, ops: list) -> dict:
        """Return a push body."""
        return {"device_id": self.id, "hlc": ops[-1]["hlc"] if ops else f"0-0-{self.id}",
                "seq_from": ops[0]["seq"] if ops else None, "schema_version": 2, "ops": ops}


def push(http, base: str, headers: dict, body: dict, compress: bool = True):
    """Send a push, gzip-encoded when asked; return the response."""
    data = json.dumps(body, separators=(",", ":")).encode()
    extra = {"Content-Type": "application/json"}
    if compress:
        data, extra["Content-Encoding"] = gzip.compress(data, 6), "gzip"
    return http.post(f"{base}/api/v1/sync/push", data=data, headers={**headers, **extra})


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(url: str, work: Path) -> dict:
    """Return the environment a server process's app is configured from."""
    return {**os.environ, "DATABASE_URL": url, "TEKSERU_INSTANCE_PATH": str(work / "instance"),
            "TEKSERU_FORMS_DIR": str(work / "forms"), "TEKSERU_BLOB_DIR": str(work / "blobs"),
            "TEKSERU_LOGIN_RATE_LIMIT": "1000 per minute", "TEKSERU_ENV": "development"}


def start_gunicorn(env: dict, port: int, workers: int, log: Path,
                   app: str = "server:create_app()") -> subprocess.Popen:
    """Start gunicorn on loopback and wait until it answers /healthz (at most 60 s)."""
    repo = Path(__file__).resolve().parent.parent
    command = [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind",
               f"127.0.0.1:{port}", "--timeout", "60", app]
    process = subprocess.Popen(command, cwd=repo, env=env, stdout=log.open("wb"),
                               stderr=subprocess.STDOUT)
    http, deadline = session(), time.time() + 60
    while time.time() < deadline:
        try:
            if http.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log}")


def process_tree(pid: int) -> list[int]:
    """Return a process and its children (gunicorn's master and workers)."""
    found = [pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user + system) the processes have used so far."""
    ticks, total = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / ticks


def load_average() -> str:
    """Return the 1-minute load average."""
    return f"{os.getloadavg()[0]:.1f}"


def machine() -> dict:
    """Return what a benchmark result should name: kernel, CPU model, cores, load averages."""
    cpuinfo = Path("/proc/cpuinfo").read_text()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo.splitlines()
                  if line.startswith("model name")), "unknown")
    return {"uname": " ".join(os.uname()), "cpu": model, "cores": os.cpu_count(),
            "load_average": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def percentile(values: list, fraction: float) -> float:
    """Return the value below which a fraction of the sorted values lie (nearest rank)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
