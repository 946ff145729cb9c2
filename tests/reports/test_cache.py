"""The cache: a repeat costs no rendering and answers 304; a change through sync re-renders."""

import hashlib
import io
import re
import time
import uuid

import pytest
from conftest import pdf_reader, pdf_text
from PIL import Image

PUSH = "/api/v1/sync/push"


class Tablet:
    """Just enough of a tablet to push operations."""

    def __init__(self):
        self.id, self.seq, self.ms = f"tab-{uuid.uuid4().hex[:10]}", 0, int(time.time() * 1000)

    def op(self, kind, visit_id, value=None, **extra) -> dict:
        """Return the next operation."""
        self.seq += 1
        self.ms += 1
        return {"op_id": str(uuid.uuid4()), "seq": self.seq, "type": kind,
                "visit_id": str(visit_id), "value": value, "hlc": f"{self.ms}-0-{self.id}",
                "base": None, **extra}

    def push(self, client, headers, ops):
        """Push operations and check they were applied."""
        body = {"device_id": self.id, "hlc": f"{self.ms}-0-{self.id}", "schema_version": 2,
                "ops": ops}
        response = client.post(PUSH, json=body, headers=headers)
        assert response.status_code == 200, response.json
        assert {r["status"] for r in response.json["results"]} == {"applied"}, response.json


@pytest.fixture
def synced_visit(client, login, demo):
    """Start a visit at the Almaty SIZO through sync, with a too-short walk."""
    tablet, visit_id = Tablet(), str(uuid.uuid4())
    tablet.push(client, login("inspector.almaty"), [
        tablet.op("visit.upsert", visit_id, {
            "facility_id": str(demo.facility("almaty-sizo").id), "form_id": "detention-visit",
            "started_at": "2026-11-20T09:00:00+05:00"}),
        tablet.op("answer.set", visit_id, 20, question_id="walk.minutes_per_day"),
        tablet.op("answer.set", visit_id, True, question_id="nutrition.drinking_water_always"),
    ])
    return tablet, visit_id


def test_repeat_is_a_304_with_the_same_etag(client, login, synced_visit):
    _tablet, visit_id = synced_visit
    url, headers = f"/reports/visits/{visit_id}.pdf?lang=ru", login("ombudsman")
    first = client.get(url, headers=headers)
    assert first.status_code == 200 and first.headers["X-Report-Cache"] == "miss"
    etag = first.headers["ETag"]
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.headers["ETag"] == etag and again.data == b""
    cached = client.get(url, headers=headers)
    assert cached.headers["X-Report-Cache"] == "hit" and cached.data == first.data
    other_language = client.get(f"/reports/visits/{visit_id}.pdf?lang=kk", headers=headers)
    assert other_language.headers["ETag"] != etag


def test_cached_answer_is_fast(client, login, synced_visit):
    _tablet, visit_id = synced_visit
    url, headers = f"/reports/visits/{visit_id}.pdf", login("ombudsman")
    etag = client.get(url, headers=headers).headers["ETag"]
    started = time.perf_counter()
    for _ in range(5):
        assert client.get(url, headers={**headers, "If-None-Match": etag}).status_code == 304
    assert (time.perf_counter() - started) / 5 < 0.25  # the target (20 ms) is benchmarked


def test_an_answer_changed_through_sync_changes_etag_and_content(client, login, synced_visit):
    tablet, visit_id = synced_visit
    url, headers = f"/reports/visits/{visit_id}.pdf?lang=en", login("ombudsman")
    before = client.get(url, headers=headers)
    assert "20 min" in pdf_text(before.data)
    tablet.push(client, login("inspector.almaty"),
                [tablet.op("answer.set", visit_id, 75, question_id="walk.minutes_per_day")])
    after = client.get(url, headers={**headers, "If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200
    assert after.headers["ETag"] != before.headers["ETag"]
    assert after.headers["X-Report-Cache"] == "miss"
    assert "75 min" in pdf_text(after.data) and "20 min" not in pdf_text(after.data)
    note = [tablet.op("note.add", visit_id, {"text": "A new note", "domain": "walk"})]
    tablet.push(client, login("inspector.almaty"), note)
    noted = client.get(url, headers={**headers, "If-None-Match": after.headers["ETag"]})
    assert noted.status_code == 200 and "A new note" not in pdf_text(noted.data)  # redacted
    chosen = client.get(url + "&notes=include", headers=headers)
    assert "A new note" in pdf_text(chosen.data)


def test_the_visits_photos_are_printed_downscaled(client, login, synced_visit):
    tablet, visit_id = synced_visit
    buffer = io.BytesIO()
    Image.new("RGB", (2400, 1600), (90, 140, 200)).save(buffer, "JPEG")
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    headers = login("inspector.almaty")
    tablet.push(client, headers, [tablet.op("photo.attach", visit_id, {
        "sha256": sha, "domain": "walk", "caption": "Прогулочный двор"})])
    put = client.put(f"/api/v1/blobs/{sha}", data=data,
                     headers={**headers, "Content-Type": "image/jpeg"})
    assert put.status_code == 201, put.json
    report = client.get(f"/reports/visits/{visit_id}.pdf?lang=ru", headers=login("ombudsman"))
    assert "Прогулочный двор" in pdf_text(report.data)
    images = {image.name: image for page in pdf_reader(report.data).pages
              for image in page.images}  # the pages share one resource dictionary
    assert len(images) == 1
    assert max(next(iter(images.values())).image.size) == 1000  # downscaled from 2400 px


def test_renders_are_timed_for_prometheus(client, login, synced_visit):
    _tablet, visit_id = synced_visit
    client.get(f"/reports/visits/{visit_id}.pdf?lang=kk", headers=login("ombudsman"))
    metrics = client.get("/metrics", headers=login("admin")).text
    count = re.search(r'tekseru_report_render_seconds_count\{kind="visit"\} ([\d.]+)', metrics)
    assert count and float(count[1]) >= 1
