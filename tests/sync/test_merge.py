"""Per-field last-writer-wins by hybrid logical clock; concurrent losers kept as conflicts."""

import pytest
from synctools import Device, now_ms, push_ok

from server.sync.hlc import HLC, compare_hlc, is_skewed, parse_hlc
from server.sync.merge import Holder, Write, resolve, same_value

MEALS = "nutrition.meals_per_day"


def _detail(client, headers, visit):
    return client.get(f"/api/v1/visits/{visit}", headers=headers).get_json()


def _answer(detail, question_id=MEALS):
    return next((a for a in detail["answers"] if a["question_id"] == question_id), None)


def test_clock_readings_parse_and_compare_by_ms_counter_device():
    assert parse_hlc("1700000000000-3-4f2a-uuid-like") == HLC(1700000000000, 3, "4f2a-uuid-like")
    assert compare_hlc("10-0-b", "9-99-z") == 1
    assert compare_hlc("10-1-a", "10-2-a") == -1
    assert compare_hlc("10-1-a", "10-1-b") == -1
    assert compare_hlc("10-1-a", "10-1-a") == 0
    for bad in ("", "10-1", "x-1-a", "10--a", "10-1-", "10-1-a b", None, 17, "1" * 20 + "-1-a"):
        assert parse_hlc(bad) is None, bad
    with pytest.raises(ValueError):
        compare_hlc("nope", "10-1-a")
    assert is_skewed(HLC(10 * 60 * 1000 + 1, 0, "a"), 0)
    assert not is_skewed(HLC(10 * 60 * 1000, 0, "a"), 0)


def test_resolve_rules():
    a = Holder(HLC(10, 0, "a"), "a", change_seq=5)

    def write(ms, device, value, base=None):
        return Write(HLC(ms, 0, device), device, base, value)

    assert resolve(None, (), None, write(1, "b", 1)).wins
    assert resolve(a, (), 1, write(11, "b", 2)).lost == (a,)
    assert resolve(a, (), 1, write(11, "b", 2, base=5)).lost == ()  # saw seq 5
    assert resolve(a, (), 1, write(11, "b", 2, base=4)).lost == (a,)
    lost = resolve(a, (), 1, write(9, "b", 2))
    assert not lost.wins and lost.write_lost
    assert resolve(a, (), 1, write(11, "a", 2)).lost == ()  # same device
    assert not resolve(a, (), 1, Write(HLC(10, 0, "a"), "a", None, 2)).wins  # same reading
    # equal values never conflict, but the overwritten writer stays a peer until replaced
    joined = resolve(a, (), 1, write(11, "b", 1.0))
    assert joined.wins and joined.lost == () and joined.peers == (a,)
    b = Holder(HLC(11, 0, "b"), "b", None)
    replaced = resolve(b, joined.peers, 1, write(12, "b", 2))
    assert replaced.lost == (a,)  # b overwrote itself, and a's value with it
    older_same = resolve(a, (), 1, write(9, "c", 1))
    assert not older_same.wins and [p.device_id for p in older_same.peers] == ["c"]
    assert same_value(1, 1.0) and not same_value(True, 1) and same_value({"a": [1]}, {"a": [1]})


@pytest.mark.parametrize("order", ["older_first", "newer_first"])
def test_concurrent_edits_keep_the_later_clock_and_the_loser_as_a_conflict(
        client, almaty, almaty2, demo, visit, order):
    early, late = Device(ms=now_ms() - 60_000), Device(ms=now_ms() - 30_000)
    op_early, op_late = early.answer(visit, MEALS, 2), late.answer(visit, MEALS, 3)
    pushes = [(almaty, early, op_early), (almaty2, late, op_late)]
    if order == "newer_first":
        pushes.reverse()
    bodies = [push_ok(client, headers, device, [op]) for headers, device, op in pushes]
    assert bodies[0]["results"][0]["status"] == "applied"
    second = bodies[1]["results"][0]
    assert second["status"] == "conflict" and second["reason"] == "concurrent_edit"
    detail = _detail(client, almaty, visit)
    assert _answer(detail)["value"] == 3 and _answer(detail)["device_id"] == late.id
    [conflict] = detail["conflicts"]
    assert conflict["id"] == second["conflict_id"] and conflict["status"] == "open"
    assert conflict["field"] == f"answer:{MEALS}:"
    assert conflict["winner"]["value"] == 3 and conflict["winner"]["hlc"] == op_late["hlc"]
    assert conflict["winner"]["author_id"] == str(demo.user("inspector2.almaty").id)
    assert conflict["loser"] == {"value": 2, "hlc": op_early["hlc"], "device_id": early.id,
                                 "author_id": str(demo.user("inspector.almaty").id),
                                 "op_id": op_early["op_id"]}


