"""Security: headers on every response, CSRF on every form, request size limits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import form_data, page, text_of

from unknot.web import Settings, create_app
from unknot.web.security import CSRF_COOKIE


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/"),
        ("GET", "/about"),
        ("GET", "/health"),
        ("GET", "/static/unknot.css"),
        ("GET", "/missing"),
        ("POST", "/api/assess"),
    ],
)
def test_security_headers_on_every_response(client: TestClient, method: str, path: str) -> None:
    response = client.request(method, path, json={} if method == "POST" else None)
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    assert response.headers["x-frame-options"] == "DENY"


def test_csrf_cookie_is_strict_and_http_only(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_every_form_carries_a_csrf_token(client: TestClient) -> None:
    from webhelpers import page

    client.post(
        "/diary/episodes",
        data={**form_data(client.get("/diary/episodes/new"), "/diary/episodes")},
    )
    from webcases import SELF_CARE
    from webhelpers import run_interview

    result, _ = run_interview(client, SELF_CARE)
    pages = [result] + [
        client.get(path)
        for path in ("/", "/interview", "/diary/episodes/new", "/diary/episodes/1", "/diary/delete")
    ]
    for shown in pages:
        forms = page(shown).find_all("form", attrs={"method": "post"})
        assert forms, shown.url
        for form in forms:
            assert form.find("input", attrs={"name": "csrf_token"}) is not None, form.get("action")


@pytest.mark.parametrize(
    "path",
    [
        "/interview",
        "/start/text",
        "/diary/episodes",
        "/diary/episodes/from-result",
        "/diary/episodes/1/checkins",
        "/diary/episodes/1/end",
        "/diary/delete",
        "/region",
    ],
)
def test_form_posts_without_a_token_are_refused(client: TestClient, path: str) -> None:
    client.get("/")  # the browser has the cookie, the attacker's form has no token
    response = client.post(path, data={"text": "my back hurts", "state": ""})
    assert response.status_code == 403
    text = text_of(response)
    if path in ("/interview", "/start/text"):  # an old interview page: neutral, no warning
        assert "This page has expired" in text and "In an emergency call" in text
        assert page(response).select_one("section.level") is None
    else:
        assert "Get medical advice" in text  # still says what to do


def test_a_token_from_another_browser_is_refused(app: FastAPI) -> None:
    with TestClient(app) as victim, TestClient(app) as attacker:
        token = form_data(attacker.get("/"), "/start/text")["csrf_token"]
        victim.get("/")
        response = victim.post("/start/text", data={"csrf_token": token, "text": "hello"})
        assert response.status_code == 403


def test_a_token_signed_with_another_secret_is_refused(client: TestClient) -> None:
    other = create_app(Settings(secret_key="someone-else"))
    with TestClient(other) as foreign:
        token = form_data(foreign.get("/"), "/start/text")["csrf_token"]
        cookie = foreign.cookies[CSRF_COOKIE]
    client.cookies.set(CSRF_COOKIE, cookie)
    response = client.post("/start/text", data={"csrf_token": token, "text": "hello"})
    assert response.status_code == 403


def test_cross_site_posts_are_refused_even_to_the_api(client: TestClient) -> None:
    response = client.post(
        "/api/assess", json={"findings": {"age": 40}}, headers={"sec-fetch-site": "cross-site"}
    )
    assert response.status_code == 403


def test_api_refuses_form_encoded_bodies(client: TestClient) -> None:
    # a page on another site can only send "simple" bodies; the API reads JSON only
    response = client.post(
        "/api/assess", content=b"findings=1", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 422


def test_large_bodies_are_refused() -> None:
    app = create_app(Settings(secret_key="s", max_body_bytes=1000))
    with TestClient(app) as client:
        big = {"findings": {"age": 40}, "text": None, "region": "x" * 5000}
        response = client.post("/api/assess", json=big)
        assert response.status_code == 413
        assert "content-security-policy" in response.headers
        streamed = client.post(
            "/api/assess",
            content=(b"x" for _ in range(3000)),
            headers={"content-type": "application/json"},
        )
        assert streamed.status_code == 413


def test_no_interactive_docs_from_a_cdn(client: TestClient) -> None:
    assert client.get("/docs").status_code == 404
    assert client.get("/openapi.json").status_code == 200


def test_the_secret_survives_a_restart_and_is_private(tmp_path: Path) -> None:
    from unknot.web.settings import persistent_secret

    first = persistent_secret(tmp_path)
    assert persistent_secret(tmp_path) == first and len(first) >= 32
    assert (tmp_path / "web-secret").stat().st_mode & 0o077 == 0
