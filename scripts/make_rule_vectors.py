"""Write forms/vectors/rules.json: live-warning cases answered by the Python rule check.

The offline app's js/rules.js must warn exactly when server.scoring.check_value does. This
script runs check_value over every rule of every standard set in forms/standards/, for
facilities of every kind, values around each threshold and a few answer contexts, and writes
the cases with the rule ids it found broken (most severe first). `node --test pwa/tests/`
runs the cases in JavaScript; tests/pwa/test_rule_vectors.py checks Python still agrees.
Run it again after changing the checklist, a standard set or the rule check.
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from server.forms.loader import load_forms, load_standard_sets  # noqa: E402
from server.forms.serialize import form_to_dict, standard_set_to_dict  # noqa: E402
from server.forms.units import convert  # noqa: E402
from server.scoring import check_value  # noqa: E402

OUT = ROOT / "forms" / "vectors" / "rules.json"
FORM_ID = "detention-visit"
QUESTION_KEYS = ("id", "type", "unit", "unlimited", "per_regime", "relevant", "derive")
RULE_KEYS = ("id", "indicator", "comparison", "threshold", "unit", "kinds", "regimes",
             "populations", "when", "severity")
FACILITIES = [
    {"kind": "ivs", "regimes": [], "populations": ["men", "women"]},
    {"kind": "sizo", "regimes": [], "populations": ["juveniles", "men", "women"]},
    {"kind": "special_reception", "regimes": [], "populations": ["men"]},
    {"kind": "colony_minimum", "regimes": ["eased", "regular", "strict"], "populations": ["men"]},
    {"kind": "colony_medium", "regimes": ["eased", "privileged", "regular", "strict"],
     "populations": ["women"]},
    {"kind": "colony_maximum", "regimes": ["eased", "privileged", "regular", "strict"],
     "populations": ["men"]},
    {"kind": "colony_extraordinary", "regimes": ["eased", "regular", "strict"],
     "populations": ["lifers", "men"]},
    {"kind": "colony_extraordinary", "regimes": ["eased", "privileged", "regular", "strict"],
     "populations": ["men"]},
    {"kind": "colony_full", "regimes": ["eased", "regular", "strict"], "populations": ["men"]},
    {"kind": "juvenile", "regimes": ["eased", "privileged", "regular", "strict"],
     "populations": ["juveniles"]},
    {"kind": "medical", "regimes": ["regular"], "populations": ["men", "women"]},
]
CONTEXTS = [
    {},
    {"heating.cold_season": True, "space.cell_occupants": 1, "space.cell_area_m2": 7.5,
     "safeguards.ill_treatment_allegations": 2, "work.employed_pct": 40,
     "hot_water.showers_per_week": 2, "safeguards.private_interviews_allowed": True},
    {"heating.cold_season": False, "space.cell_occupants": 4, "space.cell_area_m2": 9,
     "safeguards.ill_treatment_allegations": 0, "work.employed_pct": 0,
     "hot_water.showers_per_week": 0, "safeguards.private_interviews_allowed": False},
]


def _pick(data, keys):
    return {k: data[k] for k in keys if k in data}


def trimmed(form, standards):
    """Return the parts of the checklist and the standards the rule check reads."""
    form_data = form_to_dict(form)
    domains = [{"id": d["id"], "questions": [_pick(q, QUESTION_KEYS) for q in d["questions"]]}
               for d in form_data["domains"]]
    sets = [{"id": s["id"], "version": s["version"],
             "rules": [_pick(r, RULE_KEYS) for r in s["rules"]]}
            for s in (standard_set_to_dict(std) for std in standards)]
    return {"id": form_data["id"], "version": form_data["version"], "domains": domains}, sets


def load():
    """Load the checklist and the standard sets from forms/."""
    form = next(f for f in load_forms(ROOT / "forms") if f.id == FORM_ID)
    return form, load_standard_sets(ROOT / "forms" / "standards")


def _values(question, rule):
    """Values around a rule's threshold, in the question's unit."""
    if question.type == "boolean":
        return [True, False, None]
    values = [None, 0]
    if question.unlimited is not None:
        values.append(question.unlimited)
    if rule.threshold is not None:
        t = convert(rule.threshold, rule.unit, question.unit) if question.unit else rule.threshold
        step = 1 if question.type == "integer" else 0.5
        values += [t - step, t, t + step]
    if question.type == "integer":
        values = [v if v is None else int(v) for v in values]
    return list(dict.fromkeys(values))


def _applies(rule, facility):
    return ((not rule.kinds or facility["kind"] in rule.kinds)
            and (not rule.regimes or set(rule.regimes) & set(facility["regimes"]))
            and (not rule.populations or set(rule.populations) & set(facility["populations"])))


def _facilities(rule):
    """Two facilities the rule applies to and one it does not."""
    inside = [f for f in FACILITIES if _applies(rule, f)][:2]
    outside = [f for f in FACILITIES if not _applies(rule, f)][:1]
    return inside + outside


def _regimes(rule, question, facility):
    """The rule's first regime (or the facility's) and the facility's last one."""
    if not (question.per_regime and facility["regimes"]):
        return [None]
    first = next((r for r in rule.regimes if r in facility["regimes"]), facility["regimes"][0])
    return list(dict.fromkeys([first, facility["regimes"][-1]]))


def _contexts(rule, question):
    """Answer contexts: several where an expression or a derivation reads other answers."""
    return CONTEXTS if (rule.when or question.relevant or question.derive) else CONTEXTS[:1]


def cases(form, standards):
    """Yield every case: facility, question, regime, value, other answers, broken rule ids."""
    seen = set()
    for std in standards:
        for rule in std.rules:
            question = form.question(rule.indicator)
            if question is None:
                continue
            for facility in _facilities(rule):
                for regime in _regimes(rule, question, facility):
                    for value in _values(question, rule):
                        for answers in _contexts(rule, question):
                            others = {k: v for k, v in answers.items() if k != question.id}
                            key = json.dumps([facility, question.id, regime, value, others],
                                             sort_keys=True)
                            if key in seen:
                                continue
                            seen.add(key)
                            found = check_value(standards, facility, question.id, regime,
                                                value, form=form, answers=others)
                            yield {"facility": facility, "question_id": question.id,
                                   "regime": regime, "value": value, "answers": others,
                                   "expected": [f"{r.set_id}/{r.rule.id}" for r in found]}


def write(path=OUT):
    """Write the vectors file; return the number of cases."""
    form, standards = load()
    form_data, sets = trimmed(form, standards)
    rows = list(cases(form, standards))
    head = {"description": __doc__.strip().splitlines()[0], "version": 1,
            "form": form_data, "standards": sets}
    text = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    lines = [json.dumps(row, ensure_ascii=False, separators=(",", ":")) for row in rows]
    path.write_text(text + ',"cases":[\n' + ",\n".join(lines) + "\n]}\n", encoding="utf-8")
    return len(rows)


if __name__ == "__main__":
    print(f"{write()} cases written to {OUT.relative_to(ROOT)}")
