from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from unknot.knowledge import Knowledge, load_knowledge


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
