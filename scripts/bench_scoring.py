"""Measure scoring throughput: visits scored per second per core (CPU time).

Builds realistic random visits (every facility kind, its regimes, about 85% of the
questions answered, figures drawn around the standards' thresholds so outcomes mix),
then scores them with every shipped standard set in one process for a few seconds.
Usage: .venv/bin/python scripts/bench_scoring.py [--visits 500] [--seconds 5] [--seed 1]
"""

import argparse
import os
import platform
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.forms import load_form, load_standard_sets  # noqa: E402
from server.forms.units import convert  # noqa: E402
from server.forms.vocab import KINDS, REGIMES  # noqa: E402
from server.scoring import Facility, score_visit  # noqa: E402

REMAND = ("ivs", "sizo", "special_reception")


def _facility(rng):
    kind = rng.choice(sorted(KINDS))
    regimes = () if kind in REMAND else tuple(rng.sample(sorted(REGIMES), rng.randint(1, 4)))
    populations = rng.choice([("men",), ("women",), ("men", "lifers"), ("juveniles",),
                              ("men", "women")])
    return Facility(kind, regimes, populations)


def _numeric(rng, q, thresholds):
    c = q.constraint
    low, high = (c.min or 0, c.max if c.max is not None else 100) if c else (0, 100)
    if q.unlimited is not None and rng.random() < 0.1:
        return q.unlimited
    if thresholds and rng.random() < 0.8:
        value = rng.choice(thresholds) * rng.uniform(0.5, 1.5)
    else:
        value = rng.uniform(low, min(high, low + 100))
    value = min(max(value, low), high)
    return round(value) if q.type == "integer" else round(value, 1)


def _value(rng, q, thresholds):
    if q.type == "boolean":
        return rng.random() < 0.75
    if q.type == "choice":
        return rng.choice(q.choice_values())
    if q.type in ("text", "photo"):
        return "ab" * 32 if q.type == "photo" else "note"
    return _numeric(rng, q, thresholds)


def make_visits(form, sets, count, rng):
    """Return `count` random (facility, answers) pairs."""
    thresholds = {}
    for rule in (r for s in sets for r in s.rules if r.threshold is not None):
        q = form.question(rule.indicator)
        thresholds.setdefault(q.id, []).append(convert(rule.threshold, rule.unit, q.unit))
    visits = []
    for _ in range(count):
        facility = _facility(rng)
        answers = []
        for q in form.questions:
            for regime in (facility.regimes if q.per_regime and facility.regimes else (None,)):
                if rng.random() < 0.85:
                    answers.append((q.id, regime, _value(rng, q, thresholds.get(q.id))))
        visits.append((facility, answers))
    return visits


def measure(form, sets, visits, seconds):
    """Score the visits round-robin for about `seconds` of CPU time.

    Return (visits per CPU second, visits per wall-clock second): the first is the
    per-core figure, the second also counts time lost to other processes.
    """
    for facility, answers in visits:
        score_visit(form, sets, facility, answers)
    done, cpu, wall = 0, time.process_time(), time.perf_counter()
    while time.process_time() - cpu < seconds:
        for facility, answers in visits:
            score_visit(form, sets, facility, answers)
        done += len(visits)
    return done / (time.process_time() - cpu), done / (time.perf_counter() - wall)


def main():
    """Run the benchmark and print one result line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    form = load_form(ROOT / "forms" / "detention-visit.yaml")
    sets = load_standard_sets(ROOT / "forms" / "standards")
    visits = make_visits(form, sets, args.visits, random.Random(args.seed))
    answers = sum(len(a) for _, a in visits) / len(visits)
    per_core, wall = measure(form, sets, visits, args.seconds)
    rules = sum(len(s.rules) for s in sets)
    print(f"{date.today()} python {platform.python_version()} cores {os.cpu_count()}: "
          f"{per_core:,.0f} visits/s per core (CPU time; {wall:,.0f}/s wall clock, load "
          f"{os.getloadavg()[0]:.1f}); {len(visits)} visits, {answers:.0f} answers each, "
          f"{rules} rules in {len(sets)} sets")


if __name__ == "__main__":
    main()
