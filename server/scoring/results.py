"""Scoring results: per rule, per domain, per standard set and per visit."""

from dataclasses import dataclass
from typing import NamedTuple

OUTCOMES = ("met", "not_met", "not_assessed", "not_applicable")
WEIGHT_UNIT = 12  # weights are kept in twelfths so splits over 1-4 regimes stay exact


class RuleResult(NamedTuple):
    """The outcome of one rule for one regime (regime None when not split by regime)."""

    rule: object
    set_id: str
    set_version: str
    regime: str | None
    outcome: str
    value: object
    source: str | None
    threshold: float | None
    unit: str | None
    units: int

    @property
    def weight(self):
        """Return this result's weight: its severity weight shared among its regimes."""
        return self.units / WEIGHT_UNIT

    def to_dict(self, citations=True):
        """Return a JSON-ready dictionary tracing the outcome to its rule (and citation)."""
        r, c = self.rule, self.rule.citation
        data = {
            "rule_id": r.id, "set_id": self.set_id, "set_version": self.set_version,
            "indicator": r.indicator, "domain": r.domain, "severity": r.severity,
            "regime": self.regime, "outcome": self.outcome, "value": self.value,
            "value_source": self.source, "comparison": r.comparison,
            "threshold": self.threshold, "unit": self.unit, "weight": self.weight,
            "rule_threshold": r.threshold, "rule_unit": r.unit,
        }
        if citations:
            data["citation"] = {"instrument": c.instrument.to_dict(),
                                "article": c.article.to_dict(), "quote": c.quote.to_dict(),
                                "url": c.url}
        return data


class Tally(NamedTuple):
    """Outcome weights (in twelfths) and counts; scores and coverage derive from them."""

    met: int = 0
    not_met: int = 0
    not_assessed: int = 0
    not_applicable: int = 0
    n_met: int = 0
    n_not_met: int = 0
    n_not_assessed: int = 0
    n_not_applicable: int = 0

    @property
    def counts(self):
        """Return how many results had each outcome, in OUTCOMES order."""
        return self[4:]

    @property
    def score(self):
        """Return 100 × weighted met ÷ weighted assessed, or None when nothing was assessed."""
        assessed = self.met + self.not_met
        return 100 * self.met / assessed if assessed else None

    @property
    def coverage(self):
        """Return weighted assessed ÷ weighted applicable, or None when nothing applies."""
        applicable = self.met + self.not_met + self.not_assessed
        return (self.met + self.not_met) / applicable if applicable else None

    def to_dict(self):
        """Return scores, coverage, outcome counts and weights."""
        weights = {o: getattr(self, o) / WEIGHT_UNIT for o in OUTCOMES}
        return {"score": self.score, "coverage": self.coverage,
                "counts": dict(zip(OUTCOMES, self.counts, strict=True)), "weights": weights}


class DomainScore(NamedTuple):
    """The score of one domain."""

    domain: str
    tally: Tally

    def to_dict(self):
        """Return the domain and its tally."""
        return {"domain": self.domain, **self.tally.to_dict()}


class SetScore(NamedTuple):
    """The score of one standard set, overall and per domain."""

    set_id: str
    version: str
    tally: Tally
    domains: tuple

    def to_dict(self):
        """Return the set, its tally and its domains."""
        return {"set_id": self.set_id, "version": self.version, **self.tally.to_dict(),
                "domains": [d.to_dict() for d in self.domains]}


@dataclass(frozen=True)
class VisitScore:
    """Everything scoring says about one visit."""

    facility_score: float | None
    tally: Tally
    domains: tuple
    sets: tuple
    rules: tuple
    critical_unmet: tuple

    @property
    def coverage(self):
        """Return the visit's weighted coverage over all applicable rules."""
        return self.tally.coverage

    def domain(self, domain_id):
        """Return one domain's score, or None."""
        return next((d for d in self.domains if d.domain == domain_id), None)

    def standard_set(self, set_id):
        """Return one standard set's score, or None."""
        return next((s for s in self.sets if s.set_id == set_id), None)

    def to_dict(self, citations=True):
        """Return a JSON-ready dictionary; unmet critical rules come first.

        With citations=False rule results carry ids and figures but not the quotes.
        """
        return {"facility_score": self.facility_score, "coverage": self.coverage,
                "overall": self.tally.to_dict(),
                "critical_unmet": [r.to_dict(citations) for r in self.critical_unmet],
                "domains": [d.to_dict() for d in self.domains],
                "sets": [s.to_dict() for s in self.sets],
                "rules": [r.to_dict(citations) for r in self.rules]}
