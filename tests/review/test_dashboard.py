"""The dashboard: worst first, filters, and bounded queries with 300 facilities."""

import re
import time

from bulkdata import QueryCounter, make_facilities, make_visits
from flask_babel import refresh
from reviewtools import make_visit, push_ok

from server.extensions import db
from server.models import VisitSummary
from server.review.summaries import refresh_summaries

WARM_QUERY_LIMIT = 12


def _sign_in(client, username="chair.almaty"):
    """Sign a browser session in."""
    client.post("/login", data={"username": username, "password": "tekseru-demo"})


def _rows(html: str) -> list[str]:
    """Return the facility ids of the dashboard's rows, in order."""
    return re.findall(r'<tr class="[^"]*" data-facility="([0-9a-f-]+)"', html)


def test_dashboard_stays_bounded_with_300_facilities_and_3000_visits(app, client, demo):
    facilities = make_facilities(demo.commission("almaty"), 300)
    make_visits(facilities, demo.user("inspector.almaty"), per_facility=10)
    db.session.commit()
    _sign_in(client)
    with QueryCounter(db.engine) as cold:
        started = time.perf_counter()
        response = client.get("/review/")
        cold_seconds = time.perf_counter() - started
    assert response.status_code == 200
    assert db.session.query(VisitSummary).count() == 3000
    assert cold.count <= 20 + 6 * (3000 // 250 + 1)  # a fixed number of queries per chunk
    with QueryCounter(db.engine) as warm:
        started = time.perf_counter()
        html = client.get("/review/").get_data(as_text=True)
        warm_seconds = time.perf_counter() - started
    assert warm.count <= WARM_QUERY_LIMIT, warm.statements
    assert len(_rows(html)) == 306  # 300 + the six demo facilities of Almaty
    assert html.count('<svg class="spark"') == 300  # the demo facilities have no visits
    print(f"\ndashboard, 300 facilities / 3000 visits: cold {cold_seconds:.2f} s "
          f"({cold.count} queries), warm {warm_seconds:.3f} s ({warm.count} queries)")
    assert warm_seconds < 2.0


def test_a_change_recomputes_only_its_visits_summary(client, login, sizo, demo):
    visit = make_visit(client, login, sizo, conflict=False)
    facilities = make_facilities(demo.commission("almaty"), 20)
    make_visits(facilities, demo.user("inspector.almaty"), per_facility=3)
    db.session.commit()
    assert refresh_summaries() == 61
    assert refresh_summaries() == 0
    push_ok(client, visit.headers_a, visit.tablet_a,
            [visit.tablet_a.answer(visit.id, "walk.minutes_per_day", 120)])
    assert refresh_summaries() == 1


def test_worst_first_then_filters_and_sorting(client, login, demo):
    good = [("walk.minutes_per_day", 120), ("nutrition.drinking_water_always", True)]
    make_visit(client, login, demo.facility("almaty-ivs"), answers=good, conflict=False,
               submit=True)
    bad = make_visit(client, login, demo.facility("almaty-sizo"), conflict=False, submit=True)
    assert bad.id
    _sign_in(client)
    refresh()
    html = client.get("/review/?lang=en").get_data(as_text=True)
    order = _rows(html)
    sizo, ivs = str(demo.facility("almaty-sizo").id), str(demo.facility("almaty-ivs").id)
    assert order[0] == sizo and order.index(sizo) < order.index(ivs)
    assert "Facilities: 6; with unmet critical rules: 1" in html
    only_ivs = _rows(client.get("/review/?kind=ivs").get_data(as_text=True))
    assert only_ivs == [ivs]
    below = _rows(client.get("/review/?score_below=90").get_data(as_text=True))
    assert sizo in below and ivs not in below
    by_name = _rows(client.get("/review/?sort=name&order=desc").get_data(as_text=True))
    assert len(by_name) == 6 and by_name != order
    assert client.get("/review/?sort=nonsense").status_code == 422
    api = client.get("/api/v1/review/facilities", headers=login("chair.almaty")).get_json()
    assert api[0]["facility_id"] == sizo and api[0]["critical_unmet"] >= 2
    assert api[0]["next_due"] and api[0]["sets"]["mandela"]["score"] is not None


def test_ombudsman_sees_every_commission_and_filters_by_one(client, demo):
    _sign_in(client, "ombudsman")
    everything = _rows(client.get("/review/").get_data(as_text=True))
    assert len(everything) == 13
    karaganda = demo.commission("karaganda").id
    html = client.get(f"/review/?commission_id={karaganda}").get_data(as_text=True)
    assert len(_rows(html)) == 7 and 'name="commission_id"' in html
