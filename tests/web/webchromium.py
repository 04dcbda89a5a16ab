"""Driving Debian's Chromium through Playwright for the browser tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = next((Path(__file__).parent / "vendor").glob("axe-*.min.js"))
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """WCAG 2.1 A/AA violations axe-core finds on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG_21_AA,
    )
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["html"][:120] for n in v["nodes"]][:3]}
        for v in result["violations"]
    ]


def assert_accessible(page: Page) -> None:
    violations = axe_violations(page)
    assert not violations, f"{page.url}: " + json.dumps(violations, indent=1)


def mark_stale(page: Page) -> None:
    page.evaluate("() => { document.querySelector('main').dataset.stale = '1'; }")


def wait_replaced(page: Page) -> None:
    """Wait until the main content was replaced (full load or htmx swap)."""
    page.wait_for_selector("main:not([data-stale])")


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the focused element matches ``selector``."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => !!document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with the Tab key")


def is_checked(page: Page, selector: str) -> bool:
    return bool(page.evaluate("(s) => !!document.querySelector(s)?.checked", selector))


def answer_with_keyboard(page: Page, fields: dict[str, Any]) -> None:
    """Fill in the current interview screen with the keyboard only, then continue."""
    for field_id, value in fields.items():
        name = f"field.{field_id}"
        kind = page.evaluate("(n) => document.querySelector(`[name='${n}']`)?.type ?? null", name)
        if kind is None:
            continue  # the engine did not ask it (already known or not relevant)
        if kind == "checkbox":
            for v in value:
                selector = f'input[name="{name}"][value="{v}"]'
                tab_to(page, selector)
                page.keyboard.press("Space")
                assert is_checked(page, selector)
        elif kind == "radio":
            target = f'input[name="{name}"][value="{value}"]'
            tab_to(page, f'input[name="{name}"]')
            for _ in range(10):
                if is_checked(page, target):
                    break
                page.keyboard.press("ArrowDown")
            assert is_checked(page, target), target
        else:
            tab_to(page, f'input[name="{name}"]')
            page.keyboard.type(str(value))
    tab_to(page, 'button[value="next"]')
    mark_stale(page)
    page.keyboard.press("Enter")
    wait_replaced(page)


def current_screen(page: Page) -> str | None:
    return page.evaluate(
        "() => document.querySelector('#interview-form input[name=screen]')?.value ?? null"
    )  # type: ignore[no-any-return]
