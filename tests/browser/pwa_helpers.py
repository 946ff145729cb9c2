"""Steps the browser tests share: sign in, start a visit, answer, read the local store."""

from playwright.sync_api import Page, expect

ALMATY_SIZO = "almaty-sizo"


def open_app(page: Page, url: str) -> None:
    """Open the app and wait until it has started."""
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=yes]")


def sign_in(page: Page, url: str, username: str = "inspector.almaty",
            password: str = "tekseru-demo") -> None:
    """Sign in through the form and wait for the facility list and the service worker."""
    open_app(page, url)
    page.wait_for_selector("main[data-view=loginView]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=facilitiesView] .facility")
    wait_for_worker(page)


def wait_for_worker(page: Page) -> None:
    """Wait until a service worker controls the page."""
    page.wait_for_function("navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def start_visit(page: Page, facility_id: str) -> str:
    """Start a visit at a facility; return the visit id."""
    page.click(f"a[href='#/start/{facility_id}']")
    page.wait_for_selector("main[data-view=startView] form")
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=checklistView] .question")
    return page.evaluate("location.hash.split('/')[2]")


def go_domain(page: Page, visit_id: str, domain: str) -> None:
    """Open one domain of the visit's checklist."""
    page.evaluate(f"location.hash = '#/visit/{visit_id}/{domain}'")
    page.wait_for_selector(f".domains a[data-domain={domain}][aria-current=page]")


def question(page: Page, question_id: str, regime: str = ""):
    """Return the locator of a question block."""
    return page.locator(f".question[data-question='{question_id}'][data-regime='{regime}']")


def answer(page: Page, question_id: str, value, regime: str = "") -> None:
    """Answer a question through its input and wait until it is saved on the tablet."""
    block = question(page, question_id, regime)
    if isinstance(value, bool):
        block.locator(f"input[type=radio][value={'true' if value else 'false'}]").check()
    elif block.locator("select").count():
        block.locator("select").select_option(value)
    elif block.locator("textarea").count():
        block.locator("textarea").fill(str(value))
        block.locator("textarea").dispatch_event("change")
    else:
        block.locator("input.number").fill(str(value))
        block.locator("input.number").dispatch_event("change")
    expect(block).to_have_attribute("data-saved", "yes")


def backlog(page: Page) -> dict:
    """Return {pending, rejected, photos} from the tablet's store."""
    return page.evaluate("import('/app/js/outbox.js').then((m) => m.backlog())")


def sync_now(page: Page) -> None:
    """Run one sync cycle and wait for it."""
    page.evaluate("import('/app/js/sync.js').then((m) => m.run())")
