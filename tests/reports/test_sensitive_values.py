"""Values quoted from sensitive (safeguards) answers: printed for the visit's commission and
the ombudsman office, withheld from an admin, and cached apart so one never gets the other's."""

from types import SimpleNamespace

import pytest
from conftest import BREACHES, pdf_text
from flask_babel import refresh
from report_factory import make_visit, when

from server.extensions import db

SOLITARY = 937  # persons held in solitary over 15 days: a critical safeguards rule breached
SOLITARY_EN = "937 persons"
WITHHELD_EN = "withheld: sensitive"
RULE = "mandela-44-prolonged-solitary"


@pytest.fixture
def solitary(demo):
    """Return a facility whose two approved visits breach the solitary rule (a finding)."""
    from server.review.approval import approve_visit, last_change

    facility, author = demo.facility("almaty-medium"), demo.user("inspector.almaty")
    overrides = {**BREACHES, "safeguards.solitary_over_15_days": SOLITARY}
    visits = [make_visit(facility, author, when(2026, month), quality=1.0, overrides=overrides)
              for month in (3, 6)]
    db.session.commit()
    for visit in visits:
        approve_visit(demo.user("chair.almaty"), visit.id, last_change(visit.id))
    db.session.commit()
    return SimpleNamespace(facility=facility, visits=visits)


def test_facility_report_withholds_values_from_an_admin_and_caches_apart(client, login,
                                                                         solitary):
    url = f"/reports/facilities/{solitary.facility.id}.pdf?lang=en"
    full = client.get(url, headers=login("ombudsman"))
    assert full.status_code == 200 and full.headers["X-Report-Cache"] == "miss"
    text = pdf_text(full.data)
    assert SOLITARY_EN in text and WITHHELD_EN not in text
    admin = client.get(url, headers={**login("admin"), "If-None-Match": full.headers["ETag"]})
    assert admin.status_code == 200  # not the ombudsman's rendering, not even as a 304
    assert admin.headers["ETag"] != full.headers["ETag"]
    assert admin.headers["X-Report-Cache"] == "miss"
    redacted = pdf_text(admin.data)
    assert SOLITARY_EN not in redacted and f"— ({WITHHELD_EN})" in redacted
    assert RULE in redacted  # the unmet rule itself is listed
    again = client.get(url, headers=login("admin"))
    assert again.headers["X-Report-Cache"] == "hit" and again.data == admin.data
    chair = client.get(url, headers=login("chair.almaty"))
    assert chair.headers["X-Report-Cache"] == "hit" and chair.data == full.data


def test_visit_report_cache_key_tells_withheld_values_apart(app, solitary):
    from server.reports.service import visit_report

    visit = solitary.visits[-1]
    full = visit_report(visit, "en", photos=False, sensitive=True)
    withheld = visit_report(visit, "en", photos=False, sensitive=False)
    assert full.key != withheld.key and full.etag != withheld.etag
    assert visit_report(visit, "en", photos=False, sensitive=False).key == withheld.key
    assert SOLITARY_EN in pdf_text(_render(full)) and SOLITARY_EN not in pdf_text(
        _render(withheld))


def _render(report) -> bytes:
    """Render a report (through the cache) and return its bytes."""
    from server.reports.service import pdf_file

    path, _cached = pdf_file(report)
    return path.read_bytes()


def test_findings_withhold_values_from_an_admin(client, login, solitary):
    url = f"/api/v1/facilities/{solitary.facility.id}/findings"
    full = {f["rule_id"]: f for f in client.get(url, headers=login("ombudsman")).json}
    admin = {f["rule_id"]: f for f in client.get(url, headers=login("admin")).json}
    assert full[RULE]["last_value"] == SOLITARY and full[RULE]["value_withheld"] is False
    assert [h[3] for h in full[RULE]["history"]] == [SOLITARY, SOLITARY]
    assert admin[RULE]["last_value"] is None and admin[RULE]["value_withheld"] is True
    assert [h[3] for h in admin[RULE]["history"]] == [None, None]
    assert admin[RULE]["status"] == full[RULE]["status"] == "open"  # the finding stays
    walk = next(f for f in admin.values() if f["indicator"] == "walk.minutes_per_day")
    assert walk["last_value"] == BREACHES["walk.minutes_per_day"]  # not sensitive
    visit = client.get(f"/api/v1/visits/{solitary.visits[-1].id}/findings",
                       headers=login("admin")).json
    carried = next(f for f in visit if f["rule_id"] == RULE)
    assert carried["value"] is None and carried["previous_value"] is None


@pytest.mark.parametrize(("username", "shown"), [("admin", False), ("chair.almaty", True),
                                                 ("ombudsman", True)])
def test_facility_page_withholds_finding_values_from_an_admin(app, solitary, username, shown):
    client = app.test_client()
    client.post("/login", data={"username": username, "password": "tekseru-demo"})
    refresh()  # the test's app context outlives requests; drop the cached language
    html = client.get(f"/review/facilities/{solitary.facility.id}?lang=en").get_data(
        as_text=True)
    assert "Open findings" in html and RULE in html
    assert (SOLITARY_EN in html) is shown and (WITHHELD_EN in html) is not shown
