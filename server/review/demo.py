"""Earlier, approved demo visits of the Almaty commission: trends, findings and due dates.

Made like the demo visits of server/demo_visits.py (operations through apply_operations,
stable ids, so loading again changes nothing), then approved by chair.almaty, oldest first,
so the dashboard has a trend, the SIZO carries findings into its current visit, and one
facility is overdue.
"""

import uuid
from datetime import UTC, datetime

from sqlalchemy import select

from ..demo_visits import DemoTablet
from ..extensions import db
from ..models import User, Visit
from ..sync.changes import current_head
from .approval import approve_visit

NAMESPACE = uuid.UUID("7d3f0b9e-1c2a-4f5e-8b6d-2a9c4e1f3b70")
GOOD = {
    "nutrition.meals_per_day": 3, "nutrition.drinking_water_always": True,
    "nutrition.food_adequate_quality": True, "heating.cold_season": True,
    "heating.system": "central", "heating.cell_temperature_c": 20.0, "space.cell_area_m2": 24.0,
    "space.cell_occupants": 6, "light.natural_light_in_cells": True, "ventilation.adequate": True,
    "hot_water.showers_per_week": 2, "hot_water.shower_temperature_ok": True,
    "sanitation.toilet_partitioned": True, "medical.doctor_on_site": True,
    "medical.days_to_see_doctor": 1, "medical.medicines_available": True,
    "medical.injuries_documented_and_reported": True, "walk.minutes_per_day": 60,
    "safeguards.private_interviews_allowed": True, "safeguards.ill_treatment_allegations": 0,
    "safeguards.confidential_complaints": True, "safeguards.rights_information_posted": True,
}
# (facility key, start, changes to GOOD); every one is approved, oldest first.
HISTORY = [
    ("almaty-reception", datetime(2025, 6, 3, 5, tzinfo=UTC), {"walk.minutes_per_day": 45}),
    ("almaty-sizo", datetime(2025, 11, 18, 5, tzinfo=UTC), {
        "walk.minutes_per_day": 30, "safeguards.ill_treatment_allegations": 4,
        "nutrition.drinking_water_always": False, "safeguards.confidential_complaints": False,
        "space.cell_occupants": 12, "ventilation.adequate": False}),
    ("almaty-ivs", datetime(2026, 3, 2, 5, tzinfo=UTC), {"medical.doctor_on_site": False}),
    ("almaty-sizo", datetime(2026, 5, 20, 5, tzinfo=UTC), {
        "walk.minutes_per_day": 45, "safeguards.ill_treatment_allegations": 3,
        "nutrition.drinking_water_always": False, "space.cell_occupants": 10}),
    ("almaty-ivs", datetime(2026, 9, 15, 5, tzinfo=UTC), {}),
]


def _ops(tablet: DemoTablet, visit_id, facility_id, day, answers: dict, user) -> None:
    """Queue a whole visit on a tablet: start it, answer, hand it in."""
    tablet.add("visit.upsert", visit_id, {
        "facility_id": str(facility_id), "form_id": "detention-visit", "form_version": "1",
        "started_at": day.isoformat(), "team": [str(user.id)]})
    for question_id, value in answers.items():
        tablet.add("answer.set", visit_id, value, question_id=question_id)
    tablet.add("visit.submit", visit_id)


def load_demo_history(demo_id) -> dict:
    """Create and approve the earlier Almaty visits (idempotent); return what happened."""
    inspector, chair = (db.session.execute(select(User).where(User.username == name))
                        .scalar_one() for name in ("inspector.almaty", "chair.almaty"))
    made, approved = 0, 0
    tablet = DemoTablet("almaty-tablet-2025", HISTORY[0][1])  # the inspector's older tablet
    for key, day, changes in HISTORY:
        visit_id = uuid.uuid5(NAMESPACE, f"{key}:{day.date()}")
        tablet.at(day)
        _ops(tablet, visit_id, demo_id("facility:" + key), day, {**GOOD, **changes}, inspector)
        results = tablet.push(inspector)["results"]
        refused = [r for r in results if r["status"] == "rejected"]
        if refused:
            raise ValueError(f"demo history refused: {refused}")
        made += results[0]["status"] == "applied"
        if db.session.get(Visit, visit_id).status != "approved":
            approve_visit(chair, visit_id, current_head())
            approved += 1
    return {"visits_created": made, "visits_approved": approved}
