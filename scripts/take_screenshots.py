"""Screenshots of the main pages, desktop and phone, into docs/screenshots/.

Run with ``make screenshots`` (needs Debian's chromium at /usr/bin/chromium).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from unknot.web import Settings
from unknot.web.serve import running

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
# one definition of how Chromium is started, shared with the browser tests
sys.path.insert(0, str(ROOT / "tests" / "web"))
from webchromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

SIZES = {"desktop": (1280, 900), "phone": (375, 740)}


def press(page: Page, button: str = "Continue") -> None:
    """Click a button and wait until the page's main content has been replaced."""
    page.evaluate("() => document.querySelector('main').dataset.stale = '1'")
    page.get_by_role("button", name=button).first.click()
    page.wait_for_selector("main:not([data-stale])")


def load_images(page: Page) -> None:
    """Lazy pictures are only fetched near the viewport: fetch them all for a full-page shot."""
    page.evaluate(
        "() => Promise.all([...document.images].map(i => { i.loading = 'eager';"
        " return i.complete ? null : new Promise(r => { i.onload = i.onerror = r; }); }))"
    )


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running(Settings(database_url=f"sqlite:///{tmp}/diary.db")) as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for size, (width, height) in SIZES.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(base + "/")
            page.screenshot(path=OUT / f"start-{size}.png", full_page=True)
            page.fill(
                "#text",
                "Bent down to lift my toddler yesterday and my lower back seized. "
                "34F. I think maybe my leg is a bit numb?",
            )
            press(page)
            page.screenshot(path=OUT / f"free-text-confirm-{size}.png", full_page=True)
            page.goto(base + "/interview")
            page.screenshot(path=OUT / f"interview-{size}.png", full_page=True)
            for _ in range(2):
                press(page)
            page.fill("#input-age", "38")
            page.screenshot(path=OUT / f"interview-about-{size}.png", full_page=True)
            while page.get_by_role("button", name="Continue").count():
                if page.locator("#input-days").count():
                    page.fill("#input-days", "1")
                    page.get_by_label("Lifting").check()
                    page.get_by_label("Lower back").check()
                press(page)
            load_images(page)
            page.screenshot(path=OUT / f"result-{size}.png", full_page=True)
            if size == "desktop":
                press(page, "Start a diary episode from this")
                for pain, feeling in (("5", "About the same"), ("3", "Better")):
                    page.fill("#checkin-pain", pain)
                    page.get_by_label(feeling).check()
                    press(page, "Save check-in")
            else:
                page.goto(base + "/diary/episodes/1")
            page.screenshot(path=OUT / f"diary-episode-{size}.png", full_page=True)
            page.goto(base + "/diary")
            page.screenshot(path=OUT / f"diary-{size}.png", full_page=True)
            page.goto(base + "/diary/summary")
            page.screenshot(path=OUT / f"doctor-summary-{size}.png", full_page=True)
            page.goto(base + "/about")
            page.screenshot(path=OUT / f"about-{size}.png", full_page=True)
            page.close()
        browser.close()
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
