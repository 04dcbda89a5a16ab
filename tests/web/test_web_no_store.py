"""Nothing personal is kept in a browser's or a proxy's cache."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/interview",
        "/diary",
        "/diary/episodes/1",
        "/diary/summary",
        "/diary/summary.pdf",
        "/diary/export.json",
        "/diary/export/episodes.csv",
        "/diary/reminders.ics",
        "/api/diary/episodes",
        "/api/diary/export",
        "/fhir/Questionnaire/unknot-interview",
        "/missing",
    ],
)
def test_personal_answers_are_never_cached(client: TestClient, path: str) -> None:
    created = client.post("/api/diary/episodes", json={"started_at": "2024-05-01T08:00:00"})
    assert created.status_code == 201
    response = client.get(path)
    assert response.status_code in (200, 404)
    assert response.headers["cache-control"] == "no-store"


def test_static_files_may_be_cached(client: TestClient) -> None:
    response = client.get("/static/unknot.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("cache-control", "")
