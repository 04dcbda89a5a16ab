"""The trust boundary of the local server: which Host it answers, which Origin may write.

A page on another domain that resolves to 127.0.0.1 (DNS rebinding) reaches the
server with its own name in the Host header; a page on another site that posts
here carries its own Origin. Both must be refused before anything is read or changed.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from webhelpers import form_data

from unknot.web import Settings, create_app

EPISODE = {"started_at": "2024-05-01T08:00:00", "notes": "rebinding-marker"}


def _episodes(client: TestClient) -> list[object]:
    response = client.get("/api/diary/episodes")
    assert response.status_code == 200
    episodes = response.json()
    assert isinstance(episodes, list)
    return episodes


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000", "localhost"])
def test_the_server_answers_its_own_names(client: TestClient, host: str) -> None:
    response = client.get("/health", headers={"host": host})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/", None),
        ("GET", "/api/diary/export", None),
        ("GET", "/diary/export.json", None),
        ("POST", "/api/diary/episodes", EPISODE),
        ("DELETE", "/api/diary?confirm=yes", None),
        ("POST", "/api/assess", {"findings": {"age": 40}}),
    ],
)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example"])
def test_another_host_gets_421_and_changes_nothing(
    client: TestClient, method: str, path: str, body: object, host: str
) -> None:
    assert client.post("/api/diary/episodes", json=EPISODE).status_code == 201
    before = _episodes(client)
    response = client.request(method, path, json=body, headers={"host": host})
    assert response.status_code == 421
    assert "rebinding-marker" not in response.text  # nothing of the diary is read out
    assert "content-security-policy" in response.headers
    assert _episodes(client) == before


@pytest.mark.parametrize("host", ["", "evil.example@127.0.0.1", "127.0.0.1:80:80", "[::1"])
def test_malformed_hosts_are_refused(client: TestClient, host: str) -> None:
    assert client.get("/health", headers={"host": host}).status_code == 421


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://127.0.0.1:9999", "file://", "garbage"]
)
def test_writes_from_another_origin_are_refused(client: TestClient, origin: str) -> None:
    before = _episodes(client)
    response = client.post(
        "/api/diary/episodes", json=EPISODE, headers={"host": "127.0.0.1:8000", "origin": origin}
    )
    assert response.status_code == 403
    deleted = client.delete(
        "/api/diary?confirm=yes", headers={"host": "127.0.0.1:8000", "origin": origin}
    )
    assert deleted.status_code == 403
    assert _episodes(client) == before


@pytest.mark.parametrize("site", ["cross-site", "same-site"])
def test_writes_marked_by_the_browser_as_from_elsewhere_are_refused(
    client: TestClient, site: str
) -> None:
    response = client.post("/api/diary/episodes", json=EPISODE, headers={"sec-fetch-site": site})
    assert response.status_code == 403
    assert _episodes(client) == []


def test_writes_from_the_same_origin_are_accepted(client: TestClient) -> None:
    headers = {
        "host": "127.0.0.1:8000",
        "origin": "http://127.0.0.1:8000",
        "sec-fetch-site": "same-origin",
    }
    response = client.post("/api/diary/episodes", json=EPISODE, headers=headers)
    assert response.status_code == 201
    # and a form post with its CSRF token, as the browser sends it
    fields = form_data(client.get("/diary/episodes/new"), "/diary/episodes")
    fields.update({"started_at": "2024-05-02T08:00"})
    posted = client.post("/diary/episodes", data=fields, headers=headers, follow_redirects=False)
    assert posted.status_code == 303


def test_configured_names_and_a_reverse_proxy(tmp_path: object) -> None:
    settings = Settings(
        secret_key="s",
        database_url=f"sqlite:///{tmp_path}/d.db",
        allowed_hosts=("unknot.home.arpa",),
        public_origin="https://unknot.example.org",
    )
    with TestClient(create_app(settings)) as client:
        assert client.get("/health", headers={"host": "unknot.home.arpa:8000"}).status_code == 200
        assert client.get("/health", headers={"host": "unknot.example.org"}).status_code == 200
        assert client.get("/health", headers={"host": "evil.example"}).status_code == 421
        proxied = {"host": "unknot.example.org", "origin": "https://unknot.example.org"}
        response = client.post("/api/diary/episodes", json=EPISODE, headers=proxied)
        assert response.status_code == 201
        other = {"host": "unknot.example.org", "origin": "https://evil.example"}
        assert client.post("/api/diary/episodes", json=EPISODE, headers=other).status_code == 403
        assert "Secure" in client.get("/", headers={"host": "unknot.example.org"}).headers[
            "set-cookie"
        ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("allowed_hosts", "*"),
        ("allowed_hosts", "http://x.example"),
        ("allowed_hosts", "a.example/path"),
        ("public_origin", "unknot.example.org"),
        ("public_origin", "https://unknot.example.org/app"),
        ("public_origin", "ftp://unknot.example.org"),
    ],
)
def test_bad_host_settings_are_refused(field: str, value: str) -> None:
    with pytest.raises(ValueError, match="UNKNOT_"):
        Settings.model_validate({field: value})


def test_host_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UNKNOT_ALLOWED_HOSTS", "a.home.arpa, b.home.arpa")
    monkeypatch.setenv("UNKNOT_PUBLIC_ORIGIN", "https://unknot.example.org/")
    settings = Settings.from_env()
    assert settings.allowed_hosts == ("a.home.arpa", "b.home.arpa")
    assert settings.public_origin == "https://unknot.example.org"
    assert settings.cookies_secure
