"""In a real browser with JavaScript (htmx): Back, Reload and a link away keep the
answers and the result; a value that does not fit is shown on its screen; an expired
interview gives a neutral page."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page
from test_web_browser import Watch, base_url, browser, desktop  # noqa: F401 (fixtures)
from webcases import SELF_CARE
from webchromium import current_screen, mark_stale, wait_replaced


def _fill(page: Page, answers: dict[str, Any]) -> None:
    for field_id, value in answers.items():
        name = f"field.{field_id}"
        text = f'#interview-form input[type="text"][name="{name}"]'
        if page.locator(text).count():
            page.fill(text, str(value))
            continue
        for v in value if isinstance(value, list) else [value]:
            box = page.locator(f'#interview-form input[name="{name}"][value="{v}"]')
            if box.count():
                box.check()


def _continue(page: Page) -> None:
    mark_stale(page)
    page.locator('#interview-form button[value="next"]').click()
    wait_replaced(page)


def _shows(page: Page, answers: dict[str, Any]) -> None:
    """The screen shows these answers (ticks, choices and numbers)."""
    for field_id, value in answers.items():
        name = f"field.{field_id}"
        text = page.locator(f'#interview-form input[type="text"][name="{name}"]')
        if text.count():
            assert text.input_value() == str(value), name
            continue
        for v in value if isinstance(value, list) else [value]:
            box = page.locator(f'#interview-form input[name="{name}"][value="{v}"]')
            if box.count():
                assert box.is_checked(), f"{name}={v}"


def _after_history(page: Page, move: str) -> None:
    mark_stale(page)
    getattr(page, move)()
    page.wait_for_function("() => !document.querySelector('main[data-stale]')")
    page.wait_for_load_state()


def test_back_and_reload_at_every_step_keep_the_answers(
    desktop: tuple[Page, Watch],  # noqa: F811
    base_url: str,  # noqa: F811
) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    assert page.evaluate("() => typeof window.htmx") == "object"
    done: list[tuple[str, dict[str, Any]]] = []
    while (screen := current_screen(page)) is not None:
        answers = SELF_CARE.get(screen, {})
        _fill(page, answers)
        _continue(page)
        done.append((screen, answers))
        here = current_screen(page)
        _after_history(page, "reload")
        assert current_screen(page) == here  # Reload: the same step
        _after_history(page, "go_back")
        assert current_screen(page) == screen  # Back: the step before, answers kept
        _shows(page, answers)
        _after_history(page, "go_forward")
        assert current_screen(page) == here
        assert len(done) < 12
    assert "Self-care" in page.inner_text("section.level")
    _after_history(page, "reload")
    assert "Self-care" in page.inner_text("section.level")  # Reload keeps the result
    mark_stale(page)
    page.get_by_role("link", name="About", exact=True).click()
    wait_replaced(page)
    assert "About" in page.title()
    _after_history(page, "go_back")
    assert "Self-care" in page.inner_text("section.level")  # a link away and back
    _after_history(page, "go_back")
    last, answers = done[-1]
    assert current_screen(page) == last
    _shows(page, answers)
    watch.check()


def test_a_pain_score_that_does_not_fit_is_shown_in_place(
    desktop: tuple[Page, Watch],  # noqa: F811
    base_url: str,  # noqa: F811
) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    while current_screen(page) != "this_episode":
        _fill(page, SELF_CARE.get(current_screen(page) or "", {}))
        _continue(page)
    for bad in ("7.5", "11"):
        _fill(page, {**SELF_CARE["this_episode"], "pain": bad})
        _continue(page)
        assert current_screen(page) == "this_episode"
        assert "whole number from 0 to 10" in page.inner_text(".error-summary")
        assert page.input_value("#input-pain") == bad
        assert page.input_value("#input-days") == "1"  # the other answers are kept
        assert page.locator('input[name="field.trend"][value="improving"]').is_checked()
        watch.allow_status(422)
    _after_history(page, "reload")  # Reload after a bad value: the screen, not a dead end
    assert current_screen(page) == "this_episode"
    _fill(page, {**SELF_CARE["this_episode"], "pain": "7"})
    _continue(page)
    assert "Self-care" in page.inner_text("section.level")
    watch.check()


def test_an_expired_interview_gives_a_neutral_page(
    desktop: tuple[Page, Watch],  # noqa: F811
    base_url: str,  # noqa: F811
) -> None:
    page, watch = desktop
    page.goto(base_url + "/interview")
    _fill(page, {"signs": ["none"]})
    page.context.clear_cookies()  # the session is gone (as after a restart or a long wait)
    _continue(page)
    assert page.locator("h1").first.inner_text() == "This page has expired"
    assert page.locator("section.level").count() == 0
    assert "do not wait" not in page.inner_text("main").lower()
    mark_stale(page)
    page.get_by_role("link", name="Start the questions again").click()
    wait_replaced(page)
    assert current_screen(page) == "danger"
    watch.allow_status(403)  # the form's CSRF cookie went with the session
    watch.check()
