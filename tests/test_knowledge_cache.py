"""The compiled knowledge cache: used when it matches the files, rebuilt when it does not."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from unknot.knowledge import Knowledge, loader


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNKNOT_CACHE_DIR", str(tmp_path))
    return tmp_path


def same_knowledge(a: Knowledge, b: Knowledge) -> bool:
    return (
        a.version == b.version
        and a.rules == b.rules
        and a.findings == b.findings
        and a.relief == b.relief
        and set(a.compiled) == set(b.compiled)
    )


def test_first_run_writes_the_cache_and_the_next_reads_it(cache: Path, kb: Knowledge) -> None:
    built = loader._cached_knowledge()
    files = list(cache.glob("knowledge-*.pickle"))
    assert len(files) == 1
    assert same_knowledge(built, kb)
    loaded = loader._cached_knowledge()
    assert same_knowledge(loaded, kb)
    # compiled conditions work after loading: a cauda equina sign is an emergency
    from unknot.engine import assess

    assert assess({"urinary_retention": True}, kb=loaded).level == "emergency"


def test_a_corrupt_cache_is_rebuilt_not_trusted(cache: Path, kb: Knowledge) -> None:
    loader._cached_knowledge()
    (path,) = cache.glob("knowledge-*.pickle")
    path.write_bytes(b"\x80\x05not a pickle at all")
    assert same_knowledge(loader._cached_knowledge(), kb)
    with path.open("rb") as fh:
        assert pickle.load(fh)[1] == loader.data_digest()  # written again, whole


def test_a_cache_for_other_files_is_not_used(cache: Path, kb: Knowledge) -> None:
    loader._cached_knowledge()
    (path,) = cache.glob("knowledge-*.pickle")
    with path.open("rb") as fh:
        fmt, _, values = pickle.load(fh)
    values["disclaimer"] = "changed"
    path.write_bytes(pickle.dumps((fmt, "some other files' hash", values)))
    assert loader._cached_knowledge().disclaimer == kb.disclaimer


def test_changed_files_give_another_cache_and_the_old_one_goes(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader._cached_knowledge()
    (old,) = cache.glob("knowledge-*.pickle")
    monkeypatch.setattr(loader, "data_digest", lambda: "f" * 64)
    loader._cached_knowledge()
    (new,) = cache.glob("knowledge-*.pickle")
    assert new != old


def test_a_broken_file_is_still_reported_with_a_cache_present(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    loader._cached_knowledge()
    original = loader._read

    def broken(name: str) -> object:
        data = original(name)
        if name == "triage_rules.yaml":
            assert isinstance(data, dict)
            data["rules"][0]["level"] = "whenever"
        return data

    monkeypatch.setattr(loader, "_read", broken)
    loader.load_knowledge.cache_clear()
    try:
        with pytest.raises(loader.KnowledgeError, match="triage_rules.yaml"):
            loader.load_knowledge()
    finally:
        loader.load_knowledge.cache_clear()
