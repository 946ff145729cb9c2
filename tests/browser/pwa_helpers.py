"""Steps the browser tests share: sign in, start a visit, answer, read the local store."""

import time

from playwright.sync_api import Page, expect

ALMATY_SIZO = "almaty-sizo"
PIN = "482913"


def open_app(page: Page, url: str, pin: str | None = PIN) -> None:
    """Open the app, wait until it has started, and unlock it when it shows the lock screen."""
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=yes]")
    if pin and page.locator("main[data-view=lockView]").count():
        unlock(page, pin)


def reload(page: Page, pin: str | None = PIN) -> None:
    """Reload the app (which locks it: the key lived in memory) and unlock it again."""
    page.reload()
    page.wait_for_selector("body[data-ready=yes]")
    if pin:
        unlock(page, pin)


def unlock(page: Page, pin: str = PIN) -> None:
    """Type the PIN on the lock screen and wait until the screen behind it is back."""
    page.wait_for_selector("main[data-view=lockView] input[name=pin]")
    page.fill("input[name=pin]", pin)
    page.click("form[data-form=pin] button[type=submit]")
    page.wait_for_selector("main:not([data-view=lockView]):not([data-view=passwordView])")


def set_pin(page: Page, pin: str = PIN) -> None:
    """Choose the PIN on the screen that asks for it after the first sign-in."""
    page.wait_for_selector("main[data-view=pinSetupView] input[name=new-pin]")
    page.fill("input[name=new-pin]", pin)
    page.fill("input[name=new-pin-again]", pin)
    page.click("form[data-form=set-pin] button[type=submit]")
    page.wait_for_selector("main:not([data-view=pinSetupView])")


def sign_in(page: Page, url: str, username: str = "inspector.almaty",
            password: str = "tekseru-demo") -> None:
    """Sign in through the form, choose the PIN, wait for the facility list and the worker."""
    open_app(page, url)
    page.wait_for_selector("main[data-view=loginView]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=facilitiesView] .facility, main[data-view=pinSetupView]")
    if page.locator("main[data-view=pinSetupView]").count():
        set_pin(page)
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
    """Open one domain of the visit's checklist and wait for that new screen.

    The screen on display is marked first: when it already shows the same domain (the first
    one, right after starting a visit), waiting for the link alone would return before the
    new render replaces it, and an answer typed in between would go to a discarded input.
    """
    page.evaluate("""(target) => {
        if (location.hash === target) return;
        document.querySelector('main').firstElementChild?.setAttribute('data-stale', '');
        location.hash = target;
    }""", f"#/visit/{visit_id}/{domain}")
    page.wait_for_selector(
        f"main > :not([data-stale]) .domains a[data-domain={domain}][aria-current=page]")


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


def value_for(block_type: str, constraint: dict | None):
    """Return a valid answer for a question of a type."""
    if block_type == "boolean":
        return True
    if block_type == "text":
        return "Записано офлайн"
    low = (constraint or {}).get("min", 0)
    high = (constraint or {}).get("max", 1000)
    return max(low, min(high, 2))


def answer_domain(page: Page, form: dict, overrides: dict | None = None) -> int:
    """Answer every shown, unanswered question of the open domain; return how many."""
    overrides = overrides or {}
    by_id = {q["id"]: q for d in form["domains"] for q in d["questions"]}
    done = set()
    count = 0
    while True:
        todo = page.eval_on_selector_all(
            ".question[data-question]:not([hidden]):not(.photo-question)",
            "els => els.map(e => [e.dataset.question, e.dataset.regime, e.dataset.saved || ''])")
        todo = [(q, r) for q, r, saved in todo if (q, r) not in done and saved != "yes"]
        if not todo:
            return count
        for question_id, regime in todo:
            q = by_id[question_id]
            if q["type"] == "choice":
                value = q["choices"][0]["value"]
            else:
                value = overrides.get(question_id, value_for(q["type"], q.get("constraint")))
            answer(page, question_id, value, regime)
            done.add((question_id, regime))
            count += 1


def photo_bytes(width=2400, height=1800) -> bytes:
    """Return a JPEG with EXIF GPS data, larger than the app keeps."""
    import io

    from PIL import Image

    image = Image.new("RGB", (width, height), (120, 60, 30))
    for x in range(0, width, 40):
        image.paste((x % 255, 200, 90), (x, 0, x + 20, height))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif[0x8825] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 57.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif)
    return out.getvalue()


def add_photo(page: Page, data: bytes, name: str = "cell.jpg") -> None:
    """Pick a photo in the open domain's photo block and wait for its thumbnail."""
    before = page.locator(".photos-block .photo").count()
    page.locator(".photos-block input[type=file]").set_input_files(
        {"name": name, "mimeType": "image/jpeg", "buffer": data})
    expect(page.locator(".photos-block .photo")).to_have_count(before + 1)


def wait_synced(page: Page, timeout: float = 30) -> dict:
    """Wait until nothing waits to be sent (ops and photos); return the backlog."""
    wait_until(page, """import('/app/js/outbox.js').then((m) => m.backlog())
        .then((b) => b.pending === 0 && b.photos === 0)""", timeout)
    return backlog(page)


def wait_until(page: Page, script: str, timeout: float = 30) -> object:
    """Evaluate a script (awaiting its promise) until it is truthy; return its value.

    Playwright's wait_for_function does not wait for a promise's value, so poll here.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(script)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"never true: {script}")
        page.wait_for_timeout(200)
