"""Sensitive content (notes, photos, safeguards answers): the commission and the ombudsman
read it; an admin or another commission reads it through no API, page, report or export.
Reports print notes and exports free text only when asked for, and the choice is audited."""

import hashlib
import subprocess

import pytest
from synctools import Device, new_id, picture, push_ok

from server.extensions import db
from server.models import AuditEvent

NAME = "Ivanov"  # a prisoner's name in a note and in a free-text answer


@pytest.fixture
def sensitive_visit(client, demo, login):
    """Push a visit with a note, a safeguards answer naming a prisoner and a photo."""
    tablet, headers, visit_id = Device(), login("inspector.almaty"), new_id()
    data = picture(seed=11)
    sha = hashlib.sha256(data).hexdigest()
    push_ok(client, headers, tablet, [
        tablet.upsert(visit_id, demo.facility("almaty-sizo")),
        tablet.answer(visit_id, "nutrition.meals_per_day", 3),
        tablet.answer(visit_id, "safeguards.private_interviews_allowed", True),
        tablet.answer(visit_id, "safeguards.ill_treatment_allegations", 2),
        tablet.answer(visit_id, "safeguards.allegations_summary", f"{NAME} was beaten"),
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
