"""Live warnings in three languages, accessibility of every screen, a service-worker update."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect
from pwa_helpers import (
    answer,
    backlog,
    go_domain,
    open_app,
    question,
    sign_in,
    start_visit,
    wait_for_worker,
    wait_synced,
    wait_until,
)

from server.demo import demo_id

MINIMUM = str(demo_id("facility:almaty-minimum"))
WARNINGS = {
    "ru": ("45 мин — ниже нормы (Правила Нельсона Манделы (A/RES/70/175), правило 23(1)): "
           "не менее 1 час"),
    "kk": ("45 мин — нормадан төмен (Нельсон Мандела ережелері (A/RES/70/175), 23(1)-ереже): "
           "кемінде 1 сағат"),
    "en": "45 min — below Nelson Mandela Rules (A/RES/70/175), rule 23(1): at least 1 hour",
}


def _language(page, lang):
    page.select_option("#lang", lang)
    page.wait_for_function(f"document.documentElement.lang === '{lang}'")


def test_live_warning_with_citation_in_three_languages(live, context_factory):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, MINIMUM)
    go_domain(page, visit_id, "walk")
    answer(page, "walk.minutes_per_day", 45, "strict")
    answer(page, "walk.minutes_per_day", 90, "regular")
    for lang, text in WARNINGS.items():
        _language(page, lang)
        strict = question(page, "walk.minutes_per_day", "strict")
        expect(strict.locator(".warning[data-rule='mandela-23-1-outdoor-exercise']")).to_have_text(
            [f"{['критическое', 'сыни', 'critical'][['ru', 'kk', 'en'].index(lang)]} {text}"])
        regular = question(page, "walk.minutes_per_day", "regular")
        expect(regular.locator(".warning")).to_have_count(0)
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    assert page.evaluate("document.documentElement.lang") == "en"  # the choice is remembered


SERIOUS = ("serious", "critical")


def _axe(page, axe, screen):
    results = axe.run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in results.response["violations"] if v["impact"] in SERIOUS]
    assert bad == [], screen


@pytest.mark.parametrize(("lang", "width"), [("ru", 1024), ("kk", 390)])  # tablet, phone
def test_no_serious_accessibility_violation_on_any_screen(live, context_factory, lang, width):
    axe = Axe()
    page = context_factory(viewport={"width": width, "height": 800}).new_page()
    open_app(page, live.url)
    _language(page, lang)
    _axe(page, axe, "login")
    sign_in(page, live.url)
    _axe(page, axe, "facilities")
    page.click(f"a[href='#/start/{MINIMUM}']")
    page.wait_for_selector("main[data-view=startView] form")
    _axe(page, axe, "start")
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=checklistView] .question")
    visit_id = page.evaluate("location.hash.split('/')[2]")
    page.context.set_offline(True)
    go_domain(page, visit_id, "walk")
    answer(page, "walk.minutes_per_day", 45, "strict")
    _axe(page, axe, "checklist with a warning, offline")
    page.evaluate("location.hash = '#/status'")
    page.wait_for_selector("main[data-view=statusView] .facts dd")
    _axe(page, axe, "sync status")
    assert _small_targets(page) == 0  # touch targets
    page.click("#change-pin")
    page.wait_for_selector("main[data-view=pinSetupView] input[name=new-pin]")
    _axe(page, axe, "set the PIN")
    assert _small_targets(page) == 0
    page.click("#lock-now")
    page.wait_for_selector("main[data-view=lockView] input[name=pin]")
    _axe(page, axe, "lock screen")
    assert _small_targets(page) == 0
    page.click("#forgot-pin")
    page.wait_for_selector("main[data-view=passwordView] input[name=password]")
    _axe(page, axe, "unlock with the password")
    assert _small_targets(page) == 0


def _small_targets(page):
    """Count visible buttons, links styled as buttons and inputs smaller than a finger."""
    return page.evaluate("""() => [...document.querySelectorAll('button, a.button, input, select')]
        .filter((e) => e.offsetParent && e.type !== 'file').map((e) => e.getBoundingClientRect())
        .filter((r) => r.height < 44 || r.width < 28).length""")


def test_service_worker_update_keeps_pending_ops(live, context_factory, app, client, login):
    page = context_factory().new_page()
    sign_in(page, live.url)
    visit_id = start_visit(page, MINIMUM)
    page.context.set_offline(True)
    go_domain(page, visit_id, "nutrition")
    answer(page, "nutrition.meals_per_day", 2)
    answer(page, "nutrition.drinking_water_always", True)
    pending = backlog(page)["pending"]
    old = page.evaluate("caches.keys()")
    assert len([c for c in old if c.startswith("tekseru-shell-")]) == 1

    app.config["PWA_BUILD"] = "next-release"  # a new version is deployed
    page.context.set_offline(False)
    page.route("**/api/v1/sync/**", lambda route: route.abort())  # sync still failing
    page.reload()  # the browser finds the new worker, which installs and waits
    wait_until(page, "navigator.serviceWorker.getRegistration().then((r) => Boolean(r?.waiting))")
    page.reload()  # the next start: the waiting worker takes over
    page.wait_for_selector("body[data-ready=yes]")
    wait_for_worker(page)
    wait_until(page, "caches.keys().then((k) => k.includes('tekseru-shell-next-release'))")
    caches = page.evaluate("caches.keys()")
    assert [c for c in caches if c.startswith("tekseru-shell-")] == ["tekseru-shell-next-release"]
    assert backlog(page)["pending"] == pending
    page.unroute("**/api/v1/sync/**")
    open_app(page, live.url)
    wait_synced(page)
    visit = client.get(f"/api/v1/visits/{visit_id}", headers=login("inspector.almaty")).json
    assert {a["question_id"]: a["value"] for a in visit["answers"]} == {
        "nutrition.meals_per_day": 2, "nutrition.drinking_water_always": True}


def test_a_clock_far_ahead_is_pointed_out(live, context_factory):
    from datetime import datetime, timedelta

    page = context_factory().new_page()
    page.clock.install(time=datetime.now() + timedelta(hours=2))
    page.clock.resume()  # time runs on normally, two hours ahead of the server
    sign_in(page, live.url)
    page.evaluate("location.hash = '#/status'")
    notice = page.locator("main .card .notice[role=alert]")
    expect(notice).to_be_visible(timeout=15000)
    expect(notice).to_contain_text("120")
