"""Plain words: every text shown to a person reads at Flesch-Kincaid grade 8 or below.

Measured with textstat. A text of six words or more is measured on its own;
shorter ones (labels, titles, list items) are too short for the formula, so
each file's short texts are measured together, one sentence each.
"""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import textstat
import yaml

MAX_GRADE = 8.0
SHORT = 6

# File -> the keys whose text a person reads (the rest are ids, conditions, numbers).
PERSON_FACING: dict[str, set[str]] = {
    "checkpoints.yaml": {"title", "text"},
    "exercises.yaml": {"title", "purpose", "steps", "cautions"},
    "factors.yaml": {"title", "explanation", "advice"},
    "findings.yaml": {"label", "headline", "why", "do_now", "call_now_if", "tell_clinician"},
    "learn.yaml": {"title", "text"},
    "prevention.yaml": {"title", "text", "why", "cautions", "reminder"},
    "relief.yaml": {"title", "text", "why", "cautions"},
    "regions.yaml": {"disclaimer", "urgent_line"},
    "sources.yaml": {"title"},
    "triage_rules.yaml": {"title", "explanation", "action"},
    "questions.yaml": {"title", "help", "text"},
}


def grade(text: str) -> float:
    return float(textstat.flesch_kincaid_grade(text))


def texts(node: Any, keys: set[str], key: str | None = None) -> Iterator[str]:
    """Every string under one of ``keys`` (lists of strings included)."""
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ("cases", "when", "unless", "id", "citations"):
                continue
            yield from texts(v, keys, str(k))
    elif isinstance(node, list):
        for v in node:
            yield from texts(v, keys, key)
    elif isinstance(node, str) and key in keys:
        yield " ".join(node.split())


def load(name: str) -> Any:
    data = resources.files("unknot.knowledge").joinpath("data", name).read_text("utf-8")
    return yaml.safe_load(data)


@pytest.mark.parametrize("name", sorted(PERSON_FACING))
def test_knowledge_texts_read_at_grade_8_or_below(name: str) -> None:
    found = list(texts(load(name), PERSON_FACING[name]))
    assert found, f"{name}: no person-facing text found"
    hard = [
        f"{grade(t):.1f}: {t[:90]}"
        for t in found
        if len(t.split()) >= SHORT and grade(t) > MAX_GRADE
    ]
    assert hard == [], f"{name}: {len(hard)} texts above grade {MAX_GRADE}:\n" + "\n".join(hard)
    short = ". ".join(t.rstrip(".?!:") for t in found if len(t.split()) < SHORT)
    if short:
        assert grade(short + ".") <= MAX_GRADE, f"{name}: its short texts together"


def test_the_measure_tells_plain_from_hard_words() -> None:
    assert grade("Put a warm pack on the sore spot. Then walk a little.") <= MAX_GRADE
    assert (
        grade(
            "Radiculopathy with progressive neurological deficit necessitates "
            "expeditious specialist evaluation and consideration of decompressive intervention."
        )
        > MAX_GRADE
    )
