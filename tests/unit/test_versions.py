"""select_versions: a visit is scored against the versions in force on its date."""

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from server.forms import load_form, load_standard_sets, select_versions
from server.scoring import Facility, score_visit

ROOT = Path(__file__).resolve().parents[2] / "forms"
FORM = load_form(ROOT / "detention-visit.yaml")
SETS = load_standard_sets(ROOT / "standards")
MANDELA = next(s for s in SETS if s.id == "mandela")


def _stricter_mandela():
    """A later Mandela version asking for two hours of walk (a test fixture, not law)."""
    rules = tuple(replace(r, threshold=2) if r.id == "mandela-23-1-outdoor-exercise" else r
                  for r in MANDELA.rules)
    return replace(MANDELA, version="2030", effective_date=date(2030, 1, 1), rules=rules,
                   digest="later")


def test_versions_in_force_on_a_date():
    later = _stricter_mandela()
    pool = SETS + (later,)
    assert [s.id for s in select_versions(pool, date(2014, 1, 1))] == []
    on_2019 = select_versions(pool, "2019-06-01")
    assert [(s.id, s.version) for s in on_2019] == [("cpt", "2016"), ("mandela", "2015")]
    on_2026 = select_versions(pool, datetime(2026, 11, 25, 10, 30))
    assert [(s.id, s.version) for s in on_2026] == [
        ("cpt", "2016"), ("epr", "2020"), ("kz-law", "2020-21"), ("mandela", "2015"),
        ("recommended", "2023")]
    assert ("mandela", "2030") in [(s.id, s.version) for s in select_versions(pool, "2030-01-01")]
    assert select_versions([FORM], "2026-11-25") == (FORM,)


def test_a_new_version_never_changes_an_old_result():
    facility = Facility("colony_medium", ("regular",), ("men",))
    answers = [("walk.minutes_per_day", "regular", 90)]
    pool = SETS + (_stricter_mandela(),)
    before = score_visit(FORM, select_versions(SETS, "2026-05-01"), facility, answers)
    old = score_visit(FORM, select_versions(pool, "2026-05-01"), facility, answers)
    new = score_visit(FORM, select_versions(pool, "2030-05-01"), facility, answers)
    assert old.to_dict() == before.to_dict()
    walk = {(r.rule.id, r.set_version): r.outcome for r in new.rules}
    assert walk[("mandela-23-1-outdoor-exercise", "2030")] == "not_met"
    assert {(r.rule.id, r.set_version): r.outcome
            for r in old.rules}[("mandela-23-1-outdoor-exercise", "2015")] == "met"
