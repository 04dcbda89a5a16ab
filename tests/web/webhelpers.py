"""Helpers for the in-process web tests: read pages as a person would."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response


def page(response: Response) -> BeautifulSoup:
    return BeautifulSoup(response.text, "html.parser")


def text_of(response: Response) -> str:
    """The words on the page, whitespace collapsed."""
    return " ".join(page(response).get_text(" ").split())


def form_data(response: Response, action: str) -> dict[str, Any]:
    """The hidden fields of the first form posting to ``action``."""
    form = page(response).find("form", attrs={"action": action})
    assert form is not None, f"no form posting to {action}"
    return {
        str(i["name"]): str(i.get("value", ""))
        for i in form.find_all("input", attrs={"type": "hidden"})
    }


def interview_form(response: Response) -> tuple[str, dict[str, Any]]:
    """The interview screen's form: where it posts, and its hidden fields."""
    form = page(response).select_one("form#interview-form")
    assert form is not None, "no interview screen on this page"
    action = str(form["action"])
    return action, form_data(response, action)


def current_screen(response: Response) -> str | None:
    """The interview screen a page shows, or None when it shows something else."""
    field = page(response).select_one('form#interview-form input[name="screen"]')
    return str(field["value"]) if field else None


def answer(
    client: TestClient,
    response: Response,
    fields: dict[str, Any] | None = None,
    action: str = "next",
) -> Response:
    """Submit the interview screen on ``response`` with ``fields`` (field id -> value or list)."""
    form = page(response).select_one("form#interview-form") or page(response).find(
        "form", attrs={"action": "/interview"}
    )
    assert form is not None
    data: dict[str, Any] = {
        str(i["name"]): str(i.get("value", ""))
        for i in form.find_all("input", attrs={"type": "hidden"})
    }
    for field_id, value in (fields or {}).items():
        data[f"field.{field_id}"] = value
    data["action"] = action
    return client.post(str(form.get("action") or "/interview"), data=data)


def run_interview(
    client: TestClient, answers: dict[str, dict[str, Any]], limit: int = 30
) -> tuple[Response, list[str]]:
    """Answer every screen the engine asks (screens not in ``answers`` left blank)
    until the result; returns the result page and the screens seen."""
    response = client.get("/interview")
    seen: list[str] = []
    while (screen := current_screen(response)) is not None:
        assert len(seen) < limit, f"interview did not end: {seen}"
        seen.append(screen)
        response = answer(client, response, answers.get(screen))
        assert response.status_code == 200, text_of(response)
    return response, seen


def level_of(response: Response) -> str:
    """The level named by the result banner's css class (emergency, urgent, soon, self_care)."""
    banner = page(response).select_one("section.level")
    assert banner is not None, "no level banner"
    return next(c.removeprefix("level-") for c in banner["class"] if c.startswith("level-"))
