"""The checklist, the standard sets and scores through the API."""

import uuid
from datetime import UTC, datetime

from server.extensions import db
from server.models import Answer, Visit

KAZAKH_LETTERS = set("әғқңөұүі")  # һ occurs only in a few loanwords


def test_form_in_three_languages_with_etag(client, login, demo):
    headers = login("inspector.almaty")
    response = client.get("/api/v1/forms/detention-visit", headers=headers)
    assert response.status_code == 200
    form = response.json
    assert form["id"] == "detention-visit" and form["version"]
    questions = [q for d in form["domains"] for q in d["questions"]]
    walk = next(q for q in questions if q["id"] == "walk.minutes_per_day")
    assert set(walk["label"]) == {"ru", "kk", "en"}
    assert walk["per_regime"] is True
    kazakh = "".join(q["label"]["kk"] for q in questions)
    assert KAZAKH_LETTERS <= set(kazakh)
    etag = response.headers["ETag"]
    again = client.get("/api/v1/forms/detention-visit",
                       headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_unknown_form_is_404(client, login, demo):
    response = client.get("/api/v1/forms/nope", headers=login("inspector.almaty"))
    assert response.status_code == 404 and response.json["code"] == "not_found"


def test_five_standard_sets_with_citations(client, login, demo):
    body = client.get("/api/v1/standards", headers=login("ombudsman")).json
    sets = {s["id"]: s for s in body["sets"]}
    assert {"mandela", "cpt", "kz-law", "recommended", "epr"} <= set(sets)
    walk = next(r for r in sets["mandela"]["rules"] if r["indicator"] == "walk.minutes_per_day")
    assert walk["severity"] == "critical"
    assert (walk["threshold"], walk["unit"]) in ((60, "min"), (1, "h"))
    assert "23" in walk["citation"]["article"]["en"]
    assert set(walk["citation"]["quote"]) == {"ru", "kk", "en"}


def test_standards_in_force_on_a_date(client, login, demo):
    before = client.get("/api/v1/standards?on=1990-01-01", headers=login("ombudsman")).json
    assert before["sets"] == []


def _visit_with(demo, answers, facility_key="almaty-sizo", day=20):
    """Store a visit with answers directly; return it."""
    facility = demo.facility(facility_key)
    author = demo.user("inspector.almaty")
    visit = Visit(id=uuid.uuid4(), facility_id=facility.id, created_by_id=author.id,
                  started_at=datetime(2026, 11, day, 9, tzinfo=UTC))
    db.session.add(visit)
    for question_id, regime, value in answers:
        db.session.add(Answer(visit_id=visit.id, question_id=question_id, regime=regime or "",
                              value=value, hlc="1-0-dev", author_id=author.id, device_id="dev"))
    db.session.commit()
    return visit


def test_visit_score_traces_every_rule(client, login, demo):
    visit = _visit_with(demo, [("walk.minutes_per_day", None, 30),
                               ("nutrition.drinking_water_always", None, True)])
    body = client.get(f"/api/v1/visits/{visit.id}/score", headers=login("chair.almaty")).json
    walk = [r for r in body["rules"] if r["indicator"] == "walk.minutes_per_day"
            and r["set_id"] == "mandela"]
    assert walk and walk[0]["outcome"] == "not_met" and walk[0]["value"] == 30
    assert body["critical_unmet"][0]["indicator"] == "walk.minutes_per_day"
    water = [r for r in body["rules"] if r["indicator"] == "nutrition.drinking_water_always"]
    assert water and all(r["outcome"] == "met" for r in water)
    assert 0 <= body["facility_score"] <= 100 and 0 < body["coverage"] < 1


def test_facility_score_history_within_scope(client, login, demo):
    _visit_with(demo, [("walk.minutes_per_day", None, 30)], day=10)
    _visit_with(demo, [("walk.minutes_per_day", None, 90)], day=20)
    facility = demo.facility("almaty-sizo")
    history = client.get(f"/api/v1/facilities/{facility.id}/scores",
                         headers=login("inspector.almaty")).json
    assert len(history) == 2
    assert history[0]["critical_unmet"] >= 1 and history[1]["critical_unmet"] == 0
    hidden = client.get(f"/api/v1/facilities/{facility.id}/scores",
                        headers=login("inspector.karaganda"))
    assert hidden.status_code == 404
