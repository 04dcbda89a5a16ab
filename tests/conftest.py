from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from unknot.knowledge import Knowledge, load_knowledge


@pytest.fixture(autouse=True)
def _talk_to_the_app_as_a_browser_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Test clients address the app as a person's browser does, at http://127.0.0.1.

    Starlette's TestClient sends ``Host: testserver`` unless told otherwise, and the
    app answers only requests addressed to this machine (421 otherwise; see
    tests/web/test_web_hosts.py, which sends other Host headers on purpose).
    """
    try:
        from starlette.testclient import TestClient
    except ImportError:  # the web extras are not installed: nothing to change
        return
    defaults = TestClient.__init__.__defaults__ or ()
    if defaults and defaults[0] == "http://testserver":
        monkeypatch.setattr(
            TestClient.__init__, "__defaults__", ("http://127.0.0.1", *defaults[1:])
        )


@pytest.fixture(scope="session")
def kb() -> Knowledge:
    return load_knowledge()


def load_with_change(
    monkeypatch: pytest.MonkeyPatch, file: str, change: Callable[[dict[str, Any]], None]
) -> Knowledge:
    """Load the knowledge with one data file altered in memory (the files stay as they are)."""
    from unknot.knowledge import loader as loader_module

    real = loader_module._read

    def fake_read(name: str) -> object:
        data = real(name)
        if name == file:
            assert isinstance(data, dict)
            change(data)
        return data

    monkeypatch.setattr(loader_module, "_read", fake_read)
    loader_module.load_knowledge.cache_clear()
    try:
        return loader_module.load_knowledge()
    finally:
        loader_module.load_knowledge.cache_clear()
