"""Run the real app with demo data on a loopback port, and Chromium, for the PWA scripts.

Used by scripts/bench_pwa.py and scripts/pwa_screenshots.py: a temporary instance folder
(SQLite, blobs), migrated and loaded with the demo data, served by werkzeug in a thread.
"""

import os
import sys
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@contextmanager
def live_app():
    """Yield the base URL of a fresh app with the demo data."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    with tempfile.TemporaryDirectory(prefix="tekseru-pwa-") as folder:
        os.environ["TEKSERU_INSTANCE_PATH"] = folder
        os.environ.pop("DATABASE_URL", None)
        from server import create_app
        from server.demo import load_demo
        from server.extensions import db

        app = create_app({"LOG_LEVEL": "WARNING"})
        with app.app_context():
            upgrade()
            load_demo()
            db.session.commit()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=5)


@contextmanager
def chromium(profile: str | None = None, **options):
    """Yield a Chromium context: persistent on a profile folder when one is given."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as folder:
        context = playwright.chromium.launch_persistent_context(
            profile or folder, executable_path=CHROMIUM, args=ARGS, **options)
        try:
            yield context
        finally:
            context.close()


PIN = "482913"


def sign_in(page, url, username="inspector.almaty", password="tekseru-demo"):
    """Sign in through the app's form, choose the PIN, wait for the facility list and worker."""
    page.goto(url + "/")
    page.wait_for_selector("main[data-view=loginView]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=pinSetupView] input[name=new-pin]")
    page.fill("input[name=new-pin]", PIN)
    page.fill("input[name=new-pin-again]", PIN)
    page.click("form[data-form=set-pin] button[type=submit]")
    page.wait_for_selector("main[data-view=facilitiesView] .facility")
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def unlock(page, pin=PIN):
    """Type the PIN on the lock screen (every start shows it: the key lives in memory)."""
    page.wait_for_selector("main[data-view=lockView] input[name=pin]")
    page.fill("input[name=pin]", pin)
    page.click("form[data-form=pin] button[type=submit]")
    page.wait_for_selector("main:not([data-view=lockView])")


def start_visit(page, facility_key):
    """Start a visit at a demo facility; return its id."""
    from server.demo import demo_id

    page.click(f"a[href='#/start/{demo_id('facility:' + facility_key)}']")
    page.wait_for_selector("main[data-view=startView] form")
    page.click("form button[type=submit]")
    page.wait_for_selector("main[data-view=checklistView] .question")
    return page.evaluate("location.hash.split('/')[2]")
