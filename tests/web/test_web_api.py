"""The JSON API: the same assessment as the CLI, stateless interview steps, clear 422s."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from unknot.engine import assess

FINDINGS: dict[str, Any] = {
    "age": 41,
    "trigger": ["lifting"],
    "location": ["lower_back"],
    "days_since_onset": 2,
    "saddle_numbness": False,
    "sitting_hours_per_day": 9,
}


def test_assess_returns_the_engines_json(client: TestClient) -> None:
    today = date(2026, 3, 2)
    response = client.post(
        "/api/assess?full=true",
        json={"findings": FINDINGS, "today": today.isoformat(), "region": "uk"},
    )
    assert response.status_code == 200
    assert response.json() == assess(FINDINGS, today=today, region="uk").to_dict()
    assert response.json()["emergency_number"] == "999"
    assert "not a diagnosis" in response.json()["disclaimer"]


def test_the_default_answer_is_compact_with_the_same_conclusions(client: TestClient) -> None:
    body = {"findings": FINDINGS, "today": "2026-03-02", "region": "uk"}
    compact = client.post("/api/assess", json=body)
    full = client.post("/api/assess?full=true", json=body).json()
    assert compact.status_code == 200
    short = compact.json()
    for key in ("level", "headline", "concerns", "factors", "unanswered", "disclaimer"):
        assert short[key] == full[key]
    # every advice item and checkpoint is still named, with its cautions; only the texts go
    assert [i["id"] for i in short["prevention_plan"]] == [i["id"] for i in full["prevention_plan"]]
    assert [i["cautions"] for i in short["prevention_plan"]] == [
        i["cautions"] for i in full["prevention_plan"]
    ]
    assert [c["date"] for c in short["checkpoints"]] == [c["date"] for c in full["checkpoints"]]
    assert all("text" not in i for p in short["relief_plan"] for i in p["items"])
    assert len(compact.content) < len(client.post("/api/assess?full=true", json=body).content)


def test_assess_emergency(client: TestClient) -> None:
    body = client.post("/api/assess", json={"findings": {"urinary_retention": True}}).json()
    assert body["level"] == "emergency"
    assert body["concerns"][0]["evidence"][0]["finding"] == "urinary_retention"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"findings": {"age": 400}}, "age"),
        ({"findings": {"favourite_colour": "blue"}}, "favourite_colour"),
        ({"findings": {"trigger": ["juggling"]}}, "trigger"),
        ({"findings": {"age": 40}, "today": "yesterday"}, "today"),
        ({"findings": {"age": 40}, "colour": 1}, "colour"),
    ],
)
def test_bad_input_is_a_422_naming_the_field(
    client: TestClient, payload: dict[str, Any], field: str
) -> None:
    response = client.post("/api/assess", json=payload)
    assert response.status_code == 422
    assert field in response.json()["detail"][0]["loc"]


def test_findings_or_text_but_not_both(client: TestClient) -> None:
    for payload in ({}, {"findings": {"age": 40}, "text": "sore back"}):
        response = client.post("/api/assess", json=payload)
        assert response.status_code == 422
        assert "either findings or text" in response.json()["detail"][0]["msg"]


def test_validation_errors_do_not_echo_what_was_sent(client: TestClient) -> None:
    response = client.post("/api/assess", json={"findings": {"age": 40}, "text": 12345})
    assert response.status_code == 422
    assert "12345" not in response.text


def test_interview_steps_until_the_result(client: TestClient) -> None:
    """Untouched checklists are unanswered: asked once more, then a provisional result."""
    answers: dict[str, dict[str, Any]] = {}
    step = client.post("/api/interview", json={"answers": answers}).json()
    assert step["screen"]["id"] == "danger"
    assert step["done"] is False and step["assessment"] is None
    seen = []
    while not step["done"]:
        seen.append(step["screen"]["id"])
        answers[step["screen"]["id"]] = {}
        step = client.post("/api/interview", json={"answers": answers}).json()
        assert len(seen) < 20
    assert seen[-1] == "recheck"
    assert step["assessment"]["level"] in {"self_care", "soon", "urgent", "emergency"}
    assert step["assessment"]["unanswered"]  # nothing was answered: not final
    assert step["progress"]["answered"] == len(seen)


def test_interview_contract_declares_findings_broad_questions_and_none(client: TestClient) -> None:
    step = client.post("/api/interview", json={"answers": {}}).json()
    items = {i["id"]: i for i in step["screen"]["fields"][0]["items"]}
    assert items["none"]["none"] is True and items["none"]["finding"] is None
    assert "urinary_retention" in items["down_below"]["findings"]
    assert items["arm_weak"]["finding"] == "arm_weakness" and items["arm_weak"]["value"] is True
    assert items["crash"] == {**items["crash"], "finding": "trigger", "value": "major_trauma"}
    details = client.post(
        "/api/interview", json={"answers": {"danger": {"signs": ["down_below"]}}}
    ).json()
    field = details["screen"]["fields"][0]
    assert field["after"] == "danger.signs.down_below"
    assert {i["finding"] for i in field["items"] if not i["none"]} >= {"saddle_numbness"}
    episode = client.post(
        "/api/interview",
        json={
            "answers": {
                "danger": {"signs": ["none"]},
                "warning_signs": {"signs": ["none"]},
                "about_you": {"age": 30, "sex": "male", "history": ["none"]},
            }
        },
    ).json()
    fields = {f["id"]: f for f in episode["screen"]["fields"]}
    assert fields["days"]["finding"] == "days_since_onset"
    assert fields["trend"]["finding"] == "pain_trend"


def test_why_step_comes_with_the_result_never_before(client: TestClient) -> None:
    answers: dict[str, Any] = {
        "danger": {"signs": ["none"]},
        "warning_signs": {"signs": ["none"]},
        "about_you": {"age": 30, "sex": "male", "history": ["none"]},
        "this_episode": {"days": 1, "trend": "improving", "trigger": ["lifting"]},
    }
    step = client.post("/api/interview", json={"answers": answers}).json()
    assert step["done"] is True and step["assessment"]["level"] == "self_care"
    assert step["why_screen"]["id"] == "why" and step["why_screen"]["stage"] == "lifestyle"
    answers["why"] = {"sitting": 10, "habits": ["slouch"]}
    refined = client.post("/api/interview", json={"answers": answers}).json()
    assert refined["done"] is True and refined["why_screen"] is None
    assert refined["assessment"]["factors"]
    urgent = {**answers, "warning_signs": {"signs": ["uncontrolled"]}}
    urgent.pop("why")
    step = client.post("/api/interview", json={"answers": urgent}).json()
    assert step["done"] is True and step["assessment"]["level"] == "urgent"


def test_interview_ends_at_once_on_an_emergency(client: TestClient) -> None:
    body = {"answers": {"danger": {"signs": ["arm_weak"]}}}
    step = client.post("/api/interview", json=body).json()
    assert step["done"] is True
    assert step["assessment"]["level"] == "emergency"
    assert step["why_screen"] is None


def test_interview_prefilled_doubtful_sign_is_confirmed_first(client: TestClient) -> None:
    body = {
        "answers": {},
        "prefilled": {"saddle_numbness": True},
        "to_confirm": ["saddle_numbness"],
    }
    step = client.post("/api/interview", json=body).json()
    assert step["done"] is False
    items = step["screen"]["fields"][0]["items"]
    assert [i["id"] for i in items] == ["saddle_numbness", "none"]
    assert step["doubtful"] == ["saddle_numbness"]


@pytest.mark.parametrize(
    ("answers", "loc"),
    [
        ({"no_such_screen": {}}, ["no_such_screen"]),
        ({"danger": {"signs": ["juggling"]}}, ["danger", "signs", "juggling"]),
        ({"danger": {"sings": ["none"]}}, ["danger", "sings"]),
        ({"danger": {"signs": ["none", "arm_weak"]}}, ["danger", "signs"]),
        ({"about_you": {"age": "old"}}, ["about_you", "age"]),
    ],
)
def test_interview_bad_answers_are_422_naming_the_key(
    client: TestClient, answers: dict[str, Any], loc: list[str]
) -> None:
    response = client.post("/api/interview", json={"answers": answers})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "answers", *loc]


def test_engine_failure_still_gives_seek_care_advice(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unknot.engine.entry as entry

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(entry, "assess", broken)
    body = client.post("/api/assess", json={"findings": {"age": 40}}).json()
    assert body["level"] == "urgent"
    assert body["error"]
    assert "medical advice" in body["headline"]


def test_schema_documents_the_assessment(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assess_op = schema["paths"]["/api/assess"]["post"]
    answer = assess_op["responses"]["200"]["content"]["application/json"]["schema"]
    refs = [option["$ref"] for option in answer["anyOf"]]
    assert any(r.endswith("/Assessment") for r in refs)  # ?full=true
    assert any(r.endswith("/AssessmentBrief") for r in refs)  # the compact default
    assert any(p["name"] == "full" for p in assess_op["parameters"])
    assert "422" in assess_op["responses"]


def test_diary_api_episode_checkin_and_retriage(client: TestClient) -> None:
    created = client.post(
        "/api/diary/episodes",
        json={"started_at": "2026-01-05T08:00", "regions": ["lower_back"], "peak_pain": 7},
    )
    assert created.status_code == 201
    episode = created.json()
    assert episode["regions"] == ["lower_back"]
    checkin = client.post(
        f"/api/diary/episodes/{episode['id']}/checkins",
        json={
            "at": "2026-01-06T09:00",
            "pain": 6,
            "feeling": "worse",
            "danger_signs": {"fever": True},
        },
    )
    assert checkin.status_code == 201
    body = checkin.json()
    assert body["retriaged"] is True and body["assessment"]["level"] == "urgent"
    listed = client.get("/api/diary/episodes").json()
    assert [e["id"] for e in listed] == [episode["id"]]
    assert client.get(f"/api/diary/episodes/{episode['id']}").json()["checkins"][0]["pain"] == 6


def test_diary_api_bad_input_names_the_field(client: TestClient) -> None:
    response = client.post(
        "/api/diary/episodes", json={"started_at": "2026-01-05T08:00", "peak_pain": 11}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "peak_pain"]
    assert client.get("/api/diary/episodes/42").status_code == 404


def test_diary_api_delete_needs_confirmation(client: TestClient) -> None:
    client.post("/api/diary/episodes", json={"started_at": "2026-01-05T08:00"})
    assert client.delete("/api/diary").status_code == 422
    assert client.delete("/api/diary?confirm=yes").json()["deleted"]
    assert client.get("/api/diary/episodes").json() == []
