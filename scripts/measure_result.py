"""Measure the result page on a 390 px phone, as issue 10 asks: words shown with
every section closed, words before the first section, and where the first tap-to-call
link sits. Usage: .venv/bin/python scripts/measure_result.py [level ...]
(levels: emergency urgent soon self_care; Debian's chromium at /usr/bin/chromium)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "tests" / "web"), str(ROOT / "tests")]

from playwright.sync_api import sync_playwright  # noqa: E402
from test_web_browser import FIRST_SCREEN_WORDS, _answer_screen  # noqa: E402
from webcases import BY_LEVEL  # noqa: E402
from webchromium import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    current_screen,
    mark_stale,
    wait_replaced,
)

from unknot.web import Settings  # noqa: E402
from unknot.web.serve import running  # noqa: E402


def main(levels: list[str]) -> None:
    db = Path(tempfile.mkdtemp()) / "diary.db"
    settings = Settings(secret_key="measure", database_url=f"sqlite:///{db}")
    with running(settings) as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for level in levels:
            context = browser.new_context(
                viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
            )
            page = context.new_page()
            page.goto(url + "/interview")
            while (screen := current_screen(page)) is not None:
                _answer_screen(page, BY_LEVEL[level].get(screen, {}))
                mark_stale(page)
                page.get_by_role("button", name="Continue").click()
                wait_replaced(page)
            words = page.evaluate(FIRST_SCREEN_WORDS)
            tel = page.locator('main a[href^="tel:"]').first.bounding_box() or {}
            print(
                f"{level:10} words shown: {words['all']:4}  before first section: "
                f"{words['before']:3}  first tel: link at y={tel.get('y', -1):.0f}px of 844"
            )
            context.close()
        browser.close()


if __name__ == "__main__":
    BY_LEVEL["nothing_answered"] = {}  # every question left blank: a provisional result
    main(sys.argv[1:] or list(BY_LEVEL))
