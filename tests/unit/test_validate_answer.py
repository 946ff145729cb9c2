"""validate_answer: type and constraint checks with stable reason codes."""

from pathlib import Path

import pytest

from server.forms import REASONS, load_form, validate_answer
from server.scoring import Facility

FORM = load_form(Path(__file__).resolve().parents[2] / "forms" / "detention-visit.yaml")
COLONY = Facility("colony_maximum", ("strict", "regular"), ("men",))
SIZO = Facility("sizo", (), ("men",))
PHOTO = "ab" * 32


@pytest.mark.parametrize("question_id, value, regime, facility, expected", [
    ("heating.cell_temperature_c", 21.5, None, None, None),
    ("heating.cell_temperature_c", 80, None, None, "constraint_failed"),
    ("heating.cell_temperature_c", -31, None, None, "constraint_failed"),
    ("heating.cell_temperature_c", "21", None, None, "bad_type"),
    ("heating.cell_temperature_c", float("nan"), None, None, "bad_type"),
    ("heating.cell_temperature_c", True, None, None, "bad_type"),
    ("space.cell_area_m2", -3, None, None, "constraint_failed"),
    ("space.cell_area_m2", 12.25, None, None, None),
    ("nutrition.meals_per_day", 3, None, None, None),
    ("nutrition.meals_per_day", 3.0, None, None, None),
    ("nutrition.meals_per_day", 2.5, None, None, "bad_type"),
    ("nutrition.meals_per_day", 11, None, None, "constraint_failed"),
    ("nutrition.drinking_water_always", False, None, None, None),
    ("nutrition.drinking_water_always", 0, None, None, "bad_type"),
    ("heating.system", "stove", None, None, None),
    ("heating.system", "coal", None, None, "unknown_choice"),
    ("heating.system", 1, None, None, "bad_type"),
    ("safeguards.allegations_summary", "x" * 10001, None, None, "too_long"),
    ("safeguards.allegations_summary", "two people", None, None, None),
    ("sanitation.toilet_photo", PHOTO, None, None, None),
    ("sanitation.toilet_photo", "not-a-hash", None, None, "bad_type"),
    ("parcels.per_year", -1, "strict", COLONY, None),
    ("parcels.per_year", -2, "strict", COLONY, "constraint_failed"),
    ("parcels.per_year", 366, "strict", COLONY, "constraint_failed"),
    ("walk.minutes_per_day", 60, "strict", COLONY, None),
    ("walk.minutes_per_day", 60, None, COLONY, "regime_required"),
    ("walk.minutes_per_day", 60, "eased", COLONY, "unknown_regime"),
    ("walk.minutes_per_day", 60, "lenient", None, "unknown_regime"),
    ("walk.minutes_per_day", 60, None, SIZO, None),
    ("walk.minutes_per_day", 60, "strict", SIZO, "unknown_regime"),
    ("nutrition.meals_per_day", 3, "strict", COLONY, "not_per_regime"),
    ("nutrition.meals_per_day", None, None, None, None),
])
def test_reason_codes(question_id, value, regime, facility, expected):
    question = FORM.question(question_id)
    assert validate_answer(question, value, regime, facility) == expected
    assert expected is None or expected in REASONS


def test_unknown_question():
    assert validate_answer(FORM.question("no.such_question"), 1) == "unknown_question"
