"""Normalise the facility and the answers a visit is scored on."""

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Facility:
    """What scoring needs to know about a facility."""

    kind: str
    regimes: tuple = ()
    populations: tuple = ()


@dataclass(frozen=True)
class Answer:
    """One answer: question id, regime (None unless per regime) and value."""

    question_id: str
    regime: str | None
    value: object


def facility_key(facility):
    """Return (kind, sorted regimes, sorted populations) from any facility-like object."""
    if isinstance(facility, Mapping):
        get = facility.get
    else:
        def get(name, default=None):
            return getattr(facility, name, default)
    regimes = tuple(sorted(set(get("regimes", None) or ())))
    populations = tuple(sorted(set(get("populations", None) or ())))
    return (get("kind", None), regimes, populations)


def facility_context(key):
    """Return the facility as the expression language reads it."""
    return {"kind": key[0], "regimes": list(key[1]), "populations": list(key[2])}


def _triple(item):
    if isinstance(item, tuple | list):
        question_id, regime, value = item
        return question_id, regime, value
    return item.question_id, item.regime, item.value


def answer_map(answers):
    """Return {(question id, regime): value} without unanswered (None) values.

    The same key given twice with different values is an error, so the result never
    depends on the order of the answers.
    """
    result = {}
    for item in answers:
        question_id, regime, value = _triple(item)
        if value is None:
            continue
        key = (question_id, regime)
        if key in result and not _same(result[key], value):
            raise ValueError(f"two different answers for {question_id} ({regime})")
        result[key] = value
    return result


def _same(a, b):
    return type(a) is type(b) and a == b


class RegimeView:
    """Answers as seen from one regime: per-regime questions read that regime's answer."""

    __slots__ = ("answers", "derived", "per_regime", "regime", "cache")

    def __init__(self, answers, derived, per_regime, regime):
        self.answers, self.derived, self.per_regime = answers, derived, per_regime
        self.regime, self.cache = regime, {}

    def get(self, question_id, default=None):
        """Return the value of a question for this regime, derived if need be."""
        value, _ = self.lookup(question_id)
        return default if value is None else value

    def lookup(self, question_id):
        """Return (value, source) where source is 'answer', 'derived' or None."""
        regime = self.regime if question_id in self.per_regime else None
        value = self.answers.get((question_id, regime))
        if value is not None:
            return value, "answer"
        derivation = self.derived.get(question_id)
        if derivation is None:
            return None, None
        if question_id not in self.cache:
            self.cache[question_id] = _divide(self.get(derivation[0]), self.get(derivation[1]))
        value = self.cache[question_id]
        return value, ("derived" if value is not None else None)


def _divide(numerator, denominator):
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool)
                  for v in (numerator, denominator))
    if not numbers or denominator <= 0:
        return None
    return numerator / denominator
