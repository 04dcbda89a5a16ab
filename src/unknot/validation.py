"""Run cases (vignettes) through the engine and score the results.

A case is ``{id, findings, expect: {level, concerns?, factors?}}`` with finding
names as in the knowledge's catalogue. Scoring: *safe* means not below the
expected level (under-triage is the failure that matters most), *exact* means
the same level, and recall counts the expected concerns and factors named.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .engine import assess, validate_findings
from .engine.case_player import play
from .knowledge import LEVEL_RANK, load_knowledge


class CaseError(ValueError):
    """A case file that does not have the expected shape."""


@dataclass(frozen=True)
class Case:
    id: str
    findings: dict[str, Any]
    level: str
    concerns: tuple[str, ...]
    factors: tuple[str, ...]
    narrative: str = ""


@dataclass
class CaseResult:
    id: str
    expected: str
    level: str
    missing_concerns: list[str]
    missing_factors: list[str]
    concerns_expected: int
    factors_expected: int
    screens: int | None = None
    items: int | None = None
    habits_before_result: bool = False

    @property
    def verdict(self) -> str:
        diff = LEVEL_RANK[self.level] - LEVEL_RANK[self.expected]
        return "exact" if diff == 0 else ("over-triaged" if diff > 0 else "under-triaged")


@dataclass
class Report:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def under_triaged(self) -> list[CaseResult]:
        return [r for r in self.results if r.verdict == "under-triaged"]

    def to_dict(self) -> dict[str, Any]:
        n = len(self.results)
        ce = sum(r.concerns_expected for r in self.results)
        cf = ce - sum(len(r.missing_concerns) for r in self.results)
        fe = sum(r.factors_expected for r in self.results)
        ff = fe - sum(len(r.missing_factors) for r in self.results)
        screens = [r.screens for r in self.results if r.screens is not None]
        self_care = [
            r.screens for r in self.results if r.screens is not None and r.expected == "self_care"
        ]
        by_level = {}
        for level in LEVEL_RANK:
            rows = [r for r in self.results if r.expected == level and r.screens is not None]
            if rows:
                by_level[level] = {
                    "cases": len(rows),
                    "median_screens": statistics.median(r.screens or 0 for r in rows),
                    "median_items": statistics.median(r.items or 0 for r in rows),
                    "max_screens": max(r.screens or 0 for r in rows),
                    "max_items": max(r.items or 0 for r in rows),
                }
        return {
            "cases": [
                {
                    "id": r.id,
                    "expected": r.expected,
                    "level": r.level,
                    "verdict": r.verdict,
                    "missing_concerns": r.missing_concerns,
                    "missing_factors": r.missing_factors,
                    "screens": r.screens,
                    "items": r.items,
                    "habits_before_result": r.habits_before_result,
                }
                for r in self.results
            ],
            "totals": {
                "cases": n,
                "safe": n - len(self.under_triaged),
                "exact": sum(r.verdict == "exact" for r in self.results),
                "over_triaged": sum(r.verdict == "over-triaged" for r in self.results),
                "under_triaged": len(self.under_triaged),
                "concerns_expected": ce,
                "concerns_found": cf,
                "concern_recall": cf / ce if ce else 1.0,
                "factors_expected": fe,
                "factors_found": ff,
                "factor_recall": ff / fe if fe else 1.0,
                "median_screens": statistics.median(screens) if screens else None,
                "median_screens_self_care": statistics.median(self_care) if self_care else None,
                "interview_by_level": by_level,
                "habits_before_result": sum(r.habits_before_result for r in self.results),
            },
        }


def load_cases(data: Any) -> list[Case]:
    """Check a parsed case file and return its cases."""
    if isinstance(data, Mapping) and isinstance(data.get("cases"), list):
        data = data["cases"]
    if not isinstance(data, list) or not data:
        raise CaseError("the case file must be a non-empty list of cases")
    cases = []
    for i, raw in enumerate(data, 1):
        where = f"case #{i}"
        if not isinstance(raw, Mapping):
            raise CaseError(f"{where}: must be an object with id, findings and expect")
        where = f"case {raw.get('id', i)}"
        expect = raw.get("expect")
        if not isinstance(raw.get("findings"), Mapping):
            raise CaseError(f"{where}: 'findings' must be an object")
        if not isinstance(expect, Mapping) or expect.get("level") not in LEVEL_RANK:
            raise CaseError(f"{where}: expect.level must be one of {', '.join(LEVEL_RANK)}")
        cases.append(
            Case(
                id=str(raw.get("id", i)),
                findings=dict(raw["findings"]),
                level=str(expect["level"]),
                concerns=tuple(expect.get("concerns") or ()),
                factors=tuple(expect.get("factors") or ()),
                narrative=str(raw.get("narrative") or ""),
            )
        )
    return cases


def run_case(case: Case, *, interview: bool = False) -> CaseResult:
    kb = load_knowledge()
    try:
        findings = validate_findings(case.findings, kb)
    except ValueError as exc:
        raise CaseError(f"case {case.id}: {exc}") from None
    screens = items = None
    habits = False
    doubtful: tuple[str, ...] = ()
    if interview:
        played = play(findings, kb)
        findings, screens, items = played.step.findings, len(played.asked), played.items
        doubtful = played.step.doubtful
        lifestyle = {s.id for s in kb.screens if s.stage == "lifestyle"}
        habits = any(s in lifestyle for s in played.screens_before_result)
    result = assess(findings, kb=kb, validated=True, doubtful=doubtful)
    named_c = {c.id for c in result.concerns}
    named_f = {f.id for f in result.factors}
    if result.level is None:  # only unread text has no level; findings always do
        raise CaseError(f"case {case.id}: the assessment gave no level")
    return CaseResult(
        id=case.id,
        expected=case.level,
        level=result.level,
        missing_concerns=[c for c in case.concerns if c not in named_c],
        missing_factors=[f for f in case.factors if f not in named_f],
        concerns_expected=len(case.concerns),
        factors_expected=len(case.factors),
        screens=screens,
        items=items,
        habits_before_result=habits,
    )


def run_cases(cases: list[Case], *, interview: bool = False) -> Report:
    return Report([run_case(c, interview=interview) for c in cases])
