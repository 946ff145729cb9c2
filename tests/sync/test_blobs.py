"""Photos: content-addressed, resumable, hash-checked, stored without EXIF/GPS, scoped."""

import hashlib
import io

import pytest
from PIL import Image
from synctools import Device, new_id, picture, push_ok

BLOBS = "/api/v1/blobs/"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def photo(client, almaty, tablet, visit):
    """Attach a JPEG with GPS tags to the visit; return its bytes (not uploaded yet)."""
    data = picture(seed=7, size=(320, 240))
    body = push_ok(client, almaty, tablet, [tablet.photo(visit, _sha(data), domain="walk")])
    assert body["missing_blobs"] == [_sha(data)]
    return data


def _put(client, headers, data, sha=None, content_range=None, content_type="image/jpeg",
         stream=None, length=None):
    extra = {"Content-Type": content_type}
    if content_range:
        extra["Content-Range"] = content_range
    if stream is not None:  # a body announced as `length` bytes; the stream may end sooner
        return client.put(BLOBS + (sha or _sha(data)), input_stream=stream,
                          environ_overrides={"CONTENT_LENGTH": str(length)},
                          headers={**headers, **extra})
    return client.put(BLOBS + (sha or _sha(data)), data=data, headers={**headers, **extra})


def test_a_photo_uploads_whole_and_comes_back_without_location(client, almaty, tablet, visit,
                                                              photo):
    sha = _sha(photo)
    assert client.head(BLOBS + sha, headers=almaty).status_code == 404
    response = _put(client, almaty, photo)
    assert response.status_code == 201, response.get_json()
    assert response.get_json() == {"sha256": sha, "offset": len(photo), "complete": True}
    head = client.head(BLOBS + sha, headers=almaty)
    assert head.status_code == 200 and head.headers["Upload-Complete"] == "?1"
    stored = client.get(BLOBS + sha, headers=almaty)
    assert stored.status_code == 200 and stored.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(stored.data))
    assert image.size == (320, 240) and dict(image.getexif()) == {}
    assert b"Exif" not in stored.data and b"Exif" in photo
    again = push_ok(client, almaty, tablet, [tablet.note(visit, "after the upload")])
    assert again["missing_blobs"] == []
    detail = client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json()
    assert detail["photos"][0]["uploaded"] is True
    assert _put(client, almaty, photo).status_code == 200  # already there: nothing to send


def test_an_upload_cut_at_60_percent_resumes_with_only_the_missing_bytes(client, almaty, photo):
    sha, total = _sha(photo), len(photo)
    cut = total * 60 // 100
    cut_short = _put(client, almaty, photo, content_range=f"bytes 0-{total - 1}/{total}",
                     stream=io.BytesIO(photo[:cut]), length=total)
    assert cut_short.status_code == 400, cut_short.get_json()  # the link died; what arrived stays
    assert cut_short.get_json()["code"] == "bad_request"
    head = client.head(BLOBS + sha, headers=almaty)
    assert head.status_code == 204 and head.headers["Upload-Offset"] == str(cut)
    assert client.get(BLOBS + sha, headers=almaty).status_code == 404
    rest = photo[cut:]
    response = _put(client, almaty, rest, sha=sha, content_range=f"bytes {cut}-{total - 1}/{total}")
    assert response.status_code == 201 and len(rest) == total - cut
    assert client.get(BLOBS + sha, headers=almaty).status_code == 200


def test_chunks_must_follow_each_other(client, almaty, photo):
    sha, total = _sha(photo), len(photo)
    first = _put(client, almaty, photo[:1000], sha=sha, content_range=f"bytes 0-999/{total}")
    assert first.status_code == 200 and first.get_json()["offset"] == 1000
    skipped = _put(client, almaty, photo[2000:3000], sha=sha,
                   content_range=f"bytes 2000-2999/{total}")
    assert skipped.status_code == 409 and skipped.get_json()["code"] == "offset_mismatch"
    assert skipped.headers["Upload-Offset"] == "1000"
    repeat = _put(client, almaty, photo[:1000], sha=sha, content_range=f"bytes 0-999/{total}")
    assert repeat.status_code == 409  # a retried chunk that already arrived is not written twice
    done = _put(client, almaty, photo[1000:], sha=sha,
                content_range=f"bytes 1000-{total - 1}/{total}")
    assert done.status_code == 201


