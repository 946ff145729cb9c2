"""Replays, lost responses, two tabs at once, and devices whose history does not match."""

import threading
from concurrent.futures import ThreadPoolExecutor

from synctools import PUSH, Device, push, push_ok, statuses

from server.extensions import db
from server.models import Answer, Note, PhotoLink, SyncChange, SyncConflict, SyncOp

SHA = "b" * 64


def _counts() -> dict:
    """Count the rows a push can write."""
    return {model.__name__: db.session.execute(db.select(db.func.count()).select_from(model))
            .scalar_one() for model in (Answer, Note, PhotoLink, SyncChange, SyncConflict, SyncOp)}


def _mixed_batch(tablet, visit):
    """Return a batch with every kind of outcome."""
    return [
        tablet.answer(visit, "nutrition.meals_per_day", 3),
        tablet.answer(visit, "nutrition.meals_per_day", 42),  # constraint_failed
        tablet.note(visit, "Проверено"),
        tablet.photo(visit, SHA, domain="walk"),
        tablet.answer(visit, "heating.system", "stove"),
    ]


def test_every_batch_sent_twice_gives_the_same_results_and_no_duplicates(
        client, almaty, almaty2, tablet, visit):
    other = Device()
    push_ok(client, almaty2, other, [other.answer(visit, "heating.system", "central")])
    ops = _mixed_batch(tablet, visit)
    first = push_ok(client, almaty, tablet, ops)
    assert statuses(first) == ["applied", "rejected", "applied", "applied", "conflict"]
    before = _counts()
    second = push_ok(client, almaty, tablet, ops)
    assert statuses(second) == ["duplicate"] * 5
    for a, b in zip(first["results"], second["results"], strict=True):
        assert b["outcome"] == a["status"]
        assert b.get("reason") == a.get("reason") and b.get("conflict_id") == a.get("conflict_id")
    assert _counts() == before
    assert second["missing_blobs"] == [SHA] and second["last_seq"] == first["last_seq"]


def test_a_response_lost_after_commit_then_retried_changes_nothing(client, almaty, tablet, visit):
    ops = _mixed_batch(tablet, visit)
    client.post(PUSH, json=tablet.body(ops), headers=almaty)  # the tablet never sees this answer
    before = _counts()
    detail = client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json()
    retry = push_ok(client, almaty, tablet, ops)
    assert statuses(retry) == ["duplicate"] * 5
    assert [r["outcome"] for r in retry["results"]] == ["applied", "rejected", "applied",
                                                        "applied", "applied"]
    assert _counts() == before
    assert client.get(f"/api/v1/visits/{visit}", headers=almaty).get_json() == detail


def test_a_retry_may_carry_new_operations_behind_the_old_ones(client, almaty, tablet, visit):
    ops = _mixed_batch(tablet, visit)
    push_ok(client, almaty, tablet, ops[:3])
    body = push_ok(client, almaty, tablet, ops)
    assert statuses(body) == ["duplicate"] * 3 + ["applied", "applied"]


def test_same_op_id_with_other_content_is_409_and_the_batch_leaves_nothing(
        client, almaty, tablet, visit):
    op = tablet.answer(visit, "nutrition.meals_per_day", 3)
    push_ok(client, almaty, tablet, [op])
    before = _counts()
    fresh = tablet.note(visit, "this note must not stay")
    changed = {**op, "value": 4}
    response = push(client, almaty, tablet, [fresh, changed])
    assert response.status_code == 409
    assert response.get_json()["code"] == "client_state_mismatch"
    assert _counts() == before


def test_a_wiped_tablet_reusing_its_device_id_is_told_to_take_a_new_one(
        client, almaty, tablet, visit):
    push_ok(client, almaty, tablet, [tablet.answer(visit, "nutrition.meals_per_day", 3)])
    wiped = Device(name=tablet.id)  # same id, store gone: its seq starts again at 1
    response = push(client, almaty, wiped, [wiped.note(visit, "after the wipe")])
    assert response.status_code == 409
    assert response.get_json()["code"] == "client_state_mismatch"
    renamed = Device()
    ops = [{**op, "seq": n} for n, op in enumerate([wiped.note(visit, "after the wipe")], 1)]
    assert statuses(push_ok(client, almaty, renamed, ops)) == ["applied"]


def test_a_renumbered_outbox_under_a_new_device_id_answers_duplicates(
        client, almaty, tablet, visit):
    ops = [tablet.answer(visit, "nutrition.meals_per_day", 3), tablet.note(visit, "n")]
    push_ok(client, almaty, tablet, ops[:1])  # applied, but the tablet renumbers anyway
    renamed = Device()
    renumbered = [{**op, "seq": n} for n, op in enumerate(ops, 1)]
    body = push_ok(client, almaty, renamed, renumbered)
    assert statuses(body) == ["duplicate", "applied"]
    assert body["last_seq"] == 2


def test_a_device_id_of_another_account_is_refused(client, almaty, almaty2, tablet, visit):
    push_ok(client, almaty, tablet, [tablet.note(visit, "mine")])
    response = push(client, almaty2, tablet, [tablet.note(visit, "not mine")])
    assert response.status_code == 409
    assert response.get_json()["code"] == "client_state_mismatch"


def test_two_tabs_sending_the_same_batch_at_once_produce_one_result(app, almaty, tablet, visit):
    ops = _mixed_batch(tablet, visit)
    body = tablet.body(ops)
    barrier = threading.Barrier(2)

    def send(_):
        client = app.test_client()
        barrier.wait()
        response = client.post(PUSH, json=body, headers=almaty)
        return response.status_code, response.get_json()

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, range(2)))
    assert [code for code, _ in answers] == [200, 200]
    outcomes = sorted(tuple(statuses(json)) for _, json in answers)
    assert outcomes == [("applied", "rejected", "applied", "applied", "applied"),
                        ("duplicate",) * 5]
    assert _counts()["SyncOp"] == 1 + 5 and _counts()["Note"] == 1  # the upsert, then these


def test_an_expired_token_is_401_and_applies_nothing(app, client, demo, tablet, visit):
    app.config["TOKEN_TTL_SECONDS"] = -1
    token = client.post("/api/v1/auth/token", json={"username": "inspector.almaty",
                                                     "password": demo.password}).get_json()
    before = _counts()
    response = push(client, {"Authorization": "Bearer " + token["token"]}, tablet,
                    [tablet.note(visit, "written offline")])
    assert response.status_code == 401 and response.get_json()["code"] == "unauthorized"
    assert _counts() == before
