"""A batch applies whole or not at all: a failure half-way, a body cut short."""

import gzip
import io
import json

import pytest
from synctools import PUSH, new_id, push, push_ok, statuses

import server.sync.push as push_module
from server.extensions import db
from server.models import Answer, Note, SyncChange, SyncDevice, SyncOp, Visit
from server.sync import current_head


def _state() -> dict:
    """Return everything a push can change."""
    count = lambda model: db.session.execute(  # noqa: E731
        db.select(db.func.count()).select_from(model)).scalar_one()
    db.session.rollback()
    return {"visits": count(Visit), "answers": count(Answer), "notes": count(Note),
            "ops": count(SyncOp), "changes": count(SyncChange), "devices": count(SyncDevice),
            "head": current_head()}


def _ops(tablet, visit_id, facility):
    return [tablet.upsert(visit_id, facility),
            tablet.answer(visit_id, "nutrition.meals_per_day", 3),
            tablet.note(visit_id, "третья операция"),
            tablet.answer(visit_id, "walk.yard_adequate", True)]


def test_a_failure_on_the_third_op_leaves_nothing_from_the_batch(client, almaty, demo, tablet,
                                                                 monkeypatch):
    before = _state()
    real, calls = push_module.dispatch, []

    def failing(ctx, op):
        calls.append(op["op_id"])
        if len(calls) == 3:
            raise RuntimeError("injected: the database went away")
        return real(ctx, op)

    monkeypatch.setattr(push_module, "dispatch", failing)
    ops = _ops(tablet, new_id(), demo.facility("almaty-sizo"))
    response = push(client, almaty, tablet, ops)
    assert response.status_code == 500 and response.get_json()["code"] == "internal_error"
    assert len(calls) == 3
    assert _state() == before
    monkeypatch.setattr(push_module, "dispatch", real)
    retry = push_ok(client, almaty, tablet, ops)
    assert statuses(retry) == ["applied"] * 4


def test_a_push_cut_mid_body_applies_nothing(client, almaty, demo, tablet):
    ops = _ops(tablet, new_id(), demo.facility("almaty-sizo"))
    data = json.dumps(tablet.body(ops)).encode()
    before = _state()
    for body in (data, gzip.compress(data)):
        cut = body[: len(body) * 6 // 10]
        headers = {**almaty, "Content-Type": "application/json"}
        if body is not data:
            headers["Content-Encoding"] = "gzip"
        response = client.post(PUSH, input_stream=io.BytesIO(cut), headers=headers,
                               environ_overrides={"CONTENT_LENGTH": str(len(body))})
        assert response.status_code == 400, response.get_json()
        assert _state() == before
    assert statuses(push_ok(client, almaty, tablet, ops)) == ["applied"] * 4


def test_a_conflict_with_the_device_history_rolls_the_whole_batch_back(client, almaty, demo,
                                                                       tablet):
    visit_id = new_id()
    first = tablet.upsert(visit_id, demo.facility("almaty-sizo"))
    push_ok(client, almaty, tablet, [first])
    before = _state()
    response = push(client, almaty, tablet, [tablet.note(visit_id, "kept?"),
                                             {**first, "value": {**first["value"],
                                                                 "form_id": "x"}}])
    assert response.status_code == 409
    assert _state() == before


@pytest.mark.parametrize("stage", ["changes", "op_log"])
def test_a_database_error_late_in_the_batch_leaves_nothing(client, almaty, demo, tablet,
                                                          monkeypatch, stage):
    from sqlalchemy.exc import OperationalError

    def broken(*args, **kwargs):
        raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    target = "record_changes" if stage == "changes" else "missing_blobs"
    monkeypatch.setattr(push_module, target, broken)
    before = _state()
    response = push(client, almaty, tablet, _ops(tablet, new_id(), demo.facility("almaty-sizo")))
    assert response.status_code in (500, 503)
    assert _state() == before
