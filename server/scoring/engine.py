"""Score a visit's answers against standard sets; check one value for live warnings."""

from server.scoring.aggregate import summarise
from server.scoring.compare import judge
from server.scoring.inputs import RegimeView, answer_map, facility_context, facility_key
from server.scoring.plan import compile_plan


def score_visit(form, standards, facility, answers):
    """Score a visit: every rule's outcome, domain and set scores, the facility score.

    `standards` are the standard-set versions in force on the visit's date (see
    server.forms.select_versions); `facility` is any object or mapping with kind, regimes
    and populations; `answers` is an iterable of (question_id, regime, value) triples or
    objects with those attributes. The result does not depend on the order of either.
    """
    standards = tuple(standards)
    plan = compile_plan(form, standards)
    key = facility_key(facility)
    context = facility_context(key)
    values = answer_map(answers)
    checks, skipped = plan.for_facility(key)
    views = {}
    results = []
    for compiled, regime, units in checks:
        view = views.get(regime)
        if view is None:
            view = views[regime] = RegimeView(values, plan.derived, plan.per_regime, regime)
        results.append(_check(compiled, regime, units, view, context))
    return summarise(form, standards, results, skipped)


def _check(compiled, regime, units, view, context):
    rule, question = compiled.rule, compiled.question
    if rule.when is not None and not rule.when.run(view, context, None):
        return compiled.result(regime, "not_applicable", None, None, units)
    if question is None:
        return compiled.result(regime, "not_assessed", None, None, units)
    if question.relevant is not None and not question.relevant.run(view, context, None):
        return compiled.result(regime, "not_applicable", None, None, units)
    value, source = view.lookup(rule.indicator)
    outcome = judge(rule.comparison, value, compiled.threshold, question.unlimited)
    return compiled.result(regime, outcome, value, source, units)


def check_value(standards, facility, question_id, regime, value, *, form, answers=None):
    """Return the rules one value breaks, for a live warning while the inspector types.

    `answers` maps other question ids to their values as seen from the same regime; rules
    whose `when` or whose question's `relevant` is false on them are skipped. The result
    lists not_met RuleResults, the most severe first.
    """
    plan = compile_plan(form, tuple(standards))
    key = facility_key(facility)
    context = facility_context(key)
    values = {(qid, regime if qid in plan.per_regime else None): v
              for qid, v in (answers or {}).items()}
    values[(question_id, regime if question_id in plan.per_regime else None)] = value
    view = RegimeView(answer_map((k[0], k[1], v) for k, v in values.items()),
                      plan.derived, plan.per_regime, regime)
    breaches = []
    for compiled in plan.by_indicator(question_id):
        if not compiled.applies(key) or (regime and compiled.regimes
                                         and regime not in compiled.regimes):
            continue
        result = _check(compiled, regime, 0, view, context)
        if result.outcome == "not_met":
            breaches.append(result)
    return sorted(breaches, key=_breach_order)


def _breach_order(result):
    rank = {"critical": 0, "major": 1, "minor": 2}[result.rule.severity]
    return (rank, result.set_id, result.rule.id)
