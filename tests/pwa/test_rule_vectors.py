"""The live-warning vectors (forms/vectors/rules.json) still match the Python rule check.

js/rules.js is tested against the same file with `node --test pwa/tests/`. When this fails
after a change to the checklist, a standard set or server.scoring, run
`python scripts/make_rule_vectors.py` and commit the new file with the change.
"""

import importlib.util
import json
from pathlib import Path

import pytest

from server.scoring import check_value

ROOT = Path(__file__).resolve().parents[2]
VECTORS = json.loads((ROOT / "forms" / "vectors" / "rules.json").read_text("utf-8"))
REGENERATE = "out of date: run python scripts/make_rule_vectors.py"


def _script():
    spec = importlib.util.spec_from_file_location("make_rule_vectors",
                                                  ROOT / "scripts" / "make_rule_vectors.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def sources():
    """Return the script, the checklist and the standard sets as loaded from forms/."""
    script = _script()
    form, standards = script.load()
    return script, form, standards


def test_the_file_holds_the_current_checklist_and_standards(sources):
    script, form, standards = sources
    form_data, sets = script.trimmed(form, standards)
    assert VECTORS["form"] == form_data, REGENERATE
    assert VECTORS["standards"] == sets, REGENERATE


def test_cases_cover_breaches_and_passes():
    cases = VECTORS["cases"]
    assert len(cases) > 500
    broken = {rule for case in cases for rule in case["expected"]}
    every_rule = {f"{s['id']}/{r['id']}" for s in VECTORS["standards"] for r in s["rules"]}
    assert len(broken) / len(every_rule) > 0.9  # nearly every rule is seen broken somewhere
    assert any(not case["expected"] for case in cases)


def test_python_still_answers_every_case(sources):
    _, form, standards = sources
    wrong = []
    for case in VECTORS["cases"]:
        found = check_value(standards, case["facility"], case["question_id"], case["regime"],
                            case["value"], form=form, answers=case["answers"])
        ids = [f"{r.set_id}/{r.rule.id}" for r in found]
        if ids != case["expected"]:
            wrong.append((case, ids))
    assert wrong[:3] == [], REGENERATE
