from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from unknot.web import Settings, create_app


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(secret_key="test-secret", database_url=f"sqlite:///{tmp_path / 'diary.db'}")


@pytest.fixture
def app(settings: Settings) -> FastAPI:
    return create_app(settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def _show_tracebacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """UNKNOT_TEST_TRACEBACKS=1 prints the tracebacks the app hides from its logs."""
    import os
    import traceback

    if os.environ.get("UNKNOT_TEST_TRACEBACKS"):
        import unknot.web.errors as errors

        monkeypatch.setattr(errors.log, "error", lambda *a, **k: traceback.print_exc())