def test_bytes_that_do_not_match_the_hash_are_422_and_discarded(client, almaty, photo):
    sha = _sha(photo)
    tampered = photo[:-10] + b"\x00" * 10
    response = _put(client, almaty, tampered, sha=sha)
    assert response.status_code == 422 and response.get_json()["code"] == "hash_mismatch"
    assert client.head(BLOBS + sha, headers=almaty).status_code == 404
    assert _put(client, almaty, photo).status_code == 201


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_png_and_webp_are_accepted(client, almaty, tablet, visit, fmt):
    data = picture(fmt, seed=3)
    push_ok(client, almaty, tablet, [tablet.photo(visit, _sha(data))])
    response = _put(client, almaty, data, content_type=f"image/{fmt.lower()}")
    assert response.status_code == 201
    stored = client.get(BLOBS + _sha(data), headers=almaty)
    assert stored.mimetype == f"image/{fmt.lower()}"
    assert dict(Image.open(io.BytesIO(stored.data)).getexif()) == {}


@pytest.mark.parametrize("data", [b"plain text, not a picture", picture("GIF", gps=False)])
def test_other_content_is_415(client, almaty, tablet, visit, data):
    push_ok(client, almaty, tablet, [tablet.photo(visit, _sha(data))])
    response = _put(client, almaty, data)
    assert response.status_code == 415 and response.get_json()["code"] == "unsupported_media_type"
    assert client.head(BLOBS + _sha(data), headers=almaty).status_code == 404
    refused = _put(client, almaty, data, content_type="text/plain")
    assert refused.status_code == 415


def test_a_photo_over_the_cap_is_413(app, client, almaty, photo):
    app.config["BLOB_MAX_BYTES"] = 1000
    response = _put(client, almaty, photo)
    assert response.status_code == 413
    assert response.get_json()["errors"] == {"max_bytes": ["1000"]}


def test_bad_ranges_are_400(client, almaty, photo):
    sha, total = _sha(photo), len(photo)
    for header in ("bytes=0-10/20", f"bytes 10-5/{total}", f"bytes 0-{total}/{total}", "x"):
        response = _put(client, almaty, photo[:6], sha=sha, content_range=header)
        assert response.status_code == 400, header


def test_photos_are_scoped_to_the_visits_that_attach_them(client, almaty, karaganda, login,
                                                          photo):
    sha = _sha(photo)
    assert _put(client, karaganda, photo).status_code == 404
    assert _put(client, almaty, photo).status_code == 201
    for method in ("head", "get"):
        assert getattr(client, method)(BLOBS + sha, headers=karaganda).status_code == 404
    assert client.get(BLOBS + sha, headers=login("ombudsman")).status_code == 200
    assert client.get(BLOBS + sha, headers=login("chair.almaty")).status_code == 200
    stray = picture(seed=99)
    assert _put(client, almaty, stray).status_code == 404  # attached to no visit
    assert client.get(BLOBS + "not-a-hash", headers=almaty).status_code == 404


def test_a_karaganda_photo_of_the_same_bytes_stays_separate_in_scope(
        client, almaty, karaganda, demo, photo):
    tab, their_visit = Device(), new_id()
    push_ok(client, karaganda, tab, [tab.upsert(their_visit, demo.facility("karaganda-sizo")),
                                     tab.photo(their_visit, _sha(photo))])
    assert _put(client, karaganda, photo).status_code == 201
    assert client.get(BLOBS + _sha(photo), headers=almaty).status_code == 200
