"""The spaCy-free reader reads every narrative as the medspaCy reader did.

Unknot's reader (``unknot.intake.tokens`` and ``unknot.intake.context``) is
a port of spaCy's English tokenizer and sentencizer and of medspaCy's ConText.
medspaCy stays the reference (tests/reference_context.py, spaCy and medspaCy
being dev dependencies): every narrative the project has (tests/reader_corpus.py:
intake cases, phrases, robustness narratives and their generated variants,
probe narratives and their variants, the case suite, the lexicon's examples)
is read both ways, and the findings, their doubt, their evidence, whose story
it is and whether it was read at all must be the same.

A difference kept on purpose goes in ``KEPT_DIFFERENCES`` with its reason,
and must never make a result less urgent (checked below).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from reader_corpus import narratives
from reference_context import MedspacyReader
from unknot.engine import assess
from unknot.intake.extract import READER, Extraction, extract_with
from unknot.knowledge import LEVELS, load_knowledge

# where (as reader_corpus names it) -> why the new reader may differ there
KEPT_DIFFERENCES: dict[str, str] = {}


def _key(found: Extraction) -> tuple[Any, ...]:
    return (found.read, found.subject, found.findings, found.doubtful, found.evidence)


def _level(found: Extraction) -> int:
    if not found.read:
        return len(LEVELS)  # unread text: the person is told to seek care
    result = assess(dict(found.findings), kb=load_knowledge())
    return LEVELS.index(result.level) if result.level in LEVELS else len(LEVELS)


def _read(text: str, reader: Any, today: date | None) -> Extraction | str:
    try:
        return extract_with(text, reader, today)
    except ValueError as exc:  # too long: both must refuse it alike
        return str(exc)


def test_the_reader_reads_every_narrative_as_medspacy_does() -> None:
    reference = MedspacyReader()
    differ: list[str] = []
    total = 0
    for where, text, today in narratives():
        total += 1
        new, old = _read(text, READER, today), _read(text, reference, today)
        if isinstance(new, str) or isinstance(old, str):
            assert new == old, where
            continue
        if _key(new) == _key(old):
            continue
        if where in KEPT_DIFFERENCES:
            assert _level(new) >= _level(old), f"{where}: kept difference is less urgent"
            continue
        differ.append(
            f"{where}: {text!r}\n  reader: {new.findings} doubtful {sorted(new.doubtful)}"
            f"\n  medspaCy: {old.findings} doubtful {sorted(old.doubtful)}"
        )
    assert total > 3000  # the corpus is all there
    assert not differ, f"{len(differ)} of {total} narratives read differently:\n" + "\n".join(
        differ[:20]
    )


def test_every_kept_difference_is_still_in_the_corpus() -> None:
    where = {w for w, _, _ in narratives()}
    stale = sorted(set(KEPT_DIFFERENCES) - where)
    assert not stale, f"no longer in the corpus, drop from KEPT_DIFFERENCES: {stale}"
