"""Findings: unmet rules of an approved visit, followed at the facility's next visits."""

import uuid
from datetime import date

from flask_babel import refresh
from reviewtools import conflicts_of, make_visit

from server.extensions import db
from server.models import Finding, Visit
from server.reports.review import findings_for as report_findings
from server.review.followup import findings_for

INTERVIEWS = ("safeguards.private_interviews_allowed", True)  # allegations are asked then
FIRST = [("walk.minutes_per_day", 30), INTERVIEWS, ("safeguards.ill_treatment_allegations", 2),
         ("space.m2_per_person", 2.5), ("nutrition.drinking_water_always", True)]
SECOND = [("walk.minutes_per_day", 20), INTERVIEWS, ("safeguards.ill_treatment_allegations", 0),
          ("nutrition.drinking_water_always", True)]


def _approved(client, login, chair, sizo, answers, day):
    """Make and approve a visit started on a day of 2026; return its id."""
    visit = make_visit(client, login, sizo, answers=answers, conflict=False,
                       started=f"2026-{day}T09:00:00+05:00")
    cursor = conflicts_of(client, chair, visit.id)["cursor"]
    response = client.post(f"/api/v1/visits/{visit.id}/approve", json={"cursor": cursor},
                           headers=chair)
    assert response.status_code == 201, response.get_json()
    return visit.id


def _by_rule(findings) -> dict:
    """Return findings by rule id."""
    return {f["rule_id"]: f for f in findings}


def test_unmet_rules_become_findings_followed_at_the_next_visit(client, login, chair, sizo):
    first = _approved(client, login, chair, sizo, FIRST, "06-01")
    rows = db.session.execute(db.select(Finding)).scalars().all()
    rules = {row.rule_id for row in rows}
    assert {"mandela-23-1-outdoor-exercise", "mandela-1-no-ill-treatment",
            "echr-mursic-3m2"} <= rules
    assert all(row.status == "open" and row.first_found == date(2026, 6, 1) for row in rows)
    assert all(str(row.first_visit_id) == first for row in rows)
    second = _approved(client, login, chair, sizo, SECOND, "11-01")
    carried = _by_rule(findings_for(db.session.get(Visit, uuid.UUID(second))))
    assert carried["mandela-1-no-ill-treatment"]["status"] == "resolved"
    assert carried["mandela-23-1-outdoor-exercise"]["status"] == "worse"  # 30 → 20 minutes
    assert carried["echr-mursic-3m2"]["status"] == "open"  # not assessed: still open
    assert carried["echr-mursic-3m2"]["assessed"] is False
    open_rows = client.get(f"/api/v1/facilities/{sizo.id}/findings", headers=chair).get_json()
    listed = _by_rule(open_rows)
    assert "mandela-1-no-ill-treatment" not in listed
    walk = listed["mandela-23-1-outdoor-exercise"]
    assert walk["worse"] is True and walk["last_value"] == 20
    assert walk["first_found"] == "2026-06-01" and walk["age_days"] >= 0
    assert [f["severity"] for f in open_rows][0] == "critical"  # the most severe first


def test_a_draft_next_visit_shows_carried_findings_live(client, login, chair, sizo):
    _approved(client, login, chair, sizo, FIRST, "06-01")
    draft = make_visit(client, login, sizo, conflict=False, answers=[
        ("walk.minutes_per_day", 90), INTERVIEWS, ("safeguards.ill_treatment_allegations", 3)],
        started="2026-11-10T09:00:00+05:00")
    carried = _by_rule(findings_for(db.session.get(Visit, uuid.UUID(draft.id))))
    assert carried["mandela-23-1-outdoor-exercise"]["status"] == "resolved"
    assert carried["mandela-1-no-ill-treatment"]["status"] == "worse"  # 2 → 3 allegations
    assert db.session.execute(db.select(Finding).filter_by(status="resolved")).first() is None
    reported = _by_rule(report_findings(db.session.get(Visit, uuid.UUID(draft.id))))
    assert reported["mandela-1-no-ill-treatment"]["labels"]["ru"].startswith("Сколько лиц")
    page = client.get(f"/api/v1/visits/{draft.id}/findings", headers=chair).get_json()
    assert {f["status"] for f in page} == {"resolved", "worse", "open"}


def test_facility_page_lists_open_findings_with_their_age(client, login, chair, sizo):
    _approved(client, login, chair, sizo, FIRST, "06-01")
    client.post("/login", data={"username": "chair.almaty", "password": "tekseru-demo"})
    refresh()  # the test's app context outlives requests; drop the cached language
    html = client.get(f"/review/facilities/{sizo.id}?lang=en").get_data(as_text=True)
    assert "Open findings" in html and "01.06.2026" not in html and "1 Jun 2026" in html
    assert html.count('class="sev-critical"') >= 3
