"""Simulated tablets and small helpers for the sync tests."""

import gzip
import io
import json
import time
import uuid
from datetime import UTC, datetime

from PIL import Image

FORM_ID = "detention-visit"
PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"


def now_ms() -> int:
    """Return the wall clock in milliseconds."""
    return int(time.time() * 1000)


class Device:
    """A tablet: numbers its operations and stamps them with its hybrid logical clock."""

    def __init__(self, name: str | None = None, ms: int | None = None):
        self.id = name or f"tab-{uuid.uuid4().hex[:12]}"
        self.seq = 0
        self.ms = ms if ms is not None else now_ms() - 3_600_000
        self.counter = 0

    def stamp(self) -> str:
        """Advance the clock and return a reading."""
        self.counter += 1
        return f"{self.ms}-{self.counter}-{self.id}"

    def op(self, kind: str, visit_id, value=None, **extra) -> dict:
        """Return the next operation."""
        self.seq += 1
        return {"op_id": str(uuid.uuid4()), "seq": self.seq, "type": kind,
                "visit_id": str(visit_id), "value": value, "hlc": self.stamp(), "base": None,
                **extra}

    def upsert(self, visit_id, facility, **value) -> dict:
        """Return a visit.upsert starting a visit at a facility."""
        body = {"facility_id": str(getattr(facility, "id", facility)), "form_id": FORM_ID,
                "started_at": "2026-11-20T09:00:00+05:00", **value}
        return self.op("visit.upsert", visit_id, body)

    def answer(self, visit_id, question_id: str, value, regime=None, base=None) -> dict:
        """Return an answer.set."""
        return self.op("answer.set", visit_id, value, question_id=question_id, regime=regime,
                       base=base)

    def clear(self, visit_id, question_id: str, regime=None, base=None) -> dict:
        """Return an answer.clear."""
        return self.op("answer.clear", visit_id, None, question_id=question_id, regime=regime,
                       base=base)

    def note(self, visit_id, text: str, domain=None, question_id=None) -> dict:
        """Return a note.add."""
        return self.op("note.add", visit_id, {"text": text, "domain": domain},
                       question_id=question_id)

    def photo(self, visit_id, sha256: str, domain=None, question_id=None, caption="") -> dict:
        """Return a photo.attach."""
        return self.op("photo.attach", visit_id,
                       {"sha256": sha256, "domain": domain, "caption": caption},
                       question_id=question_id)

    def submit(self, visit_id) -> dict:
        """Return a visit.submit."""
        return self.op("visit.submit", visit_id)

    def body(self, ops, **extra) -> dict:
        """Return a push body carrying ops."""
        return {"device_id": self.id, "hlc": f"{self.ms}-{self.counter}-{self.id}",
                "schema_version": 2, "ops": list(ops), **extra}


def push(client, headers, device: Device, ops, **extra):
    """Push ops from a device; return the response."""
    return client.post(PUSH, json=device.body(ops, **extra), headers=headers)


def push_ok(client, headers, device: Device, ops, **extra) -> dict:
    """Push ops and return the body, asserting a 200."""
    response = push(client, headers, device, ops, **extra)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def push_gzip(client, headers, body: dict):
    """Push a gzip-encoded body."""
    data = gzip.compress(json.dumps(body).encode())
    return client.post(PUSH, data=data, headers={**headers, "Content-Encoding": "gzip",
                                                 "Content-Type": "application/json"})


def pull_all(client, headers, cursor=0, limit=100, device_id=None) -> tuple[list, int]:
    """Pull every page after a cursor; return the changes and the final cursor."""
    changes = []
    while True:
        query = {"cursor": cursor, "limit": limit}
        if device_id:
            query["device_id"] = device_id
        response = client.get(PULL, query_string=query, headers=headers)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        changes.extend(page["changes"])
        cursor = page["next_cursor"]
        if not page["more"]:
            return changes, cursor


def statuses(body: dict) -> list[str]:
    """Return the status of each result."""
    return [result["status"] for result in body["results"]]


def new_id() -> str:
    """Return a fresh UUID string."""
    return str(uuid.uuid4())


def picture(fmt: str = "JPEG", seed: int = 0, size=(64, 48), gps: bool = True) -> bytes:
    """Return a small picture, with camera and GPS EXIF tags unless told otherwise."""
    image = Image.new("RGB", size, ((seed * 37) % 256, (seed * 91) % 256, 120))
    for x in range(0, size[0], 4):
        image.putpixel((x, (x * 7 + seed) % size[1]), (255, 255, 255))
    out = io.BytesIO()
    options = {}
    if gps:
        exif = Image.Exif()
        exif[0x010F] = "TabletMaker"
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N", (43.0, 15.0, 30.0)
        gps_ifd[3], gps_ifd[4] = "E", (76.0, 57.0, 0.0)
        options["exif"] = exif.tobytes()
    image.save(out, fmt, **options)
    return out.getvalue()


def started(day: int = 20) -> str:
    """Return a visit start time in November 2026."""
    return datetime(2026, 11, day, 9, 0, tzinfo=UTC).isoformat()
