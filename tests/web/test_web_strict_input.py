"""Strict input: whatever arrives (API, FHIR, diary bodies, pages) is checked at every depth.

A misspelt key must never be read as "not answered": for a danger sign that
would turn an emergency into self-care. Impossible numbers, dates and ids get a
422 that names the field, never a 500 and never a result computed from them.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from unknot.fhir.questionnaire import QUESTIONNAIRE_URL

EPISODE = {"started_at": "2024-05-01T08:00:00"}
HUGE = 2**63


def named(response: Any, key: str) -> bool:
    """The 422 names ``key`` (in a loc, a message or a FHIR expression)."""
    return key in response.text


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"answers": {"danger": {"sings": ["arm_weak"]}}}, "sings"),
        ({"answers": {"danger": {"signs": ["sadle"]}}}, "sadle"),
        ({"answers": {"danger": {"signs": [{"id": "arm_weak"}]}}}, "danger"),
        ({"answers": {"danger_sign": {"signs": []}}}, "danger_sign"),
        ({"answers": {"confirm": {"confrim": []}}}, "confirm"),
        ({"answers": {}, "to_confirm": ["sadle_numbness"]}, "sadle_numbness"),
        ({"answers": {}, "prefilled": {"saddle_numbnes": True}}, "saddle_numbnes"),
        ({"answers": {}, "answer": {}}, "answer"),
    ],
)
def test_interview_refuses_unknown_keys_at_every_depth(
    client: TestClient, body: dict[str, Any], key: str
) -> None:
    response = client.post("/api/interview", json=body)
    assert response.status_code == 422
    assert named(response, key)


def test_the_right_spelling_still_reaches_an_emergency(client: TestClient) -> None:
    body = {"answers": {"danger": {"signs": ["arm_weak"]}}}
    step = client.post("/api/interview", json=body).json()
    assert step["done"] and step["assessment"]["level"] == "emergency"


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"findings": {"age": 40}, "extra": 1}, "extra"),
        ({"findings": {"agee": 40}}, "agee"),
        ({"findings": {"age": 1e300}}, "age"),
        ({"findings": {"age": HUGE}}, "age"),
        ({"findings": {"age": -1}}, "age"),
        ({"findings": {"age": 40}, "today": "0001-01-01"}, "today"),
        ({"findings": {"age": 40}, "today": "9999-12-31"}, "today"),
        ({"findings": {"age": 40}, "today": "2024-02-30"}, "today"),
        ({"text": "x" * 5001}, "text"),
        ({"findings": {"age": 40}, "region": "x" * 21}, "region"),
    ],
)
def test_assess_refuses_what_cannot_be(client: TestClient, body: dict[str, Any], key: str) -> None:
    response = client.post("/api/assess", json=body)
    assert response.status_code == 422
    assert named(response, key)


@pytest.mark.parametrize("number", [b"Infinity", b"-Infinity", b"NaN", b"1e309", b"-1e309"])
@pytest.mark.parametrize(
    ("path", "template", "key"),
    [
        ("/api/assess", b'{"findings": {"age": %s}}', "age"),
        ("/api/diary/episodes", b'{"started_at": "2024-05-01T08:00:00", "peak_pain": %s}',
         "peak_pain"),
        ("/api/interview", b'{"answers": {"about_you": {"age": %s}}}', "about_you.age"),
    ],
)
def test_numbers_that_are_not_finite_are_422(
    client: TestClient, number: bytes, path: str, template: bytes, key: str
) -> None:
    response = client.post(
        path, content=template % number, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    assert named(response, key)


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({**EPISODE, "notes_": "x"}, "notes_"),
        ({**EPISODE, "tried": [{"remedy": "heat", "helpd": True}]}, "helpd"),
        ({**EPISODE, "tried": [{"remedy": "heet"}]}, "heet"),
        ({**EPISODE, "peak_pain": HUGE}, "peak_pain"),
        ({**EPISODE, "peak_pain": 11}, "peak_pain"),
        ({**EPISODE, "notes": "x" * 10_001}, "notes"),
        ({"started_at": "0001-01-01T00:00:00"}, "started_at"),
        ({"started_at": "0001-01-01T00:00:00+05:00"}, "started_at"),
        ({"started_at": "9999-12-31T23:59:59"}, "started_at"),
        ({"started_at": "2024-13-01T00:00:00"}, "started_at"),
        ({"started_at": 1714550400}, "started_at"),
    ],
)
def test_diary_bodies_refuse_what_cannot_be(
    client: TestClient, body: dict[str, Any], key: str
) -> None:
    response = client.post("/api/diary/episodes", json=body)
    assert response.status_code == 422, response.text
    assert named(response, key)
    assert client.get("/api/diary/episodes").json() == []  # nothing was saved


def test_a_long_note_is_not_echoed_back(client: TestClient) -> None:
    response = client.post("/api/diary/episodes", json={**EPISODE, "notes": "private " * 2000})
    assert response.status_code == 422 and "private" not in response.text


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", f"/api/diary/episodes/{HUGE}"),
        ("POST", f"/api/diary/episodes/{HUGE}/checkins"),
        ("GET", "/api/diary/episodes/0"),
        ("GET", f"/diary/episodes/{HUGE}"),
        ("GET", f"/diary/episodes/-{HUGE}"),
    ],
)
def test_ids_past_what_a_database_holds_are_422(
    client: TestClient, method: str, path: str
) -> None:
    body = {"at": "2024-05-01T08:00:00", "pain": 1, "feeling": "same"}
    response = client.request(method, path, json=body if method == "POST" else None)
    assert response.status_code == 422


@pytest.mark.parametrize("path", ["/api/assess", "/api/interview", "/api/diary/episodes",
                                  "/fhir/QuestionnaireResponse/$assess"])
def test_deeply_nested_json_is_a_4xx(client: TestClient, path: str) -> None:
    body = b"[" * 50_000 + b"]" * 50_000
    response = client.post(path, content=body, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500


def qr(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": items,
    }


def signs(link: str, code: str = "arm_weak") -> dict[str, Any]:
    return {"linkId": "danger",
            "item": [{"linkId": link, "answer": [{"valueCoding": {"code": code}}]}]}


@pytest.mark.parametrize(
    ("body", "item"),
    [
        (qr([signs("danger.sings")]), "danger.sings"),
        (qr([signs("danger.signs", "sadle")]), "danger.signs"),
        (qr([{"linkId": "about_you.age", "answer": [{"valueDecimal": 1e300}]}]), "age"),
        (qr([{"linkId": "about_you.age", "answer": [{"valueInteger": HUGE}]}]), "age"),
        (qr([{"linkId": "about_yu", "item": []}]), "about_yu"),
        ({**qr([]), "stauts": "completed"}, "stauts"),
        (qr([{"linkId": "about_you.age", "answer": [{"valueIntger": 40}]}]), "valueIntger"),
    ],
)
def test_fhir_refuses_unknown_items_with_an_operation_outcome(
    client: TestClient, body: dict[str, Any], item: str
) -> None:
    response = client.post("/fhir/QuestionnaireResponse/$assess", json=body)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/fhir+json")
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    issue = outcome["issue"][0]
    assert issue["severity"] == "error"
    assert item in issue["diagnostics"]


def test_fhir_with_the_right_spelling_is_an_emergency(client: TestClient) -> None:
    response = client.post("/fhir/QuestionnaireResponse/$assess",
                           json=qr([signs("danger.signs")]))
    assert response.status_code == 200 and response.json()["level"] == "emergency"


def test_fhir_body_that_is_not_json_is_an_operation_outcome(client: TestClient) -> None:
    response = client.post(
        "/fhir/QuestionnaireResponse/$assess",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert 400 <= response.status_code < 500
    assert response.json()["resourceType"] == "OperationOutcome"
