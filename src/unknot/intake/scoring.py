"""How well the intake read a narrative: finding-level precision and recall.

Each finding value is one item ("fever = true"); a set finding gives one item
per member ("trigger has lifting"). Precision: of the items read, how many the
case lists; recall: of the items the case lists, how many were read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

Item = tuple[str, Any]


def items(findings: Mapping[str, Any]) -> set[Item]:
    """Findings as comparable items (sets split into their members)."""
    out: set[Item] = set()
    for name, value in findings.items():
        if isinstance(value, frozenset | set | list | tuple):
            out |= {(name, member) for member in value}
        else:
            out.add((name, value))
    return out


def _show(found: Iterable[Item]) -> list[str]:
    return sorted(f"{name}={value}" for name, value in found)


@dataclass(frozen=True)
class FindingScore:
    """One case: what was read right, what was read but not listed, what was missed."""

    found: int
    read: int
    expected: int
    extra: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.found / self.read if self.read else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "found": self.found,
            "read": self.read,
            "expected": self.expected,
            "extra": self.extra,
            "missing": self.missing,
        }


def score(read: Mapping[str, Any], expected: Mapping[str, Any]) -> FindingScore:
    """Compare the findings read from a narrative with the case's own findings."""
    got, want = items(read), items(expected)
    return FindingScore(
        found=len(got & want),
        read=len(got),
        expected=len(want),
        extra=_show(got - want),
        missing=_show(want - got),
    )


def total(scores: Iterable[FindingScore]) -> FindingScore:
    """All cases together (micro-averaged: every item counts once)."""
    listed = list(scores)
    return FindingScore(
        found=sum(s.found for s in listed),
        read=sum(s.read for s in listed),
        expected=sum(s.expected for s in listed),
    )
