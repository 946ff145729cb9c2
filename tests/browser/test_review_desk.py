"""The chair's review desk in real Chromium: the whole flow, and axe on every review page.

It lives here, beside the PWA's browser tests, to share their one Playwright session (two
sync Playwright instances cannot run in one process); its helpers are in tests/review.
"""

import sys
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "review"))
from reviewtools import make_visit, push_ok  # noqa: E402

from server.extensions import db  # noqa: E402

SERIOUS = ("serious", "critical")


def _sign_in(page: Page, url: str, lang: str = "ru") -> None:
    """Sign the chair in through the login page."""
    page.goto(f"{url}/login?lang={lang}")
    page.fill("input[name=username]", "chair.almaty")
    page.fill("input[name=password]", "tekseru-demo")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/facilities/")


def _approve(page: Page) -> None:
    """Press Approve."""
    page.click("#approve")
    page.wait_for_load_state()


def test_chair_resolves_the_conflict_and_approves(live, context_factory, client, login, demo):
    visit = make_visit(client, login, demo.facility("almaty-sizo"))
    db.session.commit()
    page = context_factory().new_page()
    _sign_in(page, live.url)
    page.goto(live.url + "/review/")
    first = page.locator("table.dash tbody tr").first
    expect(first).to_have_class("crit")  # the worst facility comes first
    first.locator("th a").click()
    page.locator("#visits ~ div table tbody tr th a").first.click()
    expect(page.locator("h1")).to_contain_text("посещение")
    _approve(page)
    expect(page.locator("#error")).to_have_attribute("data-code", "open_conflicts")
    conflict = page.locator("article.conflict-open")
    conflict.locator("input[value=loser]").check()
    conflict.locator("textarea[name=reason]").fill("Сверено с журналом выдачи пищи")
    conflict.locator("button[type=submit]").click()
    expect(page.locator("p.flash")).to_have_text("Расхождение разрешено.")
    expect(page.locator("article.conflict-resolved .resolution")).to_contain_text("Сверено")
    # A tablet's operation arrives after the page was loaded: the approval is refused.
    push_ok(client, visit.headers_a, visit.tablet_a,
            [visit.tablet_a.answer(visit.id, "walk.minutes_per_day", 40)])
    db.session.commit()
    _approve(page)
    expect(page.locator("#error")).to_have_attribute("data-code", "changed_since")
    _approve(page)  # the refused page shows the visit as it is now, with a fresh cursor
    expect(page.locator("p.flash")).to_have_text("Посещение утверждено.")
    expect(page.locator("p.approved")).to_contain_text("Айгерим Сейтова")
    late = push_ok(client, visit.headers_b, visit.tablet_b,
                   [visit.tablet_b.answer(visit.id, "nutrition.meals_per_day", 1)])
    assert late["results"][0]["reason"] == "visit_locked"
    db.session.commit()


def _check(page: Page, axe: Axe, where: str) -> None:
    """Fail on any serious or critical axe violation."""
    results = axe.run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert bad == [], where


@pytest.mark.parametrize("lang,width", [("ru", 1280), ("kk", 800)])
def test_review_pages_have_no_serious_accessibility_violation(
        live, context_factory, client, login, demo, lang, width):
    sizo = demo.facility("almaty-sizo").id
    visit = make_visit(client, login, sizo)
    db.session.commit()  # never hold SQLite's write lock while the live server works
    page = context_factory().new_page()
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, live.url, lang)
    axe = Axe()
    for path in (f"/review/?lang={lang}", f"/review/facilities/{sizo}",
                 f"/review/visits/{visit.id}", "/review/export/", "/review/import",
                 "/review/devices"):
        page.goto(live.url + path)
        assert page.evaluate("document.documentElement.lang") == lang
        _check(page, axe, path)
    page.locator("details.revoke summary").first.click()  # the revocation's confirmation
    _check(page, axe, "/review/devices, confirmation open")
    page.goto(f"{live.url}/review/visits/{visit.id}")
    _approve(page)  # the refused page, with its alert
    _check(page, axe, "refused approval")
