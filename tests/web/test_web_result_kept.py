"""The result page is made once per assessment and kept: a reload shows the same page,
and whatever the page depends on (an answer, the region, the day) makes it anew."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from webcases import EMERGENCY, SELF_CARE
from webhelpers import answer, current_screen, form_data, level_of, page, run_interview

from unknot.web.interview.store import InterviewState, InterviewStore


def test_a_reloaded_result_is_the_same_page(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    again = client.get(result.url.path)
    assert again.status_code == 200 and again.content == result.content
    assert again.headers["cache-control"] == "no-store"
    assert again.headers["content-type"] == result.headers["content-type"]
    assert again.headers["hx-push-url"] == result.url.path
    assert "content-security-policy" in again.headers


def test_a_changed_answer_changes_the_reloaded_result(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    assert level_of(client.get(result.url.path)) == "self_care"
    edit = answer(client, result, action="edit:danger")
    assert current_screen(edit) == "danger"
    changed = answer(client, edit, {"signs": ["down_below"]})
    while current_screen(changed) is not None:  # the details the new answer asks
        changed = answer(client, changed, EMERGENCY.get(current_screen(changed) or ""))
    assert changed.url.path == result.url.path and level_of(changed) == "emergency"
    assert level_of(client.get(result.url.path)) == "emergency"


def test_choosing_a_region_after_the_result_changes_its_number(client: TestClient) -> None:
    def calls(response: Response) -> list[str]:
        return [a.get_text(" ", strip=True) for a in page(response).select("a.button.call")]

    result, _ = run_interview(client, EMERGENCY)
    assert len(calls(client.get(result.url.path))) > 1  # no region chosen: every number
    data = {**form_data(client.get("/"), "/region"), "region": "uk", "back": result.url.path}
    chosen = client.post("/region", data=data)
    assert chosen.url.path == result.url.path
    assert calls(chosen) == ["Call 999 (Emergency)"]


def test_another_browser_does_not_get_a_kept_result(client: TestClient) -> None:
    result, _ = run_interview(client, EMERGENCY)
    assert client.get(result.url.path).status_code == 200
    client.cookies.clear()  # another browser, or this one after its session ended
    other = client.get(result.url.path)
    assert other.status_code == 410 and page(other).select_one("section.level") is None


def test_a_kept_page_is_made_anew_on_another_day(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = run_interview(client, SELF_CARE)
    kept: list[object] = []
    store = client.app.state.interviews  # type: ignore[attr-defined]
    original = store.keep_page

    def spy(cookie: str, ident: str, made_for: object, state: object, body: bytes) -> None:
        kept.append(made_for)
        original(cookie, ident, made_for, state, body)

    monkeypatch.setattr(store, "keep_page", spy)
    client.get(result.url.path)
    assert kept == []  # the same day: the kept page was shown

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return date.fromordinal(date.today().toordinal() + 1)

    monkeypatch.setattr("unknot.web.routes.interview.date", Tomorrow)
    assert level_of(client.get(result.url.path)) == "self_care"
    assert len(kept) == 1  # made again for the new day


def test_the_store_keeps_a_bounded_number_of_pages() -> None:
    store = InterviewStore(page_limit=2)
    idents = [store.new("cookie", InterviewState()) for _ in range(3)]
    for ident in idents:
        store.keep_page("cookie", ident, "day", InterviewState(), ident.encode())
    assert store.page("cookie", idents[0], "day") is None  # the oldest went first
    assert store.page("cookie", idents[2], "day") == idents[2].encode()
    assert store.page("cookie", idents[2], "another day") is None
    assert store.page("another session", idents[2], "day") is None
    store.save("cookie", idents[2], InterviewState(history=["danger"]))
    assert store.page("cookie", idents[2], "day") is None  # an answer changed


def test_a_page_made_from_answers_since_changed_is_not_kept() -> None:
    store = InterviewStore()
    ident = store.new("cookie", InterviewState())
    made_from = store.load("cookie", ident)
    assert made_from is not None
    store.save("cookie", ident, InterviewState(history=["danger"]))  # a post in between
    store.keep_page("cookie", ident, "day", made_from, b"old page")
    assert store.page("cookie", ident, "day") is None
