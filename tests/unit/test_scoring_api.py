"""score_visit and check_value accept the shapes callers have; results serialise."""

import json
from pathlib import Path

import pytest

from server.forms import load_form, load_standard_sets
from server.scoring import Answer, Facility, check_value, score_visit

ROOT = Path(__file__).resolve().parents[2] / "forms"
FORM = load_form(ROOT / "detention-visit.yaml")
SETS = load_standard_sets(ROOT / "standards")
TRIPLES = [("walk.minutes_per_day", "strict", 45), ("nutrition.drinking_water_always", None, True)]


def test_inputs_may_be_generators_dataclasses_and_mappings():
    reference = score_visit(FORM, SETS, Facility("colony_full", ("strict",), ("men",)), TRIPLES)
    again = score_visit(FORM, (s for s in SETS),
                        {"kind": "colony_full", "regimes": ["strict"], "populations": ["men"]},
                        (Answer(*t) for t in TRIPLES))
    assert again.to_dict() == reference.to_dict()
    assert [s.set_id for s in again.sets] == ["cpt", "epr", "kz-law", "mandela", "recommended"]


def test_conflicting_answers_are_refused_and_unknown_questions_ignored():
    facility = Facility("sizo")
    with pytest.raises(ValueError, match="two different answers"):
        score_visit(FORM, SETS, facility, [("walk.minutes_per_day", None, 60),
                                           ("walk.minutes_per_day", None, 30)])
    same = [("walk.minutes_per_day", None, 60)] * 2 + [("no.such_question", None, 1)]
    single = score_visit(FORM, SETS, facility, [("walk.minutes_per_day", None, 60)])
    assert score_visit(FORM, SETS, facility, same).to_dict() == single.to_dict()


def test_to_dict_is_json_with_or_without_citations():
    visit = score_visit(FORM, SETS, Facility("colony_full", ("strict",), ("men",)), TRIPLES)
    full = json.loads(json.dumps(visit.to_dict()))
    light = visit.to_dict(citations=False)
    assert full["critical_unmet"][0]["citation"]["quote"]["kk"]
    assert "citation" not in light["rules"][0]
    first = full["critical_unmet"][0]
    assert (first["indicator"], first["value"], first["threshold"], first["unit"]) == (
        "walk.minutes_per_day", 45, 60, "min")
    assert {d["domain"] for d in full["domains"]} >= {"walk", "nutrition"}


def test_check_value_lists_breaches_most_severe_first():
    facility = Facility("colony_full", ("strict", "regular"), ("men",))
    breaches = check_value(SETS, facility, "walk.minutes_per_day", "regular", 45, form=FORM)
    assert [(b.rule.severity, b.rule.id) for b in breaches] == [
        ("critical", "cpt-gr2-48-outdoor-exercise"), ("critical", "epr-27-1-outdoor-exercise"),
        ("critical", "mandela-23-1-outdoor-exercise"), ("major", "kz-cec-full-regular-walk"),
        ("minor", "rec-3-walk-four-hours")]
    assert check_value(SETS, facility, "walk.minutes_per_day", "regular", 240, form=FORM) == []
    space = check_value(SETS, Facility("sizo"), "space.m2_per_person", None, 2.8, form=FORM,
                        answers={"space.cell_occupants": 1})
    assert [b.rule.id for b in space] == ["cpt-2015-44-space-single"]
