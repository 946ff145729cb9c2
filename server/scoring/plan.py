"""Compile a form and standard sets once into rules ready to score many visits."""

from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter

from server.forms.units import convert
from server.forms.vocab import SEVERITY_WEIGHTS
from server.scoring.aggregate import cells_of, result_order
from server.scoring.results import WEIGHT_UNIT, RuleResult


@dataclass(frozen=True, eq=False)
class CompiledRule:
    """A rule with its question, its threshold in the question's unit and its filters."""

    rule: object
    set_id: str
    set_version: str
    question: object
    threshold: float | None
    unit: str | None
    kinds: frozenset
    regimes: frozenset
    populations: frozenset
    weight: int

    def applies(self, key):
        """Tell whether the rule applies to a facility key (kind, regimes, populations)."""
        kind, regimes, populations = key
        return ((not self.kinds or kind in self.kinds)
                and (not self.regimes or not self.regimes.isdisjoint(regimes))
                and (not self.populations or not self.populations.isdisjoint(populations)))

    def regimes_for(self, key):
        """Return the regimes the rule is checked for in a facility (None = once)."""
        if self.question is None or not self.question.per_regime or not key[1]:
            return (None,)
        return tuple(r for r in key[1] if not self.regimes or r in self.regimes)

    def result(self, regime, outcome, value, source, units):
        """Build this rule's result for one regime."""
        return RuleResult(self.rule, self.set_id, self.set_version, regime, outcome, value,
                          source, self.threshold, self.unit, units)


@dataclass(frozen=True, eq=False)
class Plan:
    """Compiled rules of a form and its standard sets, with per-facility caches."""

    form: object
    rules: tuple
    per_regime: frozenset
    derived: dict

    def for_facility(self, key):
        """Return (checks, (sorted not-applicable pairs, their cells)) for a facility key."""
        return _split(self, key)

    def by_indicator(self, question_id):
        """Return the compiled rules on one indicator."""
        return tuple(r for r in self.rules if r.rule.indicator == question_id)


def _compile_rule(rule, std, form):
    question = form.question(rule.indicator)
    threshold, unit = rule.threshold, rule.unit
    if question is not None and threshold is not None and question.unit:
        threshold, unit = convert(threshold, rule.unit, question.unit), question.unit
    return CompiledRule(rule, std.id, std.version, question, threshold, unit,
                        frozenset(rule.kinds), frozenset(rule.regimes),
                        frozenset(rule.populations), SEVERITY_WEIGHTS[rule.severity])


@lru_cache(maxsize=32)
def compile_plan(form, standards):
    """Return the Plan for a form and a tuple of standard sets (cached by their hashes)."""
    rules = tuple(_compile_rule(rule, std, form)
                  for std in sorted(standards, key=lambda s: (s.id, s.version))
                  for rule in std.rules)
    per_regime = frozenset(q.id for q in form.questions if q.per_regime)
    derived = {q.id: (q.derive.numerator, q.derive.denominator)
               for q in form.questions if q.derive is not None}
    return Plan(form, rules, per_regime, derived)


@lru_cache(maxsize=4096)
def _split(plan, key):
    checks, skipped = [], []
    for compiled in plan.rules:
        if not compiled.applies(key):
            skipped.append(compiled.result(None, "not_applicable", None, None, 0))
            continue
        regimes = compiled.regimes_for(key)
        units = compiled.weight * WEIGHT_UNIT // max(len(regimes), 1)
        checks.extend((compiled, regime, units) for regime in regimes)
    pairs = tuple(sorted(((result_order(r), r) for r in skipped), key=itemgetter(0)))
    return tuple(checks), (pairs, cells_of(skipped))
