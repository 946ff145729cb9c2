"""Three tablets edit one visit offline; whatever order their batches arrive in, the visit
ends the same, and every value overwritten by a concurrent edit is in the conflict list."""

import itertools
import uuid

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from synctools import Device, now_ms, push_ok

from server.sync.hlc import parse_hlc

FIELDS = {
    "nutrition.meals_per_day": st.integers(1, 4),
    "heating.system": st.sampled_from(["central", "stove"]),
    "walk.minutes_per_day": st.sampled_from([30, 60]),
    "nutrition.drinking_water_always": st.booleans(),
}
USERS = ("inspector.almaty", "inspector2.almaty", "chair.almaty")
LETTERS = "abc"
BASE_MS = now_ms() - 3_600_000

edit = st.tuples(st.sampled_from(sorted(FIELDS)), st.integers(0, 3)).flatmap(
    lambda fs: st.tuples(st.just(fs[0]), st.one_of(st.none(), FIELDS[fs[0]]), st.just(fs[1])))
device_edits = st.lists(edit, min_size=1, max_size=4)


def _ops(device: Device, visit_id, edits):
    """Turn (field, value or None, ms step) edits into a device's operations."""
    ops = []
    for field, value, step in edits:
        if step:
            device.ms, device.counter = device.ms + step, -1
        ops.append(device.answer(visit_id, field, value) if value is not None
                   else device.clear(visit_id, field))
    return ops


def _writes(all_ops):
    """Return every write as (field, hlc, letter, value)."""
    return [(op["question_id"], parse_hlc(op["hlc"]), op["hlc"].rsplit("-", 1)[-1][0],
             op["value"]) for op in all_ops]


def _chunks(ops, cut):
    """Split a device's ops in two at a cut (the second part may be empty)."""
    cut = min(cut, len(ops))
    return [part for part in (ops[:cut], ops[cut:]) if part]


def _play(client, headers, demo, copy, edits, arrival, whole):
    """Start a visit, then deliver each tablet's batches in an arrival order.

    Whole: each tablet sends all its ops in one batch; else in two, interleaved.
    """
    visit_id = str(uuid.uuid4())
    setup = Device(name=f"z{copy}-setup", ms=BASE_MS)
    push_ok(client, headers[0], setup, [setup.upsert(visit_id, demo.facility("almaty-sizo")),
                                        setup.answer(visit_id, "nutrition.meals_per_day", 3)])
    devices = [Device(name=f"{letter}{copy}", ms=BASE_MS + 10) for letter in LETTERS]
    batches = [_chunks(_ops(d, visit_id, e), len(e) if whole else cut)
               for d, (e, cut) in zip(devices, edits, strict=True)]
    all_ops = [op for chunks in batches for chunk in chunks for op in chunk]
    for index in arrival:
        chunk = batches[index].pop(0)
        push_ok(client, headers[index], devices[index], chunk)
    return visit_id, _writes(all_ops)


def _final(client, headers, visit_id):
    detail = client.get(f"/api/v1/visits/{visit_id}", headers=headers).get_json()
    answers = {a["question_id"]: (a["value"], a["device_id"][0]) for a in detail["answers"]}
    return answers, detail["conflicts"]


def _expected(writes):
    """Return the model's final values and the concurrent values that must be kept."""
    final, must_keep = {}, set()
    for field in {w[0] for w in writes}:
        on_field = [w for w in writes if w[0] == field]
        winner = max(on_field, key=lambda w: w[1])
        if winner[3] is not None:
            final[field] = (winner[3], winner[2])
        for letter in {w[2] for w in on_field} - {winner[2]}:
            last = max((w for w in on_field if w[2] == letter), key=lambda w: w[1])
            if last[3] != winner[3]:
                must_keep.add((field, (last[1].ms, last[1].counter), letter, repr(last[3])))
    if "nutrition.meals_per_day" not in {w[0] for w in writes}:
        final["nutrition.meals_per_day"] = (3, "z")
    return final, must_keep


def _losers(conflicts):
    out = set()
    for c in conflicts:
        hlc = parse_hlc(c["loser"]["hlc"])
        out.add((c["field"].split(":")[1], (hlc.ms, hlc.counter), c["loser"]["device_id"][0],
                 repr(c["loser"]["value"])))
    return out


@settings(max_examples=25, deadline=None, derandomize=True, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(st.tuples(device_edits, st.integers(1, 4)), min_size=3, max_size=3),
       interleave=st.permutations([0, 0, 1, 1, 2, 2]))
def test_every_arrival_order_ends_the_same_and_keeps_every_lost_value(
        client, login, demo, edits, interleave):
    headers = [login(user) for user in USERS]
    orders = [list(p) for p in itertools.permutations(range(3))]
    orders.append([i for i in interleave])  # batches split in two, interleaved
    outcomes = []
    for copy, order in enumerate(orders):
        whole = len(order) == 3
        arrival = order if whole else _feasible(order, edits)
        tag = f"{uuid.uuid4().hex[:8]}{copy}"  # device ids unique across examples
        visit_id, writes = _play(client, headers, demo, tag, edits, arrival, whole)
        answers, conflicts = _final(client, headers[0], visit_id)
        final, must_keep = _expected(writes)
        assert answers == final, (order, writes)
        seeds = {(f, (h.ms, h.counter), letter, repr(v)) for f, h, letter, v in writes}
        losers = _losers(conflicts)
        assert must_keep <= losers, (order, must_keep - losers)
        assert losers <= seeds | {("nutrition.meals_per_day", (BASE_MS, 2), "z", "3")}
        outcomes.append(answers)
    assert all(outcome == outcomes[0] for outcome in outcomes)


def _feasible(order, edits):
    """Keep only as many deliveries per tablet as it has batches."""
    counts = {i: len(_chunk_sizes(edits[i])) for i in range(3)}
    out = []
    for index in order:
        if counts[index]:
            out.append(index)
            counts[index] -= 1
    return out


def _chunk_sizes(device_edit):
    edits, cut = device_edit
    return [n for n in (min(cut, len(edits)), len(edits) - min(cut, len(edits))) if n]
