"""In a real browser (Debian's Chromium via Playwright): keyboard only, phone width,
without JavaScript, and axe-core's WCAG 2.1 A/AA checks on every page."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from webcases import BY_LEVEL, SELF_CARE
from webchromium import (
    CHROMIUM,
    CHROMIUM_ARGS,
    answer_with_keyboard,
    assert_accessible,
    current_screen,
    mark_stale,
    wait_replaced,
)

from unknot.web import Settings
from unknot.web.serve import running


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("diary") / "diary.db"
    with running(Settings(secret_key="browser-test", database_url=f"sqlite:///{db}")) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: `make test` installs Debian's chromium"
            + (" (CI must run the browser tests)" if os.environ.get("CI") else "")
        )
    with sync_playwright() as pw:
        launched = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watch:
    """Requests to other machines and console errors (a CSP violation is one)."""

    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.outside: list[str] = []
        self.errors: list[str] = []
        context.on(
            "request",
            lambda r: None if r.url.startswith((base_url, "data:")) else self.outside.append(r.url),
        )
        self.base_url = base_url

    def attach(self, page: Page) -> Page:
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        return page

    def allow_status(self, code: int) -> None:
        """A page answered with this status on purpose: Chromium logs that as an error."""
        self.errors = [e for e in self.errors if f"status of {code}" not in e]

    def check(self) -> None:
        assert not self.outside, f"requests left the machine: {self.outside}"
        assert not self.errors, f"console errors: {self.errors}"


def _context(browser: Browser, base_url: str, **options: Any) -> tuple[Page, Watch]:
    context = browser.new_context(**options)
    watch = Watch(context, base_url)
    return watch.attach(context.new_page()), watch


@pytest.fixture
def desktop(browser: Browser, base_url: str) -> Iterator[tuple[Page, Watch]]:
    page, watch = _context(browser, base_url, viewport={"width": 1280, "height": 900})
    yield page, watch
    page.context.close()


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[tuple[Page, Watch]]:
    page, watch = _context(
        browser,
        base_url,
        viewport={"width": 375, "height": 740},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield page, watch
    page.context.close()


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_keyboard_only_assessment_to_each_level(
    desktop: tuple[Page, Watch], base_url: str, level: str
) -> None:
    page, watch = desktop
    page.goto(base_url + "/")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("() => document.activeElement.textContent").strip().startswith("Skip")
    from webchromium import tab_to

    tab_to(page, 'a[href="/interview"].button')
    mark_stale(page)
    page.keyboard.press("Enter")
    wait_replaced(page)
    answers = BY_LEVEL[level]
    screens = 0
    while (screen := current_screen(page)) is not None:
        assert screens < 20
        assert_accessible(page)
        answer_with_keyboard(page, answers.get(screen, {}))
        screens += 1
    banner = page.locator("section.level")
    assert f"level-{level}" in (banner.get_attribute("class") or "")
    assert "Your result" in (banner.text_content() or "")
    assert "Not a diagnosis" in page.inner_text("body")
    assert_accessible(page)
    watch.check()


def test_htmx_enhances_without_full_reloads(desktop: tuple[Page, Watch], base_url: str) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    assert page.evaluate("() => typeof window.htmx") == "object"
    page.evaluate("() => { window.sameDocument = true; }")
    mark_stale(page)
    page.get_by_role("button", name="Continue").click()
    wait_replaced(page)
    assert current_screen(page) == "warning_signs"
    assert page.evaluate("() => window.sameDocument === true")  # swapped, not reloaded
    watch.check()


def test_works_without_javascript(browser: Browser, base_url: str) -> None:
    page, watch = _context(browser, base_url, java_script_enabled=False)
    page.goto(base_url + "/interview")
    for _ in range(20):
        if not page.locator('#interview-form input[name="screen"]').count():
            break
        if page.locator("#input-age").count():
            page.fill("#input-age", "29")
        with page.expect_navigation():
            page.get_by_role("button", name="Continue").click()
    assert "Your result" in (page.text_content("section.level") or "")
    watch.check()
    page.context.close()


def test_phone_width_fits_and_targets_are_big(phone: tuple[Page, Watch], base_url: str) -> None:
    page, watch = phone
    for path in ("/", "/about", "/interview", "/diary", "/diary/episodes/new", "/diary/delete"):
        page.goto(base_url + path)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways ({width}px)"
        small = page.evaluate(
            """() => [...document.querySelectorAll(
                    'main button, main .button, main label.option')]
                .filter(e => e.getBoundingClientRect().height < 44)
                .map(e => e.textContent.trim())"""
        )
        assert not small, f"{path}: touch targets under 44px: {small}"
        assert_accessible(page)
    # and a whole assessment on the phone
    page.goto(base_url + "/interview")
    while (screen := current_screen(page)) is not None:
        answers: dict[str, Any] = SELF_CARE.get(screen, {})
        for field_id, value in answers.items():
            name = f"field.{field_id}"
            for v in value if isinstance(value, list) else [value]:
                box = page.locator(f'input[name="{name}"][value="{v}"]')
                if box.count():
                    box.check()
                elif page.locator(f'input[type="text"][name="{name}"]').count():
                    page.fill(f'input[name="{name}"]', str(v))
        mark_stale(page)
        page.get_by_role("button", name="Continue").click()
        wait_replaced(page)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 375
    assert "Self-care" in page.inner_text("section.level")
    assert_accessible(page)
    watch.check()


FIRST_SCREEN_WORDS = """() => {
    const words = (t) => t.split(/\\s+/).filter(Boolean).length;
    const main = document.querySelector('main');
    const first = main.querySelector('details');
    let before = '';
    for (const el of main.querySelectorAll('.wrap > *')) {
        if (el === first) break;
        before += ' ' + el.innerText;
    }
    return {all: words(document.body.innerText), before: words(before)};
}"""


def _on_first_screen(page: Page, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    height = page.viewport_size["height"] if page.viewport_size else 0
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care", "nothing_answered"])
def test_result_first_screen_on_a_phone(browser: Browser, base_url: str, level: str) -> None:
    """390 px phone: level, what to do now and a tel: link without scrolling; short text."""
    page, watch = _context(
        browser,
        base_url,
        viewport={"width": 390, "height": 844},
        device_scale_factor=3,
        is_mobile=True,
        has_touch=True,
    )
    page.goto(base_url + "/interview")
    while (screen := current_screen(page)) is not None:
        _answer_screen(page, BY_LEVEL.get(level, {}).get(screen, {}))
        mark_stale(page)
        page.get_by_role("button", name="Continue").click()
        wait_replaced(page)
    assert _on_first_screen(page, "h1")
    assert _on_first_screen(page, "#now-heading")
    assert _on_first_screen(page, 'main a[href^="tel:"]')
    counts = page.evaluate(FIRST_SCREEN_WORDS)
    assert counts["all"] <= 800, counts
    assert counts["before"] <= 150, counts
    assert page.locator("main details[open]").count() == 0
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    page.locator("main details summary").first.click()  # opens without a script of ours
    assert page.locator("main details[open]").count() == 1
    assert_accessible(page)
    watch.check()
    page.context.close()


@pytest.mark.parametrize("path", ["/", "/about", "/learn", "/no-such-page"])
def test_pages_pass_axe(desktop: tuple[Page, Watch], base_url: str, path: str) -> None:
    page, watch = desktop
    response = page.goto(base_url + path)
    assert response is not None
    watch.allow_status(response.status)
    assert_accessible(page)
    watch.check()


def test_error_summary_passes_axe(desktop: tuple[Page, Watch], base_url: str) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    while current_screen(page) != "about_you":
        mark_stale(page)
        page.get_by_role("button", name="Continue").click()
        wait_replaced(page)
    page.fill("#input-age", "thirty")
    mark_stale(page)
    page.get_by_role("button", name="Continue").click()
    wait_replaced(page)
    assert "Please enter a whole number" in page.inner_text(".error-summary")
    assert_accessible(page)
    watch.allow_status(422)
    watch.check()


def test_axe_does_catch_a_violation(desktop: tuple[Page, Watch], base_url: str) -> None:
    """The accessibility check is real: a picture without alt text is reported."""
    from webchromium import axe_violations

    page, _ = desktop
    page.goto(base_url + "/about")
    page.evaluate(
        "() => { const i = document.createElement('img'); i.src = '/static/favicon.svg';"
        " document.querySelector('main').append(i); }"
    )
    assert "image-alt" in [v["id"] for v in axe_violations(page)]


def _answer_screen(page: Page, answers: dict[str, Any]) -> None:
    for field_id, value in answers.items():
        name = f"field.{field_id}"
        for v in value if isinstance(value, list) else [value]:
            box = page.locator(f'input[name="{name}"][value="{v}"]')
            if box.count():
                box.check()
            elif page.locator(f'input[type="text"][name="{name}"]').count():
                page.fill(f'input[name="{name}"]', str(v))


def test_diary_episode_from_assessment_to_chart(desktop: tuple[Page, Watch], base_url: str) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    while (screen := current_screen(page)) is not None:
        _answer_screen(page, SELF_CARE.get(screen, {}))
        mark_stale(page)
        page.get_by_role("button", name="Continue").click()
        wait_replaced(page)
    mark_stale(page)
    page.get_by_role("button", name="Start a diary episode from this").click()
    wait_replaced(page)
    assert page.locator("h1").first.text_content().startswith("Episode")
    assert_accessible(page)
    page.fill("#checkin-pain", "4")
    page.get_by_label("Better").check()
    mark_stale(page)
    page.get_by_role("button", name="Save check-in").click()
    wait_replaced(page)
    chart = page.locator("#chart-heading + svg, .chart svg").first
    assert chart.is_visible()
    assert page.locator(".chart svg circle").count() >= 2  # the start and the check-in
    assert "4/10" in page.inner_text("#checkins")
    assert_accessible(page)
    for path in ("/diary", "/diary/episodes/new", "/diary/summary", "/diary/delete"):
        page.goto(base_url + path)
        assert "Not a diagnosis" in page.inner_text("body")
        assert_accessible(page)
    watch.check()


def test_free_text_path(desktop: tuple[Page, Watch], base_url: str) -> None:
    """Typed words, a doubtful danger sign confirmed, then only the questions left."""
    from webchromium import tab_to

    page, watch = desktop
    page.goto(base_url + "/")
    tab_to(page, "textarea#text")
    page.keyboard.type(
        "Lifted a heavy box yesterday and my lower back locked. 35F. "
        "I think maybe my leg is a bit numb?"
    )
    tab_to(page, 'form[action="/start/text"] button')
    mark_stale(page)
    page.keyboard.press("Enter")
    wait_replaced(page)
    assert current_screen(page) == "confirm"
    assert "you wrote" in page.inner_text("main")
    assert_accessible(page)
    answer_with_keyboard(page, {})  # left unanswered: still counted, to be safe
    asked = []
    while (screen := current_screen(page)) is not None:
        asked.append(screen)
        assert page.locator('input[name="field.age"]').count() == 0  # read from the text
        answer_with_keyboard(page, {})
        assert len(asked) < 15
    assert "Your result" in (page.text_content("section.level") or "")
    assert "numbness" in page.inner_text("main")  # the confirmed sign is among the reasons
    assert_accessible(page)
    watch.check()
