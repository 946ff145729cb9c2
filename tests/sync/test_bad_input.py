"""Bad input is a coded 4xx or a per-operation rejection, never a 500."""

import gzip
import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synctools import PUSH, push, push_ok, statuses

from server.sync.schemas import MAX_OPS

GOOD_TYPES = ("visit.upsert", "visit.submit", "answer.set", "answer.clear", "note.add",
              "photo.attach")


def _post(client, headers, body, **extra):
    return client.post(PUSH, json=body, headers={**headers, **extra})


def test_malformed_and_non_json_bodies(client, almaty, visit):
    response = client.post(PUSH, data=b'{"device_id": ', headers={
        **almaty, "Content-Type": "application/json"})
    assert (response.status_code, response.get_json()["code"]) == (400, "malformed_json")
    response = client.post(PUSH, data=b"device_id=x", headers={
        **almaty, "Content-Type": "application/x-www-form-urlencoded"})
    assert (response.status_code, response.get_json()["code"]) == (415, "unsupported_media_type")


@pytest.mark.parametrize("change", [
    {"device_id": 7}, {"device_id": "has spaces"}, {"device_id": "x" * 65}, {"ops": "nope"},
    {"ops": [1, 2]}, {"schema_version": "2"}, {"hlc": "yesterday"}, {"surprise": True},
    {"seq_from": 0}, {"ops": [{"seq": 1}]}, {"ops": [{"op_id": "not-a-uuid", "seq": 1}]},
    {"ops": [{"op_id": str(uuid.uuid4()), "seq": "1"}]},
    {"ops": [{"op_id": str(uuid.uuid4()), "seq": 1.5}]},
    {"ops": [{"op_id": str(uuid.uuid4()), "seq": 0}]},
    {"ops": [{"op_id": str(uuid.uuid4()), "seq": 2**60}]},
])
def test_a_malformed_envelope_is_422(client, almaty, tablet, change):
    body = {**tablet.body([]), **change}
    response = _post(client, almaty, body)
    assert response.status_code == 422, (change, response.get_json())
    assert response.get_json()["code"] == "invalid_fields"


def test_seq_from_must_name_the_first_op(client, almaty, tablet, visit):
    ops = [tablet.note(visit, "a")]
    response = push(client, almaty, tablet, ops, seq_from=ops[0]["seq"] + 1)
    assert response.status_code == 422
    assert statuses(push_ok(client, almaty, tablet, ops, seq_from=ops[0]["seq"])) == ["applied"]


def test_an_idle_push_is_fine(client, almaty, tablet):
    body = push_ok(client, almaty, tablet, [])
    assert body["results"] == [] and body["last_seq"] == 0 and body["missing_blobs"] == []


def test_bad_operations_are_rejected_one_by_one(client, almaty, tablet, visit):
    ops = [
        tablet.op("answer.set", "not-a-uuid", 3, question_id="nutrition.meals_per_day"),
        tablet.op(["answer.set"], visit, 3),
        tablet.op(None, visit, 3),
        tablet.answer(visit, "nutrition.meals_per_day", {"deep": [[[[1]]]]}),
        tablet.answer(visit, "safeguards.allegations_summary", "x" * 20000),
        tablet.note(visit, "NUL \x00 inside"),
        {**tablet.answer(visit, "nutrition.meals_per_day", 3), "hlc": "12:00"},
        tablet.answer(visit, "nutrition.meals_per_day", 3, base=-1),
        tablet.answer(visit, "walk.minutes_per_day", 60, regime="gulag"),
        tablet.op("note.add", visit, {"text": ""}),
        tablet.op("photo.attach", visit, {"sha256": "xyz"}),
        tablet.op("visit.upsert", visit, {"facility_id": "nope"}),
        tablet.answer(visit, "nutrition.meals_per_day", None),
        tablet.answer(visit, "nutrition.meals_per_day", 3),
    ]
    body = push_ok(client, almaty, tablet, ops)
    reasons = [r.get("reason") for r in body["results"]]
    assert reasons == ["invalid_op", "unknown_op_type", "unknown_op_type", "bad_type",
                       "value_too_large", "nul_character", "invalid_op", "invalid_op",
                       "invalid_op", "invalid_op", "invalid_op", "invalid_op", "invalid_op",
                       None]
    assert body["results"][-1]["status"] == "applied"


def test_a_batch_over_the_cap_is_413_with_the_cap(client, almaty, tablet, visit):
    ops = [tablet.note(visit, "n") for _ in range(MAX_OPS + 1)]
    response = push(client, almaty, tablet, ops)
    assert response.status_code == 413
    assert response.get_json() == {**response.get_json(), "code": "batch_too_large",
                                   "errors": {"max_ops": [str(MAX_OPS)]}}


def test_a_body_over_the_byte_cap_is_413(app, client, almaty, tablet, visit):
    app.config["SYNC_MAX_BODY_BYTES"] = 2000
    response = push(client, almaty, tablet, [tablet.note(visit, "x" * 3000)])
    assert response.status_code == 413 and response.get_json()["errors"] == {
        "max_bytes": ["2000"]}


def test_gzip_bodies_are_decoded_with_a_cap(app, client, almaty, tablet, visit):
    body = tablet.body([tablet.note(visit, "сжато")])
    headers = {**almaty, "Content-Type": "application/json", "Content-Encoding": "gzip"}
    response = client.post(PUSH, data=gzip.compress(json.dumps(body).encode()), headers=headers)
    assert response.status_code == 200 and statuses(response.get_json()) == ["applied"]
    bomb = gzip.compress(b'{"ops": [' + b" " * (20 * 1024 * 1024) + b"]}")
    response = client.post(PUSH, data=bomb, headers=headers)
    assert response.status_code == 413 and response.get_json()["code"] == "payload_too_large"
    response = client.post(PUSH, data=b"not gzip at all", headers=headers)
    assert (response.status_code, response.get_json()["code"]) == (400, "malformed_gzip")
    response = client.post(PUSH, data=json.dumps(body).encode(),
                           headers={**headers, "Content-Encoding": "br"})
    assert response.status_code == 415


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=3),
    max_leaves=8)
op_fields = st.fixed_dictionaries({}, optional={
    "type": st.sampled_from(GOOD_TYPES) | json_values, "visit_id": json_values,
    "question_id": st.sampled_from(["nutrition.meals_per_day", "walk.minutes_per_day"])
    | json_values, "regime": json_values, "value": json_values, "hlc": json_values,
    "base": json_values})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.lists(op_fields, min_size=1, max_size=4))
def test_random_operations_never_cause_a_500(client, almaty, tablet, visit, fields):
    ops = []
    for extra in fields:
        op = tablet.answer(visit, "nutrition.meals_per_day", 3)
        op.update(extra)
        ops.append(op)
    response = push(client, almaty, tablet, ops)
    assert response.status_code == 200, response.get_json()
    assert {r["status"] for r in response.get_json()["results"]} <= {
        "applied", "rejected", "conflict"}
