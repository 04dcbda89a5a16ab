"""No person's words or answers in the logs, whatever happens."""

from __future__ import annotations

import logging
import tempfile
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from webhelpers import answer, form_data, interview_form

from unknot.web import Settings
from unknot.web.serve import running

MARKER = "Quokka4711"  # a word no log line would contain by chance


def _everything(client: TestClient, base: str = "") -> None:
    """Send the marker through every way a person's words or answers come in."""
    start = client.get(base + "/")
    client.post(base + "/start/text", data={**form_data(start, "/start/text"), "text": MARKER})
    client.post(base + "/api/assess", json={"text": f"my back {MARKER}"})
    client.post(base + "/api/assess", json={"findings": {"age": MARKER}})
    client.post(base + "/api/assess", json={"findings": {MARKER: True}})
    client.post(base + "/api/interview", json={"answers": {MARKER: {}}})
    client.post(base + "/api/interview", json={"answers": {"about_you": {"sex": MARKER}}})
    client.post(
        base + "/api/diary/episodes",
        json={"started_at": "2026-01-02T10:00", "notes": MARKER, "regions": [MARKER]},
    )
    client.post(
        base + "/api/diary/episodes", json={"started_at": "2026-01-02T10:00", "notes": MARKER}
    )
    diary_form = form_data(client.get(base + "/diary/episodes/new"), "/diary/episodes")
    client.post(base + "/diary/episodes", data={**diary_form, "notes": MARKER, "peak_pain": MARKER})
    interview = client.get(base + "/interview", follow_redirects=True)
    action, data = interview_form(interview)
    client.post(base + action, data={**data, "field.signs": MARKER, "action": "next"})
    client.post(base + "/interview", data={**data, "state": MARKER})


def test_nothing_personal_is_logged(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    _everything(client)
    first = client.get("/interview")
    for _ in range(2):
        first = answer(client, first, {"signs": ["none"]})
    answer(client, first, {"age": "4711", "sex": "female"})
    assert caplog.records, "expected the app to log something at debug level"
    assert MARKER not in caplog.text
    assert "4711" not in caplog.text


def test_nothing_personal_is_logged_when_the_engine_fails(
    client: TestClient, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unknot.engine.entry as entry

    def broken(findings: Any, **kwargs: Any) -> Any:
        raise ValueError(f"cannot handle {dict(findings)} {MARKER}")

    monkeypatch.setattr(entry, "assess", broken)
    caplog.set_level(logging.DEBUG)
    response = client.post("/api/assess", json={"findings": {"age": 47}})
    assert response.json()["error"]
    assert "assessment failed: ValueError" in caplog.text
    assert MARKER not in caplog.text and "47" not in caplog.text


def test_server_access_log_has_no_answers(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with (
        tempfile.TemporaryDirectory() as tmp,
        running(
            Settings(secret_key="s", database_url=f"sqlite:///{tmp}/d.db"), log_level="info"
        ) as base,
        httpx.Client() as http,
    ):
        _everything(http, base)  # type: ignore[arg-type]
        assert http.get(base + "/health").status_code == 200
    assert '"POST /start/text HTTP/1.1"' in caplog.text  # the access log was captured
    assert MARKER not in caplog.text
