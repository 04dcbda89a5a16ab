"""The compiled lexicon cache: used when it matches the files, rebuilt when it does not,
and a lexicon from the cache reads every text exactly as one built from the files."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from unknot.intake import extract, lexicon
from unknot.intake.lexicon import Lexicon
from unknot.knowledge import load_knowledge

TEXTS = [
    "I hurt my lower back lifting a box yesterday, it spasms when I bend, no numbness.",
    "My dad is 61, his back went 3 days ago and he can't pee properly, numb down there.",
    "Back spasm since Tuesday, pain 7/10, worse when I cough. No fever. I'm 34 and female.",
    "BACK WENT WHEN I SNEEZED!!! legs fine, no tingling or weakness",
    "Rücken tut weh seit gestern, ich habe Fieber",  # another language
    "Dolor in my back after the gym – deadlifts – about 2 weeks ago, 5’11 and 14 stone",
    "had cancer 5 years ago, now night pain in my mid back that wakes me up",
]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNKNOT_CACHE_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture(scope="module")
def built() -> Lexicon:
    """The lexicon built from the files, every pattern compiled and checked."""
    return lexicon.build_lexicon(lexicon._read(), load_knowledge())


def readings(lex: Lexicon, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    monkeypatch.setattr(extract, "load_lexicon", lambda: lex)
    out: list[object] = []
    for text in TEXTS:
        result = extract.extract_findings(text)
        out.append((result.findings, result.read, [(m.entry.spec.id, m.start, m.end)
                                                    for m in extract.find_mentions(text, lex)]))
    return out


def test_the_real_lexicon_builds_from_its_files(built: Lexicon) -> None:
    # every entry's regex compiled and checked against its examples, as CI must
    assert len(built.entries) > 100
    assert all(e.lower is not None or e.regex is not None for e in built.entries)


def test_first_run_writes_the_cache_and_the_next_reads_it_the_same(
    cache: Path, built: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = lexicon._cached_lexicon()
    (path,) = cache.glob("lexicon-*.pickle")
    loaded = lexicon._cached_lexicon()
    assert loaded is not first  # a new object, read from the file
    assert [e.spec for e in loaded.entries] == [e.spec for e in built.entries]
    assert loaded.vocabulary == built.vocabulary
    expected = readings(built, monkeypatch)
    assert expected[0][0]  # the first text is read: a lower back, lifting, yesterday
    assert readings(loaded, monkeypatch) == expected
    assert path.exists()


def test_a_corrupt_cache_is_rebuilt_not_trusted(
    cache: Path, built: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexicon._cached_lexicon()
    (path,) = cache.glob("lexicon-*.pickle")
    path.write_bytes(path.read_bytes()[:5000])  # cut short, as by a full disk
    again = lexicon._cached_lexicon()
    assert readings(again, monkeypatch) == readings(built, monkeypatch)
    with path.open("rb") as fh:
        assert pickle.load(fh)[1] == lexicon.lexicon_digest()  # written again, whole


def test_a_stale_cache_is_not_used(
    cache: Path, built: Lexicon, monkeypatch: pytest.MonkeyPatch
) -> None:
    lexicon._cached_lexicon()
    (path,) = cache.glob("lexicon-*.pickle")
    with path.open("rb") as fh:
        fmt, key, values = pickle.load(fh)
    values["entries"] = values["entries"][:3]  # another lexicon's entries
    path.write_bytes(pickle.dumps((fmt, "another lexicon's hash", values)))
    again = lexicon._cached_lexicon()
    assert len(again.entries) == len(built.entries)
    assert readings(again, monkeypatch) == readings(built, monkeypatch)


def test_damaged_regex_code_is_compiled_again() -> None:
    from unknot.intake.regexcode import precompile, restore

    pattern, flags, engine = precompile(r"(?<![\w'])numb(?:ness)?(?P<x>\d+)?", 0)
    damaged = (pattern, flags, (engine[0], b"\x00\x01\x02\x03", *engine[2:]))
    regex = restore(damaged)
    assert regex.search("some numbness 3") is not None
    assert regex.pattern == pattern
