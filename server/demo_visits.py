"""Demo visits, made the way tablets make them: operations through apply_operations.

Every operation has a stable op_id, seq and clock reading, so loading the demo again answers
`duplicate` for each and changes nothing. Two inspectors answer the Almaty SIZO visit on two
tablets; one answer differs, so the chair finds an open conflict.
"""

import hashlib
import io
import uuid
from datetime import UTC, datetime

from PIL import Image, ImageDraw
from sqlalchemy import select

from .extensions import db
from .models import User
from .sync import apply_operations
from .sync.blobs import store_whole, stored_blob

NAMESPACE = uuid.UUID("0b7f3c8e-6a55-4f0e-9a3f-5d8f2c1b7e42")
FORM = {"form_id": "detention-visit", "form_version": "1"}

SIZO_ANSWERS = {
    "nutrition.meals_per_day": 3, "nutrition.drinking_water_always": False,
    "nutrition.drinking_water_litres_per_day": 1.5, "nutrition.food_adequate_quality": True,
    "heating.cold_season": True, "heating.system": "central", "heating.cell_temperature_c": 16.5,
    "space.cell_area_m2": 24.0, "space.cell_occupants": 10, "light.natural_light_in_cells": True,
    "ventilation.adequate": False, "hot_water.showers_per_week": 1,
    "hot_water.shower_temperature_ok": True, "hot_water.available_hours_per_day": 2,
    "sanitation.toilet_partitioned": False, "sanitation.persons_per_toilet": 10,
    "medical.doctor_on_site": True, "medical.admission_exam_within_hours": 36,
    "medical.days_to_see_doctor": 2, "medical.medicines_available": True,
    "walk.minutes_per_day": 60, "walk.yard_adequate": False, "phone.calls_allowed_per_month": 4,
    "phone.call_max_minutes": 15, "safeguards.private_interviews_allowed": True,
    "safeguards.ill_treatment_allegations": 2, "safeguards.confidential_complaints": False,
    "safeguards.rights_information_posted": True, "activity.hours_out_of_cell": 1.5,
}
SECOND_TABLET = {"medical.confidential_consultation": False,
                 "medical.injuries_documented_and_reported": True,
                 "hot_water.showers_per_week": 2}  # differs: the open conflict
COLONY_ANSWERS = {
    "nutrition.meals_per_day": 3, "nutrition.drinking_water_always": True,
    "heating.cell_temperature_c": 19.0, "space.cell_area_m2": 120.0, "space.cell_occupants": 40,
    "hot_water.showers_per_week": 2, "medical.doctor_on_site": True,
    "work.employed_pct": 35, "work.paid": True, "work.forced": False,
    "phone.calls_allowed_per_month": 4, "phone.call_max_minutes": 15,
}
COLONY_REGIMES = {"walk.minutes_per_day": {"strict": 90, "regular": 120, "eased": 120},
                  "visits.short_per_year": {"strict": 2, "regular": 6, "eased": 12}}


