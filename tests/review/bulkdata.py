"""Many facilities and visits straight into the database, for the dashboard's scale tests."""

import random
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event, insert

from server.catalogue import FORM_ID, ensure_form_version, find_form
from server.extensions import db
from server.models import Answer, Facility, Visit

KINDS = ("ivs", "sizo", "colony_medium", "special_reception", "juvenile")
# (question, value when met, value when not met): every visit answers these.
VALUES = [
    ("nutrition.meals_per_day", 3, 1), ("nutrition.drinking_water_always", True, False),
    ("walk.minutes_per_day", 90, 30), ("safeguards.confidential_complaints", True, False),
    ("safeguards.private_interviews_allowed", True, False),
    ("medical.injuries_documented_and_reported", True, False),
    ("space.m2_per_person", 4.5, 2.0), ("work.forced", False, True),
]


def make_facilities(commission, count: int) -> list[uuid.UUID]:
    """Insert facilities of a commission in one statement; return their ids."""
    rows = [{"id": uuid.uuid4(), "commission_id": commission.id, "region": commission.region,
             "kind": KINDS[i % len(KINDS)], "name_ru": f"Учреждение № {i:03d}",
             "name_kk": f"№ {i:03d} мекеме", "name_en": f"Facility No. {i:03d}",
             "regimes": [], "populations": ["men"], "address": "",
             "created_at": datetime(2025, 1, 1, tzinfo=UTC),
             "updated_at": datetime(2025, 1, 1, tzinfo=UTC)} for i in range(count)]
    db.session.execute(insert(Facility), rows)
    return [row["id"] for row in rows]


def make_visits(facility_ids, author, per_facility: int, seed: int = 7) -> list[uuid.UUID]:
    """Insert visits (every answer of VALUES each) in a few statements; return their ids."""
    rng, first = random.Random(seed), date(2026, 1, 5)
    version = ensure_form_version(find_form(FORM_ID, None, first))
    visits, answers = [], []
    for index, facility_id in enumerate(facility_ids):
        quality = 0.3 + 0.7 * (index % 10) / 10
        for n in range(per_facility):
            day = first + timedelta(days=30 * n + index % 25)
            started = datetime(day.year, day.month, day.day, 9, tzinfo=UTC)
            visit_id = uuid.uuid4()
            status = "draft" if n == per_facility - 1 and index % 3 == 0 else "submitted"
            visits.append({"id": visit_id, "facility_id": facility_id, "status": status,
                           "form_version_id": version.id, "started_at": started,
                           "created_by_id": author.id, "created_at": started,
                           "updated_at": started})
            answers += [{"id": uuid.uuid4(), "visit_id": visit_id, "question_id": qid,
                         "regime": "", "value": good if rng.random() < quality else bad,
                         "hlc": f"{int(started.timestamp() * 1000)}-0-bulk",
                         "author_id": author.id, "device_id": "bulk", "updated_at": started}
                        for qid, good, bad in VALUES]
    db.session.execute(insert(Visit), visits)
    db.session.execute(insert(Answer), answers)
    return [row["id"] for row in visits]


class QueryCounter:
    """Count the SQL statements the engine runs while active."""

    def __init__(self, engine):
        self.engine, self.statements = engine, []

    def _count(self, _conn, _cursor, statement, *_args):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        """Return how many statements ran."""
        return len(self.statements)
