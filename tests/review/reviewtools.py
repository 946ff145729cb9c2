"""A visit with a conflict, made by two simulated tablets through the real push path."""

import hashlib
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "sync"))

from synctools import Device, new_id, now_ms, picture, push, push_ok  # noqa: E402

__all__ = ["Device", "ReviewedVisit", "conflicts_of", "make_visit", "new_id", "picture", "push",
           "push_ok"]

# A pre-trial centre (no regimes): two unmet critical rules, the rest met.
ANSWERS = [
    ("nutrition.meals_per_day", 3),
    ("nutrition.drinking_water_always", True),
    ("walk.minutes_per_day", 30),  # Mandela 23(1), CPT, EPR: at least an hour (critical)
    ("safeguards.ill_treatment_allegations", 2),  # Mandela rule 1 (critical)
    ("safeguards.confidential_complaints", True),
    ("safeguards.private_interviews_allowed", True),
    ("medical.injuries_documented_and_reported", True),
    ("space.m2_per_person", 2.5),  # CPT/ECHR Muršić 3 m² (critical, when shared)
]


@dataclass
class ReviewedVisit:
    """A visit, its two tablets, their signed-in inspectors and the conflict between them."""

    id: str
    tablet_a: Device
    tablet_b: Device
    headers_a: dict
    headers_b: dict
    question: str


def make_visit(client, login, facility, answers=ANSWERS, conflict=True, submit=False,
               started=None) -> ReviewedVisit:
    """Start a visit on tablet A, answer it; tablet B overwrites one answer unseen (a conflict)."""
    base = now_ms() - 3_600_000
    tab_a, tab_b = Device("tab-a-" + new_id()[:8], ms=base), Device("tab-b-" + new_id()[:8],
                                                                     ms=base + 60_000)
    head_a, head_b = login("inspector.almaty"), login("inspector2.almaty")
    visit_id = new_id()
    extra = {"started_at": started} if started else {}
    ops = [tab_a.upsert(visit_id, facility, **extra)]
    ops += [tab_a.answer(visit_id, qid, value) for qid, value in answers]
    push_ok(client, head_a, tab_a, ops)
    question = answers[0][0]
    if conflict:
        body = push_ok(client, head_b, tab_b, [tab_b.answer(visit_id, question, 4)])
        assert body["results"][0]["status"] == "conflict", body
    if submit:
        push_ok(client, head_a, tab_a, [tab_a.submit(visit_id)])
    return ReviewedVisit(visit_id, tab_a, tab_b, head_a, head_b, question)


def upload_photo(client, headers, seed=1) -> str:
    """Upload a small JPEG; return its hash."""
    data = picture(seed=seed)
    sha = hashlib.sha256(data).hexdigest()
    response = client.put(f"/api/v1/blobs/{sha}", data=data, headers={
        **headers, "Content-Type": "image/jpeg"})
    assert response.status_code in (200, 201), response.get_json()
    return sha


def conflicts_of(client, headers, visit_id) -> dict:
    """Return {cursor, conflicts} of a visit."""
    response = client.get(f"/api/v1/visits/{visit_id}/conflicts", headers=headers)
    assert response.status_code == 200, response.get_json()
    return response.get_json()
