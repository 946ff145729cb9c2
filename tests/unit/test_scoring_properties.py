"""Properties of scoring over random facilities and answers (hypothesis)."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from server.forms import load_form, load_standard_sets
from server.forms.units import convert
from server.forms.vocab import KINDS, POPULATIONS, REGIMES
from server.scoring import Facility, score_visit

ROOT = Path(__file__).resolve().parents[2] / "forms"
FORM = load_form(ROOT / "detention-visit.yaml")
SETS = load_standard_sets(ROOT / "standards")
RULES = [r for s in SETS for r in s.rules]


def _referenced():
    """Return question ids other questions or rules depend on (relevance, when, derive)."""
    refs = set()
    for q in FORM.questions:
        refs |= q.relevant.refs if q.relevant else set()
        refs |= {q.derive.numerator, q.derive.denominator} if q.derive else set()
    for r in RULES:
        refs |= r.when.refs if r.when else set()
    return refs


INDEPENDENT = sorted({r.indicator for r in RULES} - _referenced() - {"space.m2_per_person"})

facilities = st.builds(
    Facility,
    kind=st.sampled_from(sorted(KINDS)),
    regimes=st.lists(st.sampled_from(sorted(REGIMES)), unique=True).map(tuple),
    populations=st.lists(st.sampled_from(sorted(POPULATIONS)), unique=True).map(tuple),
)


def _value(q):
    if q.type == "boolean":
        return st.booleans()
    if q.type == "choice":
        return st.sampled_from(q.choice_values())
    if q.type in ("text", "photo"):
        return st.just("ab" * 32)
    c = q.constraint
    low, high = (c.min, c.max) if c else (0, 1000)
    numbers = (st.integers(int(low), int(high)) if q.type == "integer"
               else st.floats(low, high, allow_nan=False))
    return st.one_of(numbers, st.just(q.unlimited)) if q.unlimited is not None else numbers


@st.composite
def visits(draw):
    facility = draw(facilities)
    answers = []
    for q in FORM.questions:
        regimes = facility.regimes if q.per_regime and facility.regimes else (None,)
        for regime in regimes:
            if draw(st.booleans()):
                answers.append((q.id, regime, draw(_value(q))))
    return facility, answers


def _scores(visit):
    numbers = [visit.facility_score]
    numbers += [d.tally.score for d in visit.domains]
    numbers += [s.tally.score for s in visit.sets]
    numbers += [d.tally.score for s in visit.sets for d in s.domains]
    return numbers


@settings(max_examples=150, deadline=None)
@given(visits())
def test_scores_and_coverage_stay_in_range(visit):
    facility, answers = visit
    result = score_visit(FORM, SETS, facility, answers)
    assert all(s is None or 0 <= s <= 100 for s in _scores(result))
    coverages = [result.coverage] + [d.tally.coverage for d in result.domains]
    coverages += [s.tally.coverage for s in result.sets]
    assert all(c is None or 0 <= c <= 1 for c in coverages)
    assert all(r.outcome == "not_met" and r.rule.severity == "critical"
               for r in result.critical_unmet)
    json.dumps(result.to_dict())


@settings(max_examples=100, deadline=None)
@given(visits(), st.randoms(use_true_random=False))
def test_answer_order_does_not_matter(visit, rng):
    facility, answers = visit
    shuffled = list(answers)
    rng.shuffle(shuffled)
    first = score_visit(FORM, SETS, facility, answers).to_dict(citations=False)
    assert score_visit(FORM, SETS, facility, shuffled).to_dict(citations=False) == first


def _best_value(indicator):
    """Return a value meeting every rule on an indicator."""
    q = FORM.question(indicator)
    rules = [r for r in RULES if r.indicator == indicator]
    comparisons = {r.comparison for r in rules}
    if q.unlimited is not None and comparisons <= {">=", ">", "is_unlimited"}:
        return q.unlimited
    if comparisons & {"is_true", "is_false"}:
        return "is_true" in comparisons
    limits = [convert(r.threshold, r.unit, q.unit) for r in rules]
    if comparisons <= {">=", ">"}:
        return max(limits) + (1 if ">" in comparisons else 0)
    if comparisons <= {"<=", "<"}:
        return min(limits) - (0.5 if "<" in comparisons else 0)
    assert comparisons == {"=="} and len(set(limits)) == 1
    return limits[0]


def _not_lower(before, after):
    return all(b is None or (a is not None and a >= b - 1e-9) for b, a in zip(
        before, after, strict=True))


@settings(max_examples=150, deadline=None)
@given(visits(), st.sampled_from(INDEPENDENT))
def test_adding_a_met_answer_never_lowers_a_score(visit, indicator):
    facility, answers = visit
    answers = [a for a in answers if a[0] != indicator]
    q = FORM.question(indicator)
    regimes = facility.regimes if q.per_regime and facility.regimes else (None,)
    added = answers + [(indicator, r, _best_value(indicator)) for r in regimes]
    before = score_visit(FORM, SETS, facility, answers)
    after = score_visit(FORM, SETS, facility, added)
    assert _not_lower(_scores(before), _scores(after))
    assert {r.outcome for r in after.rules if r.rule.indicator == indicator} <= {
        "met", "not_applicable"}


def test_independent_indicators_cover_most_rules():
    assert len(INDEPENDENT) >= 35
