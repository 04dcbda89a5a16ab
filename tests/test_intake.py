"""Free-text intake: a person's own words read into findings, as a reader would check."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.engine import assess, validate_findings
from unknot.intake import extract_findings
from unknot.intake.lexicon import _read, build_lexicon, load_lexicon
from unknot.intake.numbers import parse_number
from unknot.knowledge import Knowledge, KnowledgeError

CASES_FILE = Path(__file__).with_name("intake_cases.yaml")
CASES: list[dict[str, Any]] = yaml.safe_load(CASES_FILE.read_text(encoding="utf-8"))
PHRASES: dict[str, dict[str, list[str]]] = yaml.safe_load(
    Path(__file__).with_name("intake_phrases.yaml").read_text(encoding="utf-8")
)
PRESENT = [(name, text) for name, texts in PHRASES["present"].items() for text in texts]
ABSENT = [(name, text) for name, texts in PHRASES["absent"].items() for text in texts]
CONTEXTS = ("negation", "family", "hypothetical", "past", "third_person", "doubt", "near_miss")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_narrative(case: dict[str, Any]) -> None:
    result = extract_findings(case["text"])
    found = result.findings
    for name, want in (case.get("expect") or {}).items():
        got = found.get(name)
        if isinstance(want, list):
            assert got is not None and set(want) <= got, f"{name}: want {want}, got {got}"
        elif isinstance(want, float):
            assert got == pytest.approx(want, abs=0.1), f"{name}: want {want}, got {got}"
        else:
            assert got == want, f"{name}: want {want!r}, got {got!r} ({result.evidence.get(name)})"
    for name in case.get("absent", []):
        assert name not in found, f"{name} should be unknown, read {found[name]!r} from " \
            f"{result.evidence.get(name)}"
    assert result.doubtful >= set(case.get("doubtful", []))
    assert result.subject == case.get("subject", "self")
    if "level" in case:
        assert assess(found).level == case["level"]


@pytest.mark.parametrize(("name", "text"), PRESENT)
def test_warning_sign_in_many_words(name: str, text: str) -> None:
    found = extract_findings(text).findings
    assert found.get(name) not in (None, False, "none"), f"{name} not read from {text!r}: {found}"


@pytest.mark.parametrize(("name", "text"), ABSENT)
def test_near_miss_phrase_is_not_read(name: str, text: str) -> None:
    found = extract_findings(text).findings
    assert found.get(name) in (None, False, "none"), f"{name} wrongly read from {text!r}"


def test_suite_says_every_finding_at_least_two_ways(kb: Knowledge) -> None:
    counts: Counter[str] = Counter()
    for case in CASES:
        counts.update((case.get("expect") or {}).keys())
    names = [n for n, spec in kb.findings.items() if spec.group != "derived"]
    too_few = [n for n in names if counts[n] < 2]
    assert not too_few, f"findings with fewer than two narratives: {too_few}"


def test_suite_covers_every_context() -> None:
    counts = Counter(case.get("context") for case in CASES)
    assert all(counts[c] >= 2 for c in CONTEXTS), counts


def test_findings_are_valid_for_the_engine(kb: Knowledge) -> None:
    for case in CASES:
        result = extract_findings(case["text"])
        assert validate_findings(result.findings, kb) == result.findings, case["id"]
        for name, value in result.findings.items():
            if kb.findings[name].type == "set":
                assert isinstance(value, frozenset)
            assert result.evidence[name], f"{case['id']}: no words behind {name}"


def test_evidence_is_the_persons_own_words() -> None:
    text = "Male, 50. No fever, but I think maybe my right foot is numb? Started 4 days ago."
    result = extract_findings(text)
    for words in (w for ws in result.evidence.values() for w in ws):
        for piece in words.split(" ... "):
            assert piece in text
    assert result.evidence["fever"] == ["No fever"]
    assert "numb" in result.evidence["leg_numbness"][0]
    assert result.findings["days_since_onset"] == 4


def test_doubt_counts_as_present_and_is_flagged() -> None:
    result = extract_findings("I think maybe it's numb down there?")
    assert result.findings["saddle_numbness"] is True
    assert result.doubtful == {"saddle_numbness"}
    assert assess(result.findings).level == "emergency"


def test_a_stated_sign_is_not_doubtful() -> None:
    result = extract_findings("Both my legs are numb.")
    assert result.findings["leg_numbness"] == "both_legs"
    assert result.doubtful == set()


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("temperature 37.9", False),
        ("temperature 38.0", True),
        ("my temp was 38,6 this morning", True),
        ("a fever of 100.4 F", True),
        ("thermometer read 99.5", False),
    ],
)
def test_a_temperature_of_38_c_or_100_4_f_is_a_fever(text: str, value: bool) -> None:
    assert extract_findings(text).findings["fever"] is value


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("it started three weeks ago", 21),
        ("for ten days", 10),
        ("it began yesterday", 1),
        ("this morning", 0),
        ("just now", 0),
        ("a fortnight ago", 14),
        ("going on six months now", 180),
    ],
)
def test_how_long_ago_in_words_and_digits(text: str, days: int) -> None:
    assert extract_findings(f"My back went into spasm {text}.").findings["days_since_onset"] == days


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("I drink two glasses of water a day", "water_glasses_per_day", 2),
        ("I sit about ten hours a day", "sitting_hours_per_day", 10),
        ("I'm 24 weeks pregnant", "pregnant", True),
        ("I just turned 18", "age", 18),
        ("I'm twenty-nine", "age", 29),
        ("pain is eight out of ten", "pain_score", 8),
        ("my temperature is 38.9", "fever", True),
        ("29F", "age", 29),
        ("male, 63", "age", 63),
        ("38M", "sex", "male"),
        ("45 year old man", "sex", "male"),
    ],
)
def test_numbers_ages_and_sexes_as_people_write_them(text: str, name: str, value: Any) -> None:
    assert extract_findings(text).findings[name] == value


def test_frequencies_are_not_durations() -> None:
    found = extract_findings("I run six days a week and sit ten hours a day.").findings
    assert "days_since_onset" not in found
    assert found["exercise_days_per_week"] == 6
    assert found["sitting_hours_per_day"] == 10


def test_someone_elses_history_is_not_the_persons() -> None:
    found = extract_findings("My mum had breast cancer and my brother has osteoporosis.").findings
    assert "cancer_history" not in found and "osteoporosis" not in found


def test_text_about_someone_else_is_assessed_as_them() -> None:
    result = extract_findings(
        "I'm 35. My grandad, 81, slipped on the stairs and his back is in spasm; "
        "he says he can't pee."
    )
    assert result.subject == "grandad"
    assert result.findings["age"] == 81 and result.findings["sex"] == "male"
    assert result.findings["urinary_retention"] is True


def test_empty_text_gives_no_findings_and_is_unread() -> None:
    result = extract_findings("   ")
    assert result.findings == {} and not result.read and result.unread_reason


def test_text_must_be_a_string() -> None:
    with pytest.raises(TypeError):
        extract_findings(None)  # type: ignore[arg-type]


def test_a_text_longer_than_a_description_is_refused() -> None:
    from unknot.intake import MAX_CHARS

    with pytest.raises(ValueError, match="too long"):
        extract_findings("x" * (MAX_CHARS + 1))


def test_to_dict_has_each_finding_with_its_words() -> None:
    data = extract_findings("45 year old man, twisted my back gardening").to_dict()
    assert data["subject"] == "self"
    assert data["findings"]["age"] == {"value": 45, "evidence": ["45 year old man"],
                                       "doubtful": False}
    assert data["findings"]["trigger"]["value"] == ["bending", "twisting"]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_gives_valid_findings(text: str) -> None:
    result = extract_findings(text)
    assert validate_findings(result.findings, load_lexicon_kb()) == result.findings


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([c["text"] for c in CASES]), min_size=1, max_size=4))
def test_joined_narratives_still_give_valid_findings(parts: list[str]) -> None:
    result = extract_findings(" ".join(parts))
    assert validate_findings(result.findings, load_lexicon_kb()) == result.findings


def load_lexicon_kb() -> Knowledge:
    from unknot.knowledge import load_knowledge

    return load_knowledge()


# ---- the lexicon file itself ----

def test_lexicon_loads_and_names_only_known_findings(kb: Knowledge) -> None:
    lex = load_lexicon()
    named = {n for e in lex.entries for n in e.spec.sets}
    assert named <= set(kb.findings)
    assert len({e.spec.id for e in lex.entries}) == len(lex.entries)


def _broken(change: Any) -> dict[str, Any]:
    raw = copy.deepcopy(_read())
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda r: r["entries"][0]["sets"].update({"not_a_finding": True}), "unknown finding"),
        (lambda r: r["entries"][0]["examples"].append("zzz qqq"), "example does not match"),
        (lambda r: r["entries"][0]["patterns"].append("(?P<n>1) (unclosed"), "bad pattern"),
        (lambda r: r["entries"][0]["patterns"].append("{nosuchmacro}"), "unknown macro"),
        (lambda r: r["entries"].append(dict(r["entries"][0])), "duplicate id"),
        (lambda r: r["entries"][0].pop("examples"), "examples"),
    ],
)
def test_a_broken_lexicon_is_reported_by_entry(kb: Knowledge, change: Any, message: str) -> None:
    raw = _broken(change)
    first = raw["entries"][0]["id"]
    with pytest.raises(KnowledgeError) as err:
        build_lexicon(raw, kb)
    assert message in str(err.value) and "lexicon/person.yaml" in str(err.value)
    assert err.value.item == first


@pytest.mark.parametrize(
    ("text", "value"),
    [("38.9", 38.9), ("38,9", 38.9), ("ten", 10), ("twenty-four", 24), ("Twenty four", 24),
     ("a couple of", 2), ("a few", 3), ("banana", None), ("", None)],
)
def test_numbers_in_words_and_digits(text: str, value: float | None) -> None:
    assert parse_number(text, load_lexicon().numbers) == value


# ---- privacy and start-up cost ----

def test_the_text_never_reaches_a_log(
    caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    import logging

    from loguru import logger

    secret = "Zanzibarquux"
    sink: list[str] = []
    handle = logger.add(sink.append, level="TRACE")
    try:
        with caplog.at_level(logging.DEBUG):
            extract_findings(f"{secret} says no fever. {secret}! My legs are numb, {secret}.")
    finally:
        logger.remove(handle)
    out, err = capfd.readouterr()
    assert secret not in caplog.text and secret not in out and secret not in err
    assert not any(secret in message for message in sink)


def test_reading_text_loads_no_spacy_numpy_or_loguru() -> None:
    """The reader is plain Python: reading a text imports none of the heavy
    libraries the medspaCy reader needed (they are the tests' reference only)."""
    code = (
        "import sys, unknot.cli; from unknot.intake import extract_findings; "
        "found = extract_findings('no numbness, but I think my legs are weak').findings; "
        "heavy = ('spacy', 'medspacy', 'numpy', 'thinc', 'loguru', 'PyRuSH'); "
        "print(sorted(found), sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['leg_numbness', 'leg_weakness'] []"
