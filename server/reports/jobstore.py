"""Where bulk jobs keep their state: Redis when REDIS_URL is set, else the instance folder.

No database table: a job is a small record (status, counts, who asked, the selection), its
items and its per-item results. On Redis it outlives a web-server restart and is shared by
every worker machine; in the folder it serves the in-process runner and the CLI.
"""

import fcntl
import json
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from redis import Redis

from ..models import utcnow
from .cache import reports_dir, write_atomic

PREFIX = "tekseru:reports:job:"
TTL_SECONDS = 7 * 24 * 3600


class RedisJobs:
    """Jobs as a Redis hash with item and result lists."""

    def __init__(self, url: str):
        self.redis = Redis.from_url(url, decode_responses=True)

    def _key(self, job_id: str, part: str = "") -> str:
        return PREFIX + job_id + (":" + part if part else "")

    def create(self, job_id: str, meta: dict, items: list) -> None:
        """Store a new job and its items."""
        pipe = self.redis.pipeline()
        pipe.hset(self._key(job_id), mapping={k: json.dumps(v) for k, v in meta.items()})
        if items:
            pipe.rpush(self._key(job_id, "items"), *[json.dumps(i) for i in items])
        for part in ("", "items"):
            pipe.expire(self._key(job_id, part), TTL_SECONDS)
        pipe.execute()

    def get(self, job_id: str) -> dict | None:
        """Return a job's record, or None."""
        raw = self.redis.hgetall(self._key(job_id))
        return {k: json.loads(v) for k, v in raw.items()} if raw else None

    def update(self, job_id: str, **fields) -> None:
        """Change fields of a job's record."""
        self.redis.hset(self._key(job_id), mapping={k: json.dumps(v) for k, v in fields.items()})

    def items(self, job_id: str, start: int, stop: int) -> list:
        """Return items [start, stop) of a job."""
        return [json.loads(i) for i in self.redis.lrange(self._key(job_id, "items"), start,
                                                         stop - 1)]

    def advance(self, job_id: str) -> None:
        """Count one more item done, and when."""
        pipe = self.redis.pipeline()
        pipe.hincrby(self._key(job_id), "done", 1)
        pipe.hset(self._key(job_id), "updated_at", json.dumps(utcnow().isoformat()))
        pipe.execute()

    def finish_chunk(self, job_id: str, results: list) -> int:
        """Keep a chunk's results; return how many chunks are finished (atomically)."""
        pipe = self.redis.pipeline()
        if results:
            pipe.rpush(self._key(job_id, "results"), *[json.dumps(r) for r in results])
        pipe.expire(self._key(job_id, "results"), TTL_SECONDS)
        pipe.hincrby(self._key(job_id), "chunks_done", 1)
        return pipe.execute()[-1]

    def results(self, job_id: str) -> list:
        """Return every result of a job."""
        return [json.loads(r) for r in self.redis.lrange(self._key(job_id, "results"), 0, -1)]


class FileJobs:
    """Jobs as JSON files under the reports folder, one writer at a time per job."""

    def __init__(self, folder: Path):
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def _path(self, job_id: str) -> Path:
        return self.folder / f"{job_id}.json"

    @contextmanager
    def _edit(self, job_id: str):
        """Lock a job's file and yield its data; write it back afterwards."""
        with open(self.folder / f"{job_id}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data = json.loads(self._path(job_id).read_text())
            yield data
            write_atomic(self._path(job_id), json.dumps(data).encode())

    def create(self, job_id: str, meta: dict, items: list) -> None:
        """Store a new job and its items."""
        data = {"meta": meta, "items": items, "results": []}
        write_atomic(self._path(job_id), json.dumps(data).encode())

    def get(self, job_id: str) -> dict | None:
        """Return a job's record, or None."""
        path = self._path(job_id)
        return json.loads(path.read_text())["meta"] if path.is_file() else None

    def update(self, job_id: str, **fields) -> None:
        """Change fields of a job's record."""
        with self._edit(job_id) as data:
            data["meta"].update(fields)

    def items(self, job_id: str, start: int, stop: int) -> list:
        """Return items [start, stop) of a job."""
        return json.loads(self._path(job_id).read_text())["items"][start:stop]

    def advance(self, job_id: str) -> None:
        """Count one more item done, and when."""
        with self._edit(job_id) as data:
            data["meta"]["done"] += 1
            data["meta"]["updated_at"] = utcnow().isoformat()

    def finish_chunk(self, job_id: str, results: list) -> int:
        """Keep a chunk's results; return how many chunks are finished."""
        with self._edit(job_id) as data:
            data["results"].extend(results)
            data["meta"]["chunks_done"] += 1
            return data["meta"]["chunks_done"]

    def results(self, job_id: str) -> list:
        """Return every result of a job."""
        return json.loads(self._path(job_id).read_text())["results"]


def job_store():
    """Return the store of the configured backend."""
    url = current_app.config.get("REDIS_URL")
    return RedisJobs(url) if url else FileJobs(reports_dir() / "jobs")
