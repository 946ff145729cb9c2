"""Sensitive content (notes, photos, safeguards answers): the commission and the ombudsman
read it; an admin or another commission reads it through no API, page, report or export.
Reports print notes and exports free text only when asked for, and the choice is audited."""

import hashlib
import subprocess

import pytest
from flask_babel import refresh
from synctools import Device, new_id, picture, push_ok

from server.extensions import db
from server.models import AuditEvent

NAME = "Ivanov"  # a prisoner's name in a note and in a free-text answer
SOLITARY = 937  # persons held in solitary too long: a safeguards answer a critical rule quotes
SOLITARY_EN = "937 persons"  # as the review page and the English report print it
WITHHELD_EN = "withheld: sensitive"


@pytest.fixture
def sensitive_visit(client, demo, login):
    """Push a visit with a note, a safeguards answer naming a prisoner and a photo."""
    tablet, headers, visit_id = Device(), login("inspector.almaty"), new_id()
    data = picture(seed=11)
    sha = hashlib.sha256(data).hexdigest()
    push_ok(client, headers, tablet, [
        tablet.upsert(visit_id, demo.facility("almaty-sizo")),
        tablet.answer(visit_id, "nutrition.meals_per_day", 3),
        tablet.answer(visit_id, "heating.cold_season", True),
        tablet.answer(visit_id, "heating.cell_temperature_c", 17),  # not sensitive
        tablet.answer(visit_id, "safeguards.private_interviews_allowed", True),
        tablet.answer(visit_id, "safeguards.ill_treatment_allegations", 2),
        tablet.answer(visit_id, "safeguards.allegations_summary", f"{NAME} was beaten"),
        tablet.answer(visit_id, "safeguards.solitary_over_15_days", SOLITARY),
        tablet.note(visit_id, f"{NAME} asked us to come back", domain="safeguards"),
        tablet.photo(visit_id, sha, domain="safeguards")])
    put = client.put(f"/api/v1/blobs/{sha}", data=data,
                     headers={**headers, "Content-Type": "image/jpeg"})
    assert put.status_code in (200, 201)
    return {"id": visit_id, "sha": sha}


def _pdf_text(data: bytes) -> str:
    """Return a PDF's text."""
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def _readable(client, headers, visit) -> str:
    """Return everything a user gets about a visit through the API, as one text."""
    got = [client.get(f"/api/v1/visits/{visit['id']}", headers=headers).get_data(as_text=True),
           client.get("/api/v1/sync/pull?limit=1000", headers=headers).get_data(as_text=True),
           client.get("/api/v1/exports/answers?free_text=include",
                      headers=headers).get_data(as_text=True)]
    return "\n".join(got)


def test_admin_reads_no_sensitive_content(client, login, sensitive_visit):
    admin = login("admin")
    text = _readable(client, admin, sensitive_visit)
    assert NAME not in text and "safeguards.ill_treatment_allegations" not in text
    assert "nutrition.meals_per_day" in text  # the rest of the visit is there
    assert client.get(f"/api/v1/blobs/{sensitive_visit['sha']}",
                      headers=admin).status_code == 404
    pdf = client.get(f"/reports/visits/{sensitive_visit['id']}.pdf?lang=en&notes=include",
                     headers=admin)
    assert pdf.status_code == 200 and NAME not in _pdf_text(pdf.data)


def test_admin_review_page_hides_notes_photos_and_safeguards(app, sensitive_visit):
    client = app.test_client()
    client.post("/login", data={"username": "admin", "password": "tekseru-demo"})
    page = client.get(f"/review/visits/{sensitive_visit['id']}").get_data(as_text=True)
    assert NAME not in page and sensitive_visit["sha"] not in page
    assert client.get(f"/review/photos/{sensitive_visit['sha']}").status_code == 404


@pytest.mark.parametrize("username", ["chair.almaty", "ombudsman"])
def test_commission_and_ombudsman_read_it(client, login, sensitive_visit, username):
    headers = login(username)
    assert NAME in _readable(client, headers, sensitive_visit)
    assert client.get(f"/api/v1/blobs/{sensitive_visit['sha']}",
                      headers=headers).status_code == 200


def test_another_commission_reads_nothing(client, login, sensitive_visit):
    headers = login("chair.karaganda")
    assert client.get(f"/api/v1/visits/{sensitive_visit['id']}", headers=headers
                      ).status_code == 404
    assert NAME not in _readable(client, headers, sensitive_visit)
    assert client.get(f"/api/v1/blobs/{sensitive_visit['sha']}",
                      headers=headers).status_code == 404


def test_reports_print_notes_only_when_asked_and_audited(client, login, sensitive_visit):
    headers, url = login("ombudsman"), f"/reports/visits/{sensitive_visit['id']}.pdf?lang=en"
    plain = _pdf_text(client.get(url, headers=headers).data)
    assert "asked us to come back" not in plain
    chosen = _pdf_text(client.get(url + "&notes=include", headers=headers).data)
    assert "asked us to come back" in chosen
    flags = [e.data.get("notes_included") for e in db.session.execute(
        db.select(AuditEvent).filter_by(action="report_downloaded")
        .order_by(AuditEvent.seq)).scalars()]
    assert flags[-2:] == [False, True]


def test_exports_leave_free_text_out_unless_asked(client, login, sensitive_visit):
    headers = login("chair.almaty")
    plain = client.get("/api/v1/exports/answers", headers=headers).get_data(as_text=True)
    assert NAME not in plain and "safeguards.ill_treatment_allegations" in plain
    asked = client.get("/api/v1/exports/answers?free_text=include", headers=headers)
    assert NAME in asked.get_data(as_text=True)
    event = db.session.execute(db.select(AuditEvent).filter_by(action="export_downloaded")
                               .order_by(AuditEvent.seq.desc())).scalars().first()
    assert event.data["filters"]["free_text"] == "include"