def _picture(seed: int, label: str) -> bytes:
    """Return a small JPEG standing for a photo taken during a visit."""
    image = Image.new("RGB", (320, 240), (90 + seed * 40 % 120, 100, 110))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 20, 300, 220), outline=(230, 230, 230), width=3)
    draw.text((32, 32), label, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class DemoTablet:
    """A tablet whose operations get stable ids, seqs and clock readings."""

    def __init__(self, key: str, day: datetime):
        self.id, self.ms, self.ops, self.sent = f"demo-{key}", int(day.timestamp() * 1000), [], 0

    def at(self, day: datetime) -> None:
        """Move the tablet's clock on to a later day (one tablet used on several visits)."""
        self.ms = max(self.ms + len(self.ops) * 1000 + 1000, int(day.timestamp() * 1000))

    def add(self, kind: str, visit_id, value=None, **extra) -> None:
        """Queue an operation."""
        seq = self.sent + len(self.ops) + 1
        self.ops.append({"op_id": uuid.uuid5(NAMESPACE, f"{self.id}:{seq}"), "seq": seq,
                         "type": kind, "visit_id": str(visit_id), "value": value,
                         "hlc": f"{self.ms + seq * 1000}-0-{self.id}", "base": None, **extra})

    def push(self, user) -> dict:
        """Apply the queued operations as the user."""
        batch = {"device_id": self.id, "hlc": self.ops[-1]["hlc"], "schema_version": 2,
                 "seq_from": None, "ops": self.ops}
        result = apply_operations(user, self.id, batch)
        self.ms += len(self.ops) * 1000
        self.sent, self.ops = self.sent + len(self.ops), []
        return result


def _user(username: str) -> User:
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def _visit(tablet: DemoTablet, visit_id, facility_id, day: datetime, team) -> None:
    tablet.add("visit.upsert", visit_id, {"facility_id": str(facility_id), **FORM,
                                          "started_at": day.isoformat(),
                                          "team": [str(u.id) for u in team]})


def _photos(tablet: DemoTablet, visit_id, shots) -> dict:
    """Queue photo.attach for each (domain, caption); return the pictures by hash."""
    pictures = {}
    for n, (domain, caption) in enumerate(shots):
        data = _picture(n, caption)
        sha = hashlib.sha256(data).hexdigest()
        pictures[sha] = data
        tablet.add("photo.attach", visit_id, {"sha256": sha, "domain": domain,
                                              "caption": caption})
    return pictures


def _sizo_visit(facilities: dict) -> tuple[list, dict]:
    """The Almaty SIZO visit: two tablets, one conflict, photos, notes; still a draft."""
    day = datetime(2026, 11, 10, 5, 0, tzinfo=UTC)
    visit_id = uuid.uuid5(NAMESPACE, "visit:almaty-sizo")
    first, second = _user("inspector.almaty"), _user("inspector2.almaty")
    one, two = DemoTablet("almaty-sizo-1", day), DemoTablet("almaty-sizo-2", day)
    _visit(one, visit_id, facilities["almaty-sizo"], day, [first, second])
    for question_id, value in SIZO_ANSWERS.items():
        one.add("answer.set", visit_id, value, question_id=question_id)
    one.add("note.add", visit_id, {"text": "В камере 12 питьевая вода выдаётся только по "
                                           "расписанию, дважды в сутки.", "domain": "nutrition"})
    pictures = _photos(one, visit_id, [("hot_water", "Душевая, корпус 2"),
                                       ("heating", "Камера 12: термометр 16,5 °C")])
    two.ms += 3_600_000  # the second tablet answered an hour later, offline
    for question_id, value in SECOND_TABLET.items():
        two.add("answer.set", visit_id, value, question_id=question_id)
    two.add("note.add", visit_id, {"text": "Жалобы на задержку ответа врача.",
                                   "domain": "medical"})
    return [(one, first), (two, second)], pictures


def _colony_visit(facilities: dict) -> tuple[list, dict]:
    """The Almaty minimum-security colony visit, per regime; submitted."""
    day = datetime(2026, 11, 3, 4, 30, tzinfo=UTC)
    visit_id = uuid.uuid5(NAMESPACE, "visit:almaty-minimum")
    inspector = _user("inspector.almaty")
    tablet = DemoTablet("almaty-minimum-1", day)
    _visit(tablet, visit_id, facilities["almaty-minimum"], day, [inspector])
    for question_id, value in COLONY_ANSWERS.items():
        tablet.add("answer.set", visit_id, value, question_id=question_id)
    for question_id, by_regime in COLONY_REGIMES.items():
        for regime, value in by_regime.items():
            tablet.add("answer.set", visit_id, value, question_id=question_id, regime=regime)
    pictures = _photos(tablet, visit_id, [("walk", "Прогулочный двор, строгие условия")])
    tablet.add("visit.submit", visit_id)
    return [(tablet, inspector)], pictures


def _karaganda_visit(facilities: dict) -> tuple[list, dict]:
    """A Karaganda SIZO visit by the Karaganda commission; a draft."""
    day = datetime(2026, 11, 12, 4, 0, tzinfo=UTC)
    visit_id = uuid.uuid5(NAMESPACE, "visit:karaganda-sizo")
    inspector = _user("inspector.karaganda")
    tablet = DemoTablet("karaganda-sizo-1", day)
    _visit(tablet, visit_id, facilities["karaganda-sizo"], day, [inspector])
    for question_id in ("nutrition.meals_per_day", "hot_water.showers_per_week",
                        "walk.minutes_per_day", "medical.doctor_on_site"):
        tablet.add("answer.set", visit_id, SIZO_ANSWERS[question_id], question_id=question_id)
    return [(tablet, inspector)], {}


def load_demo_visits(demo_id) -> dict:
    """Create the demo visits through the sync operations; return what happened."""
    facilities = {key: demo_id("facility:" + key)
                  for key in ("almaty-sizo", "almaty-minimum", "karaganda-sizo")}
    tally, photos = {}, 0
    for build in (_sizo_visit, _colony_visit, _karaganda_visit):
        tablets, pictures = build(facilities)
        for tablet, user in tablets:
            for result in tablet.push(user)["results"]:
                tally[result["status"]] = tally.get(result["status"], 0) + 1
        for sha, data in pictures.items():
            if stored_blob(sha) is None:
                store_whole(tablets[0][1], sha, data)
                photos += 1
    return {"ops": tally, "photos_stored": photos}
