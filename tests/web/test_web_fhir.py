"""FHIR: the interview as a Questionnaire with enableWhen; a response in, an assessment out."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from fhir.resources.questionnaire import Questionnaire

from unknot.fhir import QUESTIONNAIRE_URL, build_questionnaire
from unknot.knowledge import load_knowledge


def _items(q: Questionnaire) -> dict[str, Any]:
    out: dict[str, Any] = {}
    stack = list(q.item or [])
    while stack:
        item = stack.pop()
        out[item.linkId] = item
        stack.extend(item.item or [])
    return out


def test_questionnaire_is_valid_fhir_and_covers_every_screen(client: TestClient) -> None:
    response = client.get("/fhir/Questionnaire/unknot-interview")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/fhir+json")
    q = Questionnaire.model_validate(response.json())  # parses back: valid
    groups = [i.linkId for i in q.item]
    assert groups == [s.id for s in load_knowledge().screens]
    assert q.url == QUESTIONNAIRE_URL


def test_pregnancy_question_is_not_enabled_for_men() -> None:
    items = _items(build_questionnaire(load_knowledge()))
    pregnant = items["about_you.pregnant"]
    assert [(w.question, w.operator, w.answerCoding.code) for w in pregnant.enableWhen] == [
        ("about_you.sex", "!=", "male")
    ]


def test_every_simple_condition_becomes_enable_when() -> None:
    kb = load_knowledge()
    items = _items(build_questionnaire(kb))
    conditional = [
        (f"{s.id}.{f.id}", f.ask_when or f.skip_when)
        for s in kb.screens
        for f in s.fields
        if f.ask_when or f.skip_when
    ] + [(s.id, s.ask_when) for s in kb.screens if s.ask_when]
    assert conditional, "the knowledge has no conditional questions to check"
    for link, cond in conditional:
        if any(key in ("all", "any") for key in cond):
            continue  # nested logic stays always enabled (asking more is safe)
        asked = {w.question for w in items[link].enableWhen or []}
        setters = {
            f"{s.id}.{f.id}"
            for s in kb.screens
            for f in s.fields
            if f.finding in cond or any(i.finding in cond for i in f.items)
        }
        assert asked and asked <= setters, link


def test_checklists_are_repeating_codings() -> None:
    items = _items(build_questionnaire(load_knowledge()))
    signs = items["danger.signs"]
    assert signs.type == "coding" and signs.repeats is True
    assert {"down_below", "none"} <= {o.valueCoding.code for o in signs.answerOption}
    details = items["danger_details.down_below"]  # asked only after the broad yes
    assert [(w.question, w.answerCoding.code) for w in details.enableWhen] == [
        ("danger.signs", "down_below")
    ]


def test_unknown_questionnaire_is_404(client: TestClient) -> None:
    assert client.get("/fhir/Questionnaire/other").status_code == 404


def _response(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": items,
    }


def test_response_with_an_emergency_sign_is_an_emergency(client: TestClient) -> None:
    body = _response(
        [
            {
                "linkId": "danger",
                "item": [
                    {
                        "linkId": "danger.signs",
                        "answer": [{"valueCoding": {"code": "arm_weak"}}],
                    }
                ],
            }
        ]
    )
    result = client.post("/fhir/QuestionnaireResponse/$assess", json=body)
    assert result.status_code == 200
    assert result.json()["level"] == "emergency"


def test_response_numbers_and_choices_are_read(client: TestClient) -> None:
    body = _response(
        [
            {
                "linkId": "about_you",
                "item": [
                    {"linkId": "about_you.age", "answer": [{"valueInteger": 52}]},
                    {"linkId": "about_you.sex", "answer": [{"valueCoding": {"code": "male"}}]},
                ],
            }
        ]
    )
    result = client.post("/fhir/QuestionnaireResponse/$assess", json=body).json()
    assert result["findings"]["age"] == 52
    assert result["findings"]["sex"] == "male"


def test_invalid_responses_are_422(client: TestClient) -> None:
    post = client.post
    assert (
        post("/fhir/QuestionnaireResponse/$assess", json={"resourceType": "Patient"}).status_code
        == 422
    )
    bad_status = _response([])
    bad_status["status"] = "nonsense"
    assert post("/fhir/QuestionnaireResponse/$assess", json=bad_status).status_code == 422
    wrong_q = _response([])
    wrong_q["questionnaire"] = "http://example.org/other"
    response = post("/fhir/QuestionnaireResponse/$assess", json=wrong_q)
    assert response.status_code == 422
    assert response.json()["issue"][0]["expression"] == ["questionnaire"]
    bad_code = _response(
        [{"linkId": "danger.signs", "answer": [{"valueCoding": {"code": "juggling"}}]}]
    )
    assert post("/fhir/QuestionnaireResponse/$assess", json=bad_code).status_code == 422
