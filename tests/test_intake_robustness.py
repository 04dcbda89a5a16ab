"""Free text as people really write it: typos, texting, slang, padding, third person.

The narratives (tests/robustness/narratives.yaml) were written for this suite;
the variants are generated from them (tests/robustness/variants.py, seeded).
Figures: ``.venv/bin/python tests/robustness/report.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from robustness.variants import NARRATIVES, RANK, positive, today_of, variants, weaker
from unknot.engine import assess
from unknot.intake import extract_findings

IDS = [c["id"] for c in NARRATIVES]
# Two slips in the key words of one short story: the words are sometimes past
# guessing ("canrr", "uwel"); at most this share may read less urgently.
TWO_TYPOS_AT_MOST = 0.05
# No punctuation and a slip in two words anywhere (the words are often readable):
# at most this share may read less urgently.
SLOPPY_AT_MOST = 0.02


def _level(findings: dict[str, Any]) -> str:
    return assess(findings, validated=True).level


def test_the_suite_covers_every_level_and_the_v2_rules() -> None:
    levels = [c["level"] for c in NARRATIVES]
    assert len(NARRATIVES) >= 60
    assert all(levels.count(level) >= 10 for level in RANK)
    said = {name for c in NARRATIVES for name in c["expect"]}
    assert {"leg_pain", "diabetes", "anticoagulant", "vaginal_bleeding", "osteoporosis",
            "feeling_very_unwell", "abdominal_pain", "pain_with_movement"} <= said


@pytest.mark.parametrize("case", NARRATIVES, ids=IDS)
def test_the_clean_narrative_is_read_with_its_deciding_findings(case: dict[str, Any]) -> None:
    read = extract_findings(case["text"], today=today_of(case))
    assert read.read
    for name, want in case["expect"].items():
        got = read.findings.get(name)
        if isinstance(want, list):
            assert got is not None and set(want) <= got, (name, read.findings)
        else:
            assert got == want, (name, read.findings)


@pytest.mark.parametrize("case", NARRATIVES, ids=IDS)
def test_the_clean_narrative_reaches_its_level(case: dict[str, Any]) -> None:
    read = extract_findings(case["text"], today=today_of(case))
    result = assess(read.findings, validated=True)
    assert result.level == case["level"], read.findings
    assert set(case["concerns"]) <= {c.id for c in result.concerns}


@pytest.mark.parametrize("case", NARRATIVES, ids=IDS)
def test_no_variant_but_two_typos_is_less_urgent(case: dict[str, Any]) -> None:
    today = today_of(case)
    clean = extract_findings(case["text"], today=today).findings
    level = RANK[_level(clean)]
    for variant in variants(case):
        if variant.kind in ("typo2", "sloppy"):
            continue
        got = extract_findings(variant.text, today=today).findings
        lost = [n for n in case["expect"] if weaker(clean.get(n), got.get(n))]
        assert not lost, (variant.kind, variant.text, lost, got)
        assert RANK[_level(got)] >= level, (variant.kind, variant.text, got)


@pytest.mark.parametrize(
    ("kind", "at_most", "at_least"),
    [("typo2", TWO_TYPOS_AT_MOST, 150), ("sloppy", SLOPPY_AT_MOST, 150)],
)
def test_several_slips_rarely_make_a_story_less_urgent(
    kind: str, at_most: float, at_least: int
) -> None:
    worse = total = 0
    for case in NARRATIVES:
        today = today_of(case)
        clean = extract_findings(case["text"], today=today).findings
        for variant in variants(case):
            if variant.kind != kind:
                continue
            got = extract_findings(variant.text, today=today).findings
            total += 1
            worse += RANK[_level(got)] < RANK[_level(clean)] or any(
                weaker(clean.get(n), got.get(n)) for n in case["expect"])
    assert total >= at_least
    assert worse / total <= at_most, f"{worse}/{total}"


def test_a_typo_in_a_denial_never_reads_as_a_sign() -> None:
    found = extract_findings("No numbnes, no tinglng, peeing fine.").findings
    assert not positive(found.get("leg_numbness")) and not positive(found.get("leg_tingling"))
