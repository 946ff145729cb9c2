"""Real headless Chromium against the real app served on a loopback port.

Every test here is marked `browser`; they skip only when /usr/bin/chromium is absent. Each test
gets the clean test database with the demo data, served by werkzeug in a thread. They take
about a minute, so they run in both passes of the suite (SQLite and PostgreSQL).
"""

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


def pytest_collection_modifyitems(items):
    """Mark every test of this folder as a browser test."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


def _skip_reason():
    """Say why browser tests cannot run here, or None."""
    if not os.path.exists(CHROMIUM):
        return f"{CHROMIUM} is not installed (make test installs it as root)"
    return None


# Module scope: each test module starts and stops its own Playwright, so other folders that
# load these fixtures (tests/review/conftest.py) never run two sync Playwrights at once.
@pytest.fixture(scope="module")
def playwright_session():
    """Start Playwright for one test module."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_session):
    """Launch Debian's Chromium for one test module."""
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    yield browser
    browser.close()


class LiveServer:
    """The app on a free loopback port, in a thread."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def live(app, demo, playwright_session):
    """Serve the app with the demo data; yields the LiveServer."""
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def context_factory(browser, tmp_path):
    """Return a function making browser contexts (closed after the test)."""
    made = []

    def make(**options):
        context = browser.new_context(**{"viewport": {"width": 1024, "height": 768}, **options})
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def persistent(playwright_session, tmp_path):
    """Return a function opening a persistent context on one profile folder (a tablet)."""
    profile = tmp_path / "profile"
    opened = []

    def launch():
        context = playwright_session.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS,
            viewport={"width": 1024, "height": 768})
        opened.append(context)
        return context

    yield launch
    for context in opened:
        try:
            context.close()
        except Exception:  # noqa: BLE001 - already closed by the test
            pass
    shutil.rmtree(profile, ignore_errors=True)
