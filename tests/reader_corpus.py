"""Every narrative the project has, for checking the reader against its reference.

Yields (where, text, today): the intake cases, the short phrases, the
robustness narratives with their generated variants (typos, texting, padding,
third person, slang), the probe narratives with their one-typo and texting
variants, the review narratives, the case suite's narratives, and the
lexicon's own examples. Used by tests/test_reader_matches_medspacy.py and
tests/test_reader_tokens.py.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE / "robustness"))

from variants import texting, today_of, typos, variants  # noqa: E402


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _phrases(node: Any) -> Iterator[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _phrases(value)
    elif isinstance(node, list):
        for value in node:
            yield from _phrases(value)


@cache
def narratives() -> tuple[tuple[str, str, date | None], ...]:
    """Every narrative once, as (where, text, today)."""
    return tuple(_narratives())


def _narratives() -> Iterator[tuple[str, str, date | None]]:
    for case in _load(HERE / "intake_cases.yaml"):
        if isinstance(case.get("text"), str):
            yield f"intake:{case.get('id', case['text'][:30])}", case["text"], today_of(case)
    for n, phrase in enumerate(_phrases(_load(HERE / "intake_phrases.yaml"))):
        yield f"phrases:{n}", phrase, None
    for case in _load(HERE / "robustness" / "narratives.yaml"):
        today = today_of(case)
        yield f"robust:{case['id']}", case["text"], today
        for variant in variants(case):
            yield f"robust:{case['id']}:{variant.kind}", variant.text, today
    for case in [*_load(HERE / "narratives" / "probe.yaml"),
                 *_load(HERE / "narratives" / "probe4.yaml")]:
        today = today_of(case)
        yield f"probe:{case['id']}", case["text"], today
        for variant in typos(case, 1):
            yield f"probe:{case['id']}:{variant.kind}", variant.text, today
        yield f"probe:{case['id']}:texting", texting(case["text"]), today
    review = HERE / "narratives" / "review.yaml"
    if review.exists():
        for case in _load(review) or []:
            if isinstance(case, dict) and isinstance(case.get("narrative"), str):
                yield f"review:{case['id']}", case["narrative"], None
    for path in sorted((HERE / "cases").glob("*.yaml")):
        for case in _load(path):
            if isinstance(case.get("narrative"), str):
                yield f"cases:{case['id']}", case["narrative"], None
    yield from _lexicon_examples()


def _lexicon_examples() -> Iterator[tuple[str, str, date | None]]:
    from unknot.intake.lexicon import load_lexicon

    lex = load_lexicon()
    for entry in lex.entries:
        for n, text in enumerate([*entry.spec.examples, *entry.spec.not_examples]):
            yield f"lexicon:{entry.spec.id}:{n}", text, None
    for rule in lex.context:
        for n, text in enumerate(rule.examples):
            yield f"context:{rule.id}:{n}", text, None
