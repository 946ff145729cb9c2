"""Take the README's screenshots of the offline app from the real app in Chromium.

    .venv/bin/python scripts/pwa_screenshots.py

Writes docs/img/pwa-checklist-kk.png (the walk domain in Kazakh with a live warning and its
citation), docs/img/pwa-sync-status.png (the sync status while offline, with changes and a
photo waiting) and docs/img/pwa-lock-kk.png (the lock screen, offline, in Kazakh).
"""

import io

from PIL import Image
from pwa_live import ROOT, chromium, live_app, sign_in, start_visit

OUT = ROOT / "docs" / "img"
VIEWPORT = {"width": 900, "height": 1200}


def _answer(page, question, value, regime=""):
    block = page.locator(f".question[data-question='{question}'][data-regime='{regime}']")
    if isinstance(value, bool):
        block.locator(f"input[value={'true' if value else 'false'}]").check()
    else:
        block.locator("input.number").fill(str(value))
        block.locator("input.number").dispatch_event("change")
    block.locator("xpath=self::*[@data-saved='yes']").wait_for()


def _photo():
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 110, 120)).save(out, "JPEG")
    return out.getvalue()


def main():
    """Open the app, fill part of a visit offline and take both pictures."""
    OUT.mkdir(parents=True, exist_ok=True)
    with live_app() as url, chromium(viewport=VIEWPORT, device_scale_factor=1) as context:
        page = context.pages[0]
        page.goto(url + "/")
        page.wait_for_selector("body[data-ready=yes]")
        page.select_option("#lang", "kk")
        sign_in(page, url)
        visit = start_visit(page, "almaty-minimum")
        context.set_offline(True)
        page.evaluate(f"location.hash = '#/visit/{visit}/walk'")
        page.wait_for_selector(".domains a[data-domain=walk][aria-current=page]")
        _answer(page, "walk.minutes_per_day", 45, "strict")
        _answer(page, "walk.minutes_per_day", 90, "regular")
        _answer(page, "walk.minutes_per_day", 120, "eased")
        _answer(page, "walk.yard_adequate", False)
        page.locator(".photos-block input[type=file]").set_input_files(
            {"name": "yard.jpg", "mimeType": "image/jpeg", "buffer": _photo()})
        page.wait_for_selector(".photos-block .photo img")
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=str(OUT / "pwa-checklist-kk.png"), full_page=True)
        page.select_option("#lang", "ru")
        page.evaluate("location.hash = '#/status'")
        page.wait_for_selector("main[data-view=statusView] .facts dd[data-key=pending]")
        page.screenshot(path=str(OUT / "pwa-sync-status.png"), full_page=True)
        page.select_option("#lang", "kk")
        page.wait_for_selector("#lock-now")
        page.click("#lock-now")
        page.wait_for_selector("main[data-view=lockView] input[name=pin]")
        page.set_viewport_size({"width": 900, "height": 700})
        page.screenshot(path=str(OUT / "pwa-lock-kk.png"))
    print(f"screenshots written to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
