"""The free-text path: "Tell me what happened", then only what is still unknown."""

from __future__ import annotations

from fastapi.testclient import TestClient
from httpx import Response
from webhelpers import answer, current_screen, form_data, level_of, page, text_of

DOUBTFUL = "I think maybe I can't feel my bum when I wipe. Bent down to pick up my toddler."
OTHER_PERSON = "My husband, 61, hurt his lower back lifting a sofa two days ago. No numbness."
PLAIN = "Lifted a heavy box yesterday and my lower back locked. No numbness, peeing fine. 35F."


def _tell(client: TestClient, text: str) -> Response:
    form = form_data(client.get("/"), "/start/text")
    return client.post("/start/text", data={**form, "text": text})


def test_a_doubtful_danger_sign_is_confirmed_first(client: TestClient) -> None:
    response = _tell(client, DOUBTFUL)
    assert response.status_code == 200
    assert current_screen(response) == "confirm"
    doc = page(response)
    assert "Is that right?" in doc.find("h1").get_text()
    box = doc.find("input", attrs={"value": "saddle_numbness"})
    assert box is not None and not box.has_attr("checked")  # the person says yes or no
    assert doc.find("input", attrs={"value": "none"}) is not None
    assert "counts them as true" in text_of(response)
    assert "can't feel my bum when I wipe" in text_of(response).replace("’", "'")


def test_confirming_the_sign_ends_in_an_emergency(client: TestClient) -> None:
    response = _tell(client, DOUBTFUL)
    result = answer(client, response, {"confirm": ["saddle_numbness"]})
    assert level_of(result) == "emergency"


def test_unticking_the_sign_goes_on_with_the_questions(client: TestClient) -> None:
    response = _tell(client, DOUBTFUL)
    following = answer(client, response, {"confirm": ["none"]})
    assert current_screen(following) == "danger"
    down_below = answer(client, following, {"signs": ["down_below"]})
    assert current_screen(down_below) == "danger_details"
    saddle = page(down_below).find("input", attrs={"value": "saddle"})
    assert saddle is None  # answered already: not asked again


def test_leaving_the_doubtful_sign_unanswered_still_counts_it(client: TestClient) -> None:
    response = _tell(client, DOUBTFUL)
    result = answer(client, response, {})
    assert level_of(result) == "emergency"


def test_known_answers_are_not_asked_again(client: TestClient) -> None:
    response = _tell(client, PLAIN)
    seen = []
    while (screen := current_screen(response)) is not None:
        seen.append(screen)
        names = {i["name"] for i in page(response).select("input[name^='field.']")}
        assert "field.age" not in names and "field.sex" not in names
        response = answer(client, response)
        assert len(seen) < 15
    assert level_of(response) in {"self_care", "soon", "urgent"}


def test_writing_about_someone_else_is_noticed(client: TestClient) -> None:
    response = _tell(client, OTHER_PERSON)
    assert "writing about someone else (husband)" in text_of(response)


def test_api_assess_text_gives_the_words_behind_each_finding(client: TestClient) -> None:
    body = client.post("/api/assess", json={"text": PLAIN}).json()
    assert body["subject"] == "self"
    assert body["findings"]["age"] == 35
    assert body["quotes"]["age"] == ["35F"]
    assert body["level"] in {"self_care", "soon", "urgent", "emergency"}
