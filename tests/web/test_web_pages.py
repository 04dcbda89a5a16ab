"""The pages, read in-process as a person would read them (no browser)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webcases import BY_LEVEL, EMERGENCY, SELF_CARE
from webhelpers import answer, current_screen, form_data, level_of, page, run_interview, text_of


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
    assert current_screen(response) == "emergency_signs"
    boxes = page(response).select('input[type="checkbox"][name="field.signs"]')
    assert len(boxes) > 5
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
        assert seen == ["emergency_signs"]  # ends at once


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
    factors = doc.find("details", id="section-factors")
    assert "Because you said" in factors.get_text()
    assert "hours sitting a day" in factors.get_text()
    checkpoints = doc.find("details", id="section-checkpoints").get_text()
    assert "Nov" in checkpoints or "Dec" in checkpoints or "20" in checkpoints


def test_back_shows_the_previous_screen_with_its_answers(client: TestClient) -> None:
    first = client.get("/interview")
    second = answer(client, first, {"signs": []})
    third = answer(client, second, {"signs": ["fever"]})
    assert current_screen(third) == "health_history"
    back = answer(client, third, action="back")
    assert current_screen(back) == "urgent_signs"
    fever = page(back).find("input", attrs={"value": "fever"})
    assert fever.has_attr("checked")


def test_change_an_earlier_answer(client: TestClient) -> None:
    first = client.get("/interview")
    second = answer(client, first, {"signs": []})
    third = answer(client, second, {"signs": ["fever"]})
    summary = page(third).find(id="so-far-heading").find_parent("section").get_text(" ")
    assert "A fever or high temperature" in summary
    edit = answer(client, third, action="edit:urgent_signs")
    assert current_screen(edit) == "urgent_signs"
    changed = answer(client, edit, {"signs": []})
    assert current_screen(changed) == "health_history"
    summary = page(changed).find(id="so-far-heading").find_parent("section").get_text(" ")
    assert "A fever or high temperature" not in summary


def test_a_bad_number_is_named_and_nothing_is_lost(client: TestClient) -> None:
    response = client.get("/interview")
    for _ in range(3):
        response = answer(client, response)
    assert current_screen(response) == "about_you"
    bad = answer(client, response, {"age": "thirty", "sex": "male"})
    assert bad.status_code == 422
    doc = page(bad)
    assert "Please enter a number" in doc.find(class_="error-summary").get_text()
    assert doc.find("input", attrs={"name": "field.age"})["aria-invalid"] == "true"
    assert doc.find("input", attrs={"value": "male"}).has_attr("checked")


def test_out_of_range_number_is_a_clear_422(client: TestClient) -> None:
    response = client.get("/interview")
    for _ in range(3):
        response = answer(client, response)
    bad = answer(client, response, {"age": "400"})
    assert bad.status_code == 422
    assert "age" in text_of(bad)


def test_tampered_state_means_start_again(client: TestClient) -> None:
    response = client.get("/interview")
    data = form_data(response, "/interview")
    data["state"] = data["state"][:-3] + "abc"
    stale = client.post("/interview", data=data)
    assert stale.status_code == 400
    assert "start again" in text_of(stale).lower()


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
    edit = answer(client, result, action="edit:emergency_signs")
    assert current_screen(edit) == "emergency_signs"
    assert page(edit).find("input", attrs={"value": "saddle"}).has_attr("checked")
    corrected = answer(client, edit, {"signs": []})
    assert current_screen(corrected) == "urgent_signs"  # the interview goes on


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
