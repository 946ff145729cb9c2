"""`tekseru sync import` and the demo visits both go through the push path, idempotently."""

import base64
import hashlib
import json

from synctools import new_id, picture

from server.extensions import db
from server.models import Answer, Blob, PhotoLink, SyncConflict, SyncOp, Visit


def _counts():
    return {m.__name__: db.session.execute(db.select(db.func.count()).select_from(m))
            .scalar_one() for m in (Visit, Answer, PhotoLink, Blob, SyncOp, SyncConflict)}


def _export(demo, tablet, tmp_path, blobs=True):
    visit_id, data = new_id(), picture(seed=5)
    sha = hashlib.sha256(data).hexdigest()
    ops = [tablet.upsert(visit_id, demo.facility("almaty-ivs")),
           tablet.answer(visit_id, "nutrition.meals_per_day", 2),
           tablet.photo(visit_id, sha, domain="nutrition", caption="Раздача пищи"),
           tablet.answer(visit_id, "nutrition.meals_per_day", 77)]
    content = {"format": "tekseru-export", "version": 1, "schema_version": 2,
               "exported_at": "2026-11-24T18:00:00Z", "device_id": tablet.id,
               "user": {"id": None, "username": "inspector.almaty"}, "ops": ops,
               "rejected": [],
               "blobs": [{"sha256": sha, "content_type": "image/jpeg", "size": len(data),
                          "data": base64.b64encode(data).decode()}] if blobs else []}
    path = tmp_path / "tekseru-unsynced.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path, visit_id, sha


def test_sync_import_applies_an_export_file_once(runner, demo, tablet, tmp_path, client, login):
    path, visit_id, sha = _export(demo, tablet, tmp_path)
    result = runner.invoke(args=["sync", "import", str(path)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["ops"] == {"applied": 3, "rejected": 1} and summary["blobs"] == {"stored": 1}
    after = _counts()
    again = runner.invoke(args=["sync", "import", str(path)])
    assert json.loads(again.output)["ops"] == {"duplicate": 4}
    assert json.loads(again.output)["blobs"] == {"already_stored": 1}
    assert _counts() == after
    headers = login("inspector.almaty")
    assert client.get(f"/api/v1/blobs/{sha}", headers=headers).status_code == 200
    detail = client.get(f"/api/v1/visits/{visit_id}", headers=headers).get_json()
    assert detail["answers"][0]["value"] == 2


def test_sync_import_refuses_a_broken_file(runner, demo, tablet, tmp_path):
    path, _, _ = _export(demo, tablet, tmp_path)
    content = json.loads(path.read_text())
    for broken in ({**content, "format": "other"}, {**content, "ops": "x"}):
        path.write_text(json.dumps(broken))
        result = runner.invoke(args=["sync", "import", str(path)])
        assert result.exit_code != 0 and "Error" in result.output
    path.write_text(json.dumps({**content, "user": None}))
    result = runner.invoke(args=["sync", "import", str(path)])
    assert result.exit_code != 0 and "--user" in result.output
    result = runner.invoke(args=["sync", "import", str(path), "--user", "inspector2.almaty"])
    assert result.exit_code == 0
    assert _counts()["Visit"] == 1


def test_demo_visits_arrive_through_operations_and_load_once(runner, app, demo, client, login):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    after = _counts()
    assert after["Visit"] == 3 and after["Answer"] > 40 and after["Blob"] == 3
    # 3 upserts, 54 answers (one overwrites another's row), 3 photos, 2 notes, 1 submit
    assert after["SyncOp"] == 3 + (after["Answer"] + 1) + 3 + 2 + 1
    statuses = db.session.execute(db.select(SyncOp.status)).scalars().all()
    assert sorted(set(statuses)) == ["applied", "conflict"] and statuses.count("conflict") == 1
    again = runner.invoke(args=["demo"])
    assert again.exit_code == 0 and _counts() == after
    headers = login("chair.almaty")
    visits = client.get("/api/v1/visits", headers=headers).get_json()["items"]
    assert sorted(v["status"] for v in visits) == ["draft", "submitted"]
    conflicts = [c for v in visits for c in
                 client.get(f"/api/v1/visits/{v['id']}", headers=headers).get_json()["conflicts"]]
    assert [(c["field"], c["status"]) for c in conflicts] == [
        ("answer:hot_water.showers_per_week:", "open")]
    assert conflicts[0]["loser"]["value"] == 1 and conflicts[0]["winner"]["value"] == 2