def test_an_edit_made_after_seeing_the_value_is_no_conflict(client, almaty, almaty2, visit):
    first, second = Device(), Device()
    cursor = push_ok(client, almaty, first, [first.answer(visit, MEALS, 2)])["cursor"]
    second.ms = first.ms + 1000
    body = push_ok(client, almaty2, second, [second.answer(visit, MEALS, 3, base=cursor)])
    assert body["results"][0]["status"] == "applied"
    detail = _detail(client, almaty, visit)
    assert _answer(detail)["value"] == 3 and detail["conflicts"] == []


def test_equal_values_and_own_overwrites_are_no_conflict(client, almaty, almaty2, visit):
    one, two = Device(), Device()
    push_ok(client, almaty, one, [one.answer(visit, MEALS, 3), one.answer(visit, MEALS, 4)])
    two.ms = one.ms - 5000
    body = push_ok(client, almaty2, two, [two.answer(visit, MEALS, 4)])
    assert body["results"][0]["status"] == "applied"
    assert _detail(client, almaty, visit)["conflicts"] == []


def test_edits_of_different_fields_are_all_kept(client, almaty, almaty2, visit):
    one, two = Device(), Device()
    push_ok(client, almaty, one, [one.answer(visit, MEALS, 3)])
    push_ok(client, almaty2, two, [two.answer(visit, "nutrition.drinking_water_always", True)])
    detail = _detail(client, almaty, visit)
    assert len(detail["answers"]) == 2 and detail["conflicts"] == []


def test_a_clear_racing_a_set_keeps_the_losing_value(client, almaty, almaty2, visit):
    setter, clearer = Device(ms=now_ms() - 60_000), Device(ms=now_ms() - 30_000)
    push_ok(client, almaty, setter, [setter.answer(visit, MEALS, 2)])
    body = push_ok(client, almaty2, clearer, [clearer.clear(visit, MEALS)])
    assert body["results"][0]["status"] == "conflict"
    detail = _detail(client, almaty, visit)
    assert _answer(detail) is None
    assert detail["conflicts"][0]["loser"]["value"] == 2
    assert detail["conflicts"][0]["winner"]["value"] is None


def test_a_clock_far_ahead_is_applied_but_flagged(client, almaty, almaty2, visit):
    honest = Device()
    push_ok(client, almaty, honest, [honest.answer(visit, MEALS, 2)])
    ahead = Device(ms=now_ms() + 3_600_000)  # an hour fast
    body = push_ok(client, almaty2, ahead, [ahead.answer(visit, MEALS, 3),
                                             ahead.note(visit, "notes are not raced")])
    result = body["results"][0]
    assert (result["status"], result["reason"]) == ("conflict", "clock_skew")
    assert body["results"][1]["status"] == "applied"
    detail = _detail(client, almaty, visit)
    assert _answer(detail)["value"] == 3
    [flag] = detail["conflicts"]
    assert flag["reason"] == "clock_skew" and flag["loser"]["value"] == 2
    assert flag["winner"]["device_id"] == ahead.id


def test_visit_fields_merge_like_answers(client, almaty, almaty2, demo, visit):
    early, late = Device(ms=now_ms() - 60_000), Device(ms=now_ms() - 30_000)
    sizo = demo.facility("almaty-sizo")
    push_ok(client, almaty2, late, [late.upsert(visit, sizo, started_at="2026-11-20T11:00:00Z")])
    body = push_ok(client, almaty, early,
                   [early.upsert(visit, sizo, started_at="2026-11-20T10:00:00Z")])
    assert body["results"][0]["status"] == "conflict"
    detail = _detail(client, almaty, visit)
    assert detail["started_at"].startswith("2026-11-20T11:00:00")
    conflicts = {c["id"]: c for c in detail["conflicts"]}
    lost = conflicts[body["results"][0]["conflict_id"]]
    assert lost["field"] == "visit:started_at"
    assert lost["loser"]["value"] == "2026-11-20T10:00:00+00:00"
    # the visit's first start time, overwritten by `late` without seeing it, is kept too
    assert {c["loser"]["value"] for c in conflicts.values()} == {
        "2026-11-20T04:00:00+00:00", "2026-11-20T10:00:00+00:00"}
