"""Score visits against standard sets. PURE: no Flask, no SQLAlchemy, no database models."""

from server.scoring.compare import judge
from server.scoring.engine import check_value, score_visit
from server.scoring.inputs import Answer, Facility
from server.scoring.results import (
    OUTCOMES,
    DomainScore,
    RuleResult,
    SetScore,
    Tally,
    VisitScore,
)

__all__ = [
    "OUTCOMES", "Answer", "DomainScore", "Facility", "RuleResult", "SetScore", "Tally",
    "VisitScore", "check_value", "judge", "score_visit",
]
