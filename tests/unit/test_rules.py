"""Every rule of every shipped set, generated from the YAML: met and not met at its
threshold boundary, not assessed when unanswered, not applicable elsewhere."""

from itertools import product
from pathlib import Path

import pytest

from server.forms import evaluate, load_form, load_standard_sets
from server.forms.units import convert
from server.forms.vocab import KINDS, POPULATIONS, REGIMES
from server.scoring import Facility, check_value, score_visit

ROOT = Path(__file__).resolve().parents[2] / "forms"
FORM = load_form(ROOT / "detention-visit.yaml")
SETS = load_standard_sets(ROOT / "standards")
RULES = [(std, rule) for std in SETS for rule in std.rules]
REMAND = ("ivs", "sizo", "special_reception")
# Answers that make every `relevant` expression of the checklist true.
ENABLING = {"heating.cold_season": True, "hot_water.showers_per_week": 7,
            "safeguards.private_interviews_allowed": True, "work.employed_pct": 60}


def _facility(rule):
    kind = rule.kinds[0] if rule.kinds else "colony_medium"
    regimes = tuple(rule.regimes) or (() if kind in REMAND else ("regular",))
    return Facility(kind, regimes, tuple(rule.populations) or ("men",))


def _base(rule, facility):
    """Return enabling answers under which the rule's `when` holds."""
    for occupants, hours in product([4, 1], [10, 4]):
        extra = {"space.cell_occupants": occupants, "activity.hours_out_of_cell": hours}
        if rule.when is None or evaluate(rule.when, extra, facility):
            return {**ENABLING, **extra}
    raise AssertionError(f"no context makes {rule.id} apply")


def _answers(values, facility):
    triples = []
    for qid, value in values.items():
        per_regime = FORM.question(qid).per_regime and facility.regimes
        triples += [(qid, r, value) for r in (facility.regimes if per_regime else (None,))]
    return triples


def _boundary(rule, question):
    """Return (a met value, a not-met value) either side of the threshold."""
    comparison = rule.comparison
    if comparison in ("is_true", "is_false"):
        return (comparison == "is_true"), (comparison != "is_true")
    if comparison == "is_unlimited":
        return question.unlimited, 12
    t = convert(rule.threshold, rule.unit, question.unit)
    step = 1 if question.type == "integer" else 0.1
    return {">=": (t, round(t - step, 6)), ">": (round(t + step, 6), t),
            "<=": (t, round(t + step, 6)), "<": (round(t - step, 6), t),
            "==": (t, round(t + step, 6)), "!=": (round(t + step, 6), t)}[comparison]


def _outcomes(std, rule, facility, values):
    visit = score_visit(FORM, SETS, facility, _answers(values, facility))
    return [r for r in visit.rules if r.rule.id == rule.id and r.set_id == std.id]


def _other_facility(rule, facility):
    if rule.kinds:
        kind = next(k for k in KINDS if k not in rule.kinds)
        return Facility(kind, facility.regimes, facility.populations)
    if rule.regimes:
        return Facility(facility.kind, tuple(r for r in REGIMES if r not in rule.regimes)[:1],
                        facility.populations)
    if rule.populations:
        others = tuple(p for p in POPULATIONS if p not in rule.populations)
        return Facility(facility.kind, facility.regimes, others)
    return None


@pytest.mark.parametrize("std, rule", RULES, ids=[f"{s.id}:{r.id}" for s, r in RULES])
def test_rule_boundaries(std, rule):
    question = FORM.question(rule.indicator)
    facility = _facility(rule)
    base = _base(rule, facility)
    met, not_met = _boundary(rule, question)
    for value, expected in ((met, "met"), (not_met, "not_met")):
        results = _outcomes(std, rule, facility, {**base, rule.indicator: value})
        assert results and {r.outcome for r in results} == {expected}, (value, expected)
        assert {r.value for r in results} == {value}
        if rule.threshold is not None:
            assert {r.threshold for r in results} == {
                convert(rule.threshold, rule.unit, question.unit)}
    unanswered = {k: v for k, v in base.items() if k != rule.indicator}
    assert {r.outcome for r in _outcomes(std, rule, facility, unanswered)} == {"not_assessed"}
    other = _other_facility(rule, facility)
    if other is not None:
        results = _outcomes(std, rule, other, {**base, rule.indicator: met})
        assert [r.outcome for r in results] == ["not_applicable"]


@pytest.mark.parametrize("std, rule", RULES, ids=[f"{s.id}:{r.id}" for s, r in RULES])
def test_live_warning_agrees_with_scoring(std, rule):
    question = FORM.question(rule.indicator)
    facility = _facility(rule)
    base = _base(rule, facility)
    regime = facility.regimes[0] if question.per_regime and facility.regimes else None
    met, not_met = _boundary(rule, question)
    warned = {(b.set_id, b.rule.id) for b in check_value(
        SETS, facility, rule.indicator, regime, not_met, form=FORM, answers=base)}
    assert (std.id, rule.id) in warned
    quiet = {(b.set_id, b.rule.id) for b in check_value(
        SETS, facility, rule.indicator, regime, met, form=FORM, answers=base)}
    assert (std.id, rule.id) not in quiet


def test_unlimited_meets_at_least_rules():
    facility = Facility("colony_medium", ("regular",), ("men",))
    values = {"parcels.per_year": -1, "visits.short_per_year": -1}
    results = {r.rule.id: r.outcome for r in score_visit(
        FORM, SETS, facility, _answers(values, facility)).rules}
    assert results["kz-cec-medium-regular-parcels"] == "met"
    assert results["kz-cec-medium-regular-short-visits"] == "met"
    assert results["rec-2-parcels-unlimited"] == "met"
    assert results["rec-2-short-visits-monthly"] == "met"


def test_when_false_makes_a_rule_not_applicable():
    facility = Facility("colony_medium", ("regular",), ("men",))
    values = {"space.m2_per_person": 5, "space.cell_occupants": 3}
    results = {r.rule.id: r.outcome for r in score_visit(
        FORM, SETS, facility, _answers(values, facility)).rules}
    assert results["cpt-2015-44-space-single"] == "not_applicable"
    assert results["cpt-2015-44-space-shared"] == "met"


def test_every_shipped_rule_is_exercised():
    assert len(RULES) >= 140
    assert {s.id for s, _ in RULES} == {"mandela", "cpt", "kz-law", "recommended", "epr"}
