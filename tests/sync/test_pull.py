"""Pull: every change the user may see after a cursor, in pages, each exactly once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from synctools import PULL, Device, new_id, pull_all, push_ok

from server.extensions import db
from server.models import SyncChange
from server.sync import current_head

QUESTIONS = ["nutrition.meals_per_day", "hot_water.showers_per_week", "walk.minutes_per_day",
             "phone.call_max_minutes", "medical.days_to_see_doctor"]


def _fill(client, headers, tablet, visit, rounds=5):
    """Push rounds of five answers each."""
    for n in range(rounds):
        push_ok(client, headers, tablet,
                [tablet.answer(visit, q, (n + i) % 5 + 1) for i, q in enumerate(QUESTIONS)])


def test_pages_hold_every_change_once_in_seq_order(client, almaty, tablet, visit):
    _fill(client, almaty, tablet, visit)
    changes, cursor = pull_all(client, almaty, limit=7)
    seqs = [c["seq"] for c in changes]
    assert seqs == list(range(1, 27)) and cursor == 26 == current_head()
    first = client.get(PULL, query_string={"cursor": 0, "limit": 7}, headers=almaty).get_json()
    assert first["more"] is True and first["next_cursor"] == 7 and len(first["changes"]) == 7
    last = client.get(PULL, query_string={"cursor": 26}, headers=almaty).get_json()
    assert last == {**last, "changes": [], "more": False, "next_cursor": 26}
    visit_change = changes[0]
    assert visit_change["entity"] == "visit" and visit_change["data"]["status"] == "draft"
    answer = changes[-1]
    assert answer["entity"] == "answer" and answer["data"]["question_id"] == QUESTIONS[-1]
    assert answer["op_id"] and answer["hlc"].endswith(tablet.id)


def test_own_changes_are_marked_so_the_tablet_does_not_take_them_for_foreign(
        client, almaty, almaty2, tablet, visit):
    other = Device()
    push_ok(client, almaty2, other, [other.answer(visit, "nutrition.meals_per_day", 2)])
    changes, _ = pull_all(client, almaty, device_id=tablet.id)
    assert [(c["device_id"] == tablet.id, c["own"]) for c in changes] == [(True, True),
                                                                          (False, False)]


def test_a_cursor_ahead_of_the_server_is_409(client, almaty, visit):
    response = client.get(PULL, query_string={"cursor": 999}, headers=almaty)
    assert response.status_code == 409 and response.get_json()["code"] == "cursor_ahead"


def test_pull_query_is_checked(client, almaty, visit):
    for query in ({"cursor": -1}, {"cursor": "x"}, {"limit": 0}, {"limit": 5000},
                  {"device_id": "bad id!"}):
        response = client.get(PULL, query_string=query, headers=almaty)
        assert response.status_code == 422, query


def test_pull_follows_scope(client, almaty, karaganda, login, demo, tablet, visit):
    _fill(client, almaty, tablet, visit, rounds=1)
    assert pull_all(client, karaganda)[0] == []
    mine, their = Device(), new_id()
    push_ok(client, karaganda, mine, [mine.upsert(their, demo.facility("karaganda-ivs"))])
    seen = pull_all(client, karaganda)[0]
    assert {c["visit_id"] for c in seen} == {their}
    everything = pull_all(client, login("ombudsman"))[0]
    assert {c["visit_id"] for c in everything} == {visit, their}


def test_conflicts_travel_as_changes(client, almaty, almaty2, visit):
    one, two = Device(ms=Device().ms - 1000), Device()
    push_ok(client, almaty, one, [one.answer(visit, "nutrition.meals_per_day", 2)])
    push_ok(client, almaty2, two, [two.answer(visit, "nutrition.meals_per_day", 3)])
    changes, _ = pull_all(client, almaty)
    [conflict] = [c for c in changes if c["entity"] == "conflict"]
    assert conflict["data"]["loser"]["value"] == 2 and conflict["data"]["winner"]["value"] == 3


def _writer(app, headers, tablet, visit, rounds, barrier):
    client = app.test_client()
    barrier.wait()
    for n in range(rounds):
        ops = [tablet.answer(visit, q, (n + i) % 5 + 1) for i, q in enumerate(QUESTIONS)]
        response = client.post("/api/v1/sync/push", json=tablet.body(ops), headers=headers)
        assert response.status_code == 200, response.get_json()


def _reader(app, headers, done, barrier):
    client, cursor, seen = app.test_client(), 0, []
    barrier.wait()
    while True:
        finished = done.is_set()
        page = client.get(PULL, query_string={"cursor": cursor, "limit": 7},
                          headers=headers).get_json()
        seen.extend(c["seq"] for c in page["changes"])
        cursor = page["next_cursor"]
        if finished and not page["more"]:
            return seen


def test_pages_skip_nothing_while_pushes_commit_concurrently(app, client, almaty, almaty2, demo):
    writers = []
    for headers in (almaty, almaty2, almaty, almaty2):
        tablet, visit = Device(), new_id()
        push_ok(client, headers, tablet, [tablet.upsert(visit, demo.facility("almaty-sizo"))])
        writers.append((headers, tablet, visit))
    db.session.commit()
    done, barrier = threading.Event(), threading.Barrier(len(writers) + 1)
    with ThreadPoolExecutor(len(writers) + 1) as pool:
        reading = pool.submit(_reader, app, almaty, done, barrier)
        jobs = [pool.submit(_writer, app, h, t, v, 8, barrier) for h, t, v in writers]
        for job in jobs:
            job.result()
        done.set()
        seen = reading.result()
    head = current_head()
    assert head == 4 + 4 * 8 * 5
    assert len(seen) == len(set(seen)), "a change came twice"
    assert sorted(seen) == seen, "pages went backwards"
    assert seen == list(range(1, head + 1)), "a change was skipped"
    stored = db.session.execute(db.select(SyncChange.seq).order_by(SyncChange.seq)).scalars()
    assert list(stored) == list(range(1, head + 1)), "the change seq has a gap"


def test_a_transaction_that_commits_late_is_not_skipped(app, client, almaty, almaty2, demo,
                                                       visit, monkeypatch):
    """A change numbered n is never visible before every change below n (PostgreSQL)."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite readers wait for the writer (BEGIN IMMEDIATE): nothing to race")
    import server.sync.push as push_module

    real, numbered, release = push_module.record_changes, threading.Event(), threading.Event()

    def numbered_then_wait(pending):
        head = real(pending)
        if threading.current_thread().name == "slow":
            numbered.set()
            release.wait(10)
        return head

    other_visit, starter = new_id(), Device()
    push_ok(client, almaty2, starter, [starter.upsert(other_visit, demo.facility("almaty-ivs"))])
    monkeypatch.setattr(push_module, "record_changes", numbered_then_wait)
    before = current_head()
    db.session.commit()
    slow_tab, fast_tab = Device(), Device()
    slow = threading.Thread(name="slow", target=_writer_once,
                            args=(app, almaty, slow_tab, visit, QUESTIONS[:3]))
    fast = threading.Thread(target=_writer_once, args=(app, almaty2, fast_tab, other_visit,
                                                       QUESTIONS[3:]))  # another visit
    slow.start()
    assert numbered.wait(10)
    fast.start()
    fast.join(0.5)
    assert fast.is_alive(), "a later transaction numbered its changes before the slow one ended"
    page = client.get(PULL, query_string={"cursor": before}, headers=almaty).get_json()
    assert page["changes"] == [] and page["next_cursor"] == before
    release.set()
    slow.join(10)
    fast.join(10)
    changes, _ = pull_all(client, almaty, cursor=before)
    assert [c["seq"] for c in changes] == list(range(before + 1, before + 6))
    assert [c["device_id"] for c in changes] == [slow_tab.id] * 3 + [fast_tab.id] * 2


def _writer_once(app, headers, tablet, visit, questions):
    ops = [tablet.answer(visit, q, 1) for q in questions]
    response = app.test_client().post("/api/v1/sync/push", json=tablet.body(ops),
                                      headers=headers)
    assert response.status_code == 200
