"""The pages, read in-process as a person would read them (no browser)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from webcases import BY_LEVEL, EMERGENCY, SELF_CARE, WHY
from webhelpers import (
    answer,
    current_screen,
    form_data,
    interview_form,
    level_of,
    page,
    run_interview,
    text_of,
)


def test_start_page_offers_free_text_and_questions(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    doc = page(response)
    form = doc.find("form", attrs={"action": "/start/text"})
    assert form is not None and form["method"] == "post"
    assert form.find("textarea", attrs={"name": "text"}) is not None
    assert doc.find("label", attrs={"for": "text"}) is not None
    assert doc.find("a", attrs={"href": "/interview"}) is not None


@pytest.mark.parametrize("path", ["/", "/about", "/interview", "/no-such-page"])
def test_every_page_says_it_is_not_a_diagnosis(client: TestClient, path: str) -> None:
    assert "Not a diagnosis" in text_of(client.get(path))


def test_pages_load_nothing_from_elsewhere(client: TestClient) -> None:
    for path in ("/", "/about", "/interview"):
        doc = page(client.get(path))
        for tag, attr in (("script", "src"), ("link", "href"), ("img", "src")):
            for element in doc.find_all(tag):
                url = str(element.get(attr, ""))
                assert not url.startswith(("http:", "https:", "//")), url
        assert not doc.find_all("script", src=False), "inline script found"
        assert not doc.select("[style]"), "inline style found"


def test_vendored_htmx_is_served_locally(client: TestClient) -> None:
    doc = page(client.get("/"))
    src = doc.find("script")["src"]
    assert src.startswith("/static/vendor/htmx-")
    script = client.get(src)
    assert script.status_code == 200 and b"htmx" in script.content


def test_about_page_names_sources_and_privacy(client: TestClient) -> None:
    text = text_of(client.get("/about"))
    assert "What Unknot is not" in text
    assert "NICE NG59" in text
    assert "Privacy" in text and "never written to logs" in text


def test_interview_starts_with_emergency_signs(client: TestClient) -> None:
    response = client.get("/interview")
    assert current_screen(response) == "danger"
    assert "since this started" in text_of(response).lower()
    boxes = page(response).select('input[type="checkbox"][name="field.signs"]')
    assert len(boxes) > 5
    assert boxes[-1]["value"] == "none"
    assert boxes[-1].find_parent("label").get_text(" ", strip=True) == "None of these"
    # every checkbox sits inside its label, so the whole row is the touch target
    assert all(box.find_parent("label") is not None for box in boxes)
    assert page(response).find("progress") is not None


@pytest.mark.parametrize("level", ["emergency", "urgent", "soon", "self_care"])
def test_interview_reaches_each_level(client: TestClient, level: str) -> None:
    result, seen = run_interview(client, BY_LEVEL[level])
    assert level_of(result) == level
    banner = page(result).select_one("section.level")
    assert banner is not None
    # the meaning is in words, not only colour
    assert banner.find("h1").get_text(" ", strip=True).startswith("Your result")
    assert "Not a diagnosis" in text_of(result)
    if level == "emergency":
        assert seen == ["danger", "danger_details"]  # ends at the first yes


def test_emergency_result_says_what_to_do_and_the_number(client: TestClient) -> None:
    result, _ = run_interview(client, EMERGENCY)
    text = text_of(result)
    assert "Emergency" in text
    assert "999" in text and "911" in text
    assert "Because you said" in text
    assert "around the genitals" in text


def test_self_care_result_has_plan_factors_checkpoints_and_sources(client: TestClient) -> None:
    result, _ = run_interview(client, SELF_CARE)
    doc = page(result)
    headings = [h.get_text(" ", strip=True) for h in doc.find_all("h2")]
    for wanted in (
        "What to do now",
        "Why it may have happened",
        "Relief plan",
        "Checkpoints",
        "Sources",
    ):
        assert wanted in headings
    checkpoints = doc.find("details", id="section-checkpoints").get_text()
    assert "Nov" in checkpoints or "Dec" in checkpoints or "20" in checkpoints


def test_why_step_is_offered_with_the_result_and_refines_it(client: TestClient) -> None:
    result, seen = run_interview(client, SELF_CARE)
    assert "why" not in seen  # never asked before the result
    doc = page(result)
    form = doc.find("form", id="why-form")
    assert form is not None and "Why did this happen?" in text_of(result)
    data = {str(i["name"]): str(i.get("value", "")) for i in form.find_all("input", type="hidden")}
    data.update({f"field.{k}": v for k, v in WHY.items()})
    refined = client.post(str(form["action"]), data={**data, "action": "next"})
    assert refined.status_code == 200 and level_of(refined) == "self_care"
    assert "hours sitting a day" in text_of(refined)
    assert page(refined).find("form", id="why-form") is None  # answered: not offered again


def test_no_why_step_with_an_emergency(client: TestClient) -> None:
    result, _ = run_interview(client, EMERGENCY)
    assert page(result).find("form", id="why-form") is None


def test_back_shows_the_previous_screen_with_its_answers(client: TestClient) -> None:
    first = client.get("/interview")
    second = answer(client, first, {"signs": ["none"]})
    third = answer(client, second, {"signs": ["fever"]})
    assert current_screen(third) == "warning_details"  # the details after a broad yes
    back = answer(client, third, action="back")
    assert current_screen(back) == "warning_signs"
    fever = page(back).find("input", attrs={"value": "fever"})
    assert fever.has_attr("checked")


def test_every_screen_has_an_address_that_reload_and_back_keep(client: TestClient) -> None:
    first = client.get("/interview")
    second = answer(client, first, {"signs": ["none"]})
    assert second.url.path.endswith("/warning_signs")
    again = client.get(first.url.path)  # Back to the first screen's address
    assert current_screen(again) == "danger"
    assert page(again).find("input", attrs={"value": "none"}).has_attr("checked")
    reloaded = client.get(second.url.path)
    assert current_screen(reloaded) == "warning_signs"
    assert reloaded.headers["cache-control"] == "no-store"
    result, _ = run_interview(client, SELF_CARE)
    assert result.url.path.endswith("/result")
    assert level_of(client.get(result.url.path)) == "self_care"  # Reload keeps the result


def test_change_an_earlier_answer(client: TestClient) -> None:
    first = client.get("/interview")
    second = answer(client, first, {"signs": ["none"]})
    third = answer(client, second, {"signs": ["fever"]})
    summary = page(third).find(id="so-far-heading").find_parent("section").get_text(" ")
    assert "A fever, chills or shivering" in summary
    edit = answer(client, third, action="edit:warning_signs")
    assert current_screen(edit) == "warning_signs"
    changed = answer(client, edit, {"signs": ["none"]})
    assert current_screen(changed) == "about_you"
    summary = page(changed).find(id="so-far-heading").find_parent("section").get_text(" ")
    assert "A fever, chills or shivering" not in summary


def _about_you(client: TestClient) -> Any:
    response = client.get("/interview")
    for _ in range(2):
        response = answer(client, response, {"signs": ["none"]})
    assert current_screen(response) == "about_you"
    return response


def test_a_bad_number_is_named_and_nothing_is_lost(client: TestClient) -> None:
    bad = answer(client, _about_you(client), {"age": "thirty", "sex": "male"})
    assert bad.status_code == 422
    doc = page(bad)
    assert "whole number from 0 to 120" in doc.find(class_="error-summary").get_text()
    assert doc.find("input", attrs={"name": "field.age"})["aria-invalid"] == "true"
    assert doc.find("input", attrs={"value": "male"}).has_attr("checked")


def test_out_of_range_number_is_a_clear_422(client: TestClient) -> None:
    bad = answer(client, _about_you(client), {"age": "400"})
    assert bad.status_code == 422
    assert "Please enter a whole number from 0 to 120" in text_of(bad)


@pytest.mark.parametrize("pain", ["7.5", "11"])
def test_a_pain_score_that_does_not_fit_stays_on_its_screen(client: TestClient, pain: str) -> None:
    response = answer(client, _about_you(client), {"age": "40", "sex": "male", "history": ["none"]})
    assert current_screen(response) == "this_episode"
    bad = answer(client, response, {"pain": pain, "days": "2", "trend": "worse"})
    assert bad.status_code == 422 and current_screen(bad) == "this_episode"
    assert "whole number from 0 to 10" in page(bad).find(class_="error-summary").get_text()
    doc = page(bad)
    assert doc.find("input", attrs={"name": "field.pain"})["value"] == pain
    assert doc.find("input", attrs={"name": "field.days"})["value"] == "2"
    assert doc.find("input", attrs={"value": "worse"}).has_attr("checked")
    fixed = answer(client, bad, {"pain": "7", "days": "2", "trend": "worse"})
    assert fixed.status_code == 200


def test_none_of_these_with_a_tick_is_asked_again(client: TestClient) -> None:
    first = client.get("/interview")
    bad = answer(client, first, {"signs": ["none", "arm_weak"]})
    assert bad.status_code == 422 and current_screen(bad) == "danger"
    assert "None of these" in page(bad).find(class_="error-summary").get_text()


@pytest.mark.parametrize("ident", ["nonsense", ""])
def test_an_expired_interview_gives_a_neutral_page(client: TestClient, ident: str) -> None:
    _, hidden = interview_form(client.get("/interview"))
    data = {**hidden, "state": ident, "action": "next"}
    for stale in (client.post("/interview", data=data), client.get(f"/interview/{ident}x/danger")):
        assert stale.status_code == 410
        text = text_of(stale)
        assert "This page has expired" in text and "Start the questions again" in text
        assert page(stale).select_one("section.level, .seek-care, .level-urgent") is None
        assert "do not wait" not in text.lower()


def test_free_text_without_words_asks_again(client: TestClient) -> None:
    response = client.post(
        "/start/text", data={**form_data(client.get("/"), "/start/text"), "text": "   "}
    )
    assert response.status_code == 422
    assert "write a few words" in text_of(response)


def test_exercise_pictures_are_served(client: TestClient) -> None:
    response = client.get("/exercises/knee_to_chest.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert client.get("/exercises/nope.svg").status_code == 404


def test_an_answer_ticked_by_mistake_can_be_changed_from_the_result(client: TestClient) -> None:
    result, _ = run_interview(client, EMERGENCY)
    assert level_of(result) == "emergency"
    edit = answer(client, result, action="edit:danger")
    assert current_screen(edit) == "danger"
    assert page(edit).find("input", attrs={"value": "down_below"}).has_attr("checked")
    corrected = answer(client, edit, {"signs": ["none"]})
    assert current_screen(corrected) == "warning_signs"  # the interview goes on


def test_choosing_a_region_names_its_emergency_number(client: TestClient) -> None:
    start = client.get("/")
    data = {**form_data(start, "/region"), "region": "uk"}
    chosen = client.post("/region", data=data)
    assert chosen.status_code == 200 and chosen.url.path == "/"
    assert "call 999 now" in text_of(chosen)
    assert page(chosen).find("option", attrs={"value": "uk"}).has_attr("selected")
    result, _ = run_interview(client, EMERGENCY)
    calls = [a.get_text(" ", strip=True) for a in page(result).find_all("a", href="tel:999")]
    assert "Call 999 (Emergency)" in calls
    bad = client.post("/region", data={**data, "region": "atlantis"})
    assert bad.status_code == 422


def test_region_form_only_goes_back_to_this_site(client: TestClient) -> None:
    data = {**form_data(client.get("/"), "/region"), "region": "us", "back": "//evil.example"}
    response = client.post("/region", data=data, follow_redirects=False)
    assert response.headers["location"] == "/"