def _score(client, headers, visit) -> dict:
    """Return a visit's score as the API gives it to a user."""
    response = client.get(f"/api/v1/visits/{visit['id']}/score", headers=headers)
    assert response.status_code == 200
    return response.json


def _solitary(score: dict, key: str) -> list[dict]:
    """Return the outcomes of the solitary-confinement rules in one list of a score."""
    return [r for r in score[key] if r["indicator"] == "safeguards.solitary_over_15_days"]


def _without_values(rules: list[dict]) -> list[dict]:
    """Return rule outcomes without their quoted values."""
    return [{k: v for k, v in r.items() if k not in ("value", "value_source", "value_withheld")}
            for r in rules]


def test_admin_score_withholds_safeguards_values_but_keeps_outcomes(client, login,
                                                                    sensitive_visit):
    full = _score(client, login("ombudsman"), sensitive_visit)
    admin = _score(client, login("admin"), sensitive_visit)
    for key in ("rules", "critical_unmet"):
        assert _solitary(full, key) and _solitary(admin, key)  # unmet and critical
        assert {r["value"] for r in _solitary(full, key)} == {SOLITARY}
        guarded = [r for r in admin[key] if r["domain"] == "safeguards"]
        assert guarded and all(r["value"] is None and r["value_source"] is None
                               and r["value_withheld"] for r in guarded)
        assert not any(r["value_withheld"] for r in admin[key] if r["domain"] != "safeguards")
        assert _without_values(admin[key]) == _without_values(full[key])  # same outcomes
    heating = [r for r in admin["rules"] if r["indicator"] == "heating.cell_temperature_c"]
    assert heating and {r["value"] for r in heating} == {17}  # the rest keeps its values
    for key in ("facility_score", "coverage", "overall", "domains", "sets"):
        assert admin[key] == full[key]  # the headline numbers are everyone's


@pytest.mark.parametrize("username", ["inspector.almaty", "chair.almaty", "ombudsman"])
def test_commission_and_ombudsman_score_quotes_safeguards_values(client, login,
                                                                 sensitive_visit, username):
    score = _score(client, login(username), sensitive_visit)
    for key in ("rules", "critical_unmet"):
        quoted = _solitary(score, key)
        assert quoted and all(r["value"] == SOLITARY and r["value_source"] == "answer"
                              and r["value_withheld"] is False for r in quoted)


def _page(app, username: str, visit) -> str:
    """Return the review page of a visit, in English, as a signed-in user sees it."""
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "tekseru-demo"})
    refresh()  # the test's app context outlives requests; drop the cached language
    response = client.get(f"/review/visits/{visit['id']}?lang=en")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_admin_review_page_withholds_quoted_safeguards_values(app, sensitive_visit):
    page = _page(app, "admin", sensitive_visit)
    assert SOLITARY_EN not in page and WITHHELD_EN in page
    assert "mandela-44-prolonged-solitary" in page  # the outcome itself is listed


@pytest.mark.parametrize("username", ["chair.almaty", "ombudsman"])
def test_review_page_quotes_safeguards_values_to_readers(app, sensitive_visit, username):
    page = _page(app, username, sensitive_visit)
    rules = page.split('class="rules"', 1)[1]  # the rule lists, past the page's header
    assert SOLITARY_EN in rules and WITHHELD_EN not in page


def _report(client, headers, visit) -> str:
    """Return the English visit report's text with its whitespace collapsed."""
    response = client.get(f"/reports/visits/{visit['id']}.pdf?lang=en", headers=headers)
    assert response.status_code == 200
    return " ".join(_pdf_text(response.data).split())


def test_admin_visit_report_withholds_safeguards_values(client, login, sensitive_visit):
    text = _report(client, login("admin"), sensitive_visit)
    assert SOLITARY_EN not in text and f"— ({WITHHELD_EN})" in text
    assert "17 °C" in text  # a value of another domain is printed


@pytest.mark.parametrize("username", ["chair.almaty", "ombudsman"])
def test_visit_report_quotes_safeguards_values_to_readers(client, login, sensitive_visit,
                                                          username):
    text = _report(client, login(username), sensitive_visit)
    assert SOLITARY_EN in text and WITHHELD_EN not in text


def test_approval_snapshot_is_read_only_by_those_who_read_the_visit_in_full(client, login,
                                                                           sensitive_visit):
    inspector, chair = login("inspector.almaty"), login("chair.almaty")
    tablet = Device()
    push_ok(client, inspector, tablet, [tablet.submit(sensitive_visit["id"])])
    cursor = client.get(f"/api/v1/visits/{sensitive_visit['id']}/conflicts",
                        headers=chair).get_json()["cursor"]
    approved = client.post(f"/api/v1/visits/{sensitive_visit['id']}/approve",
                           json={"cursor": cursor}, headers=chair)
    assert approved.status_code == 201, approved.get_json()
    url = f"/api/v1/visits/{sensitive_visit['id']}/approvals"
    for username in ("chair.almaty", "ombudsman"):
        history = client.get(url, headers=login(username)).get_json()
        assert NAME in str(history["approvals"][0]["snapshot"])
    admin = client.get(url, headers=login("admin"))
    assert admin.status_code == 200
    approval = admin.get_json()["approvals"][0]
    assert "snapshot" not in approval and NAME not in admin.get_data(as_text=True)
    assert approval["content_hash"] == approved.get_json()["content_hash"]
