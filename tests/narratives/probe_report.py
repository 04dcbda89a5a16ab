"""Figures for the probe narratives (tests/narratives/probe.yaml).

Run: ``.venv/bin/python tests/narratives/probe_report.py [-v] [FILE.yaml]`` (``-v`` lists each
miss; a FILE in the same format measures a fresh batch before it joins probe.yaml).
Prints exact level, under-triaged, over-triaged, concern recall, and the share of
one-typo and texting variants read less urgently than the clean form.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent / "robustness"))

from variants import RANK, Variant, no_punctuation, sloppy, texting, typos, weaker  # noqa: E402

from unknot.engine import assess  # noqa: E402
from unknot.intake import extract_findings  # noqa: E402

_FILES = [Path(a) for a in sys.argv[1:] if a.endswith(".yaml")]
_SOURCE = _FILES[0] if _FILES else HERE / "probe.yaml"
CASES: list[dict[str, Any]] = yaml.safe_load(_SOURCE.read_text("utf-8"))


def read_level(text: str) -> tuple[str, set[str], dict[str, Any]]:
    """Level, concerns and findings (doubtful signs are already counted as present)."""
    read = extract_findings(text)
    result = assess(read.findings)
    return result.level or "emergency", {c.id for c in result.concerns}, read.findings


def main() -> None:
    verbose = "-v" in sys.argv
    exact = under = over = named = wanted = 0
    worse: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in CASES:
        level, concerns, findings = read_level(case["text"])
        exact += level == case["level"]
        if RANK[level] < RANK[case["level"]]:
            under += 1
            print(f"UNDER {case['id']}: {level} < {case['level']} {findings}")
        elif RANK[level] > RANK[case["level"]]:
            over += 1
            if verbose:
                print(f"OVER  {case['id']}: {level} > {case['level']} {findings}")
        missing = set(case["concerns"]) - concerns
        wanted += len(case["concerns"])
        named += len(case["concerns"]) - len(missing)
        if missing and verbose:
            print(f"MISS  {case['id']}: {sorted(missing)} ({level})")
        expect = case.get("expect", {})
        kinds = [
            *typos(case, 1),
            Variant("texting", texting(case["text"])),
            Variant("no_punctuation", no_punctuation(case["text"])),
            *sloppy(case),
        ]
        for variant in kinds:
            v_level, _, got = read_level(variant.text)
            lost = [n for n in expect if weaker(findings.get(n), got.get(n))]
            bad = RANK[v_level] < RANK[level] or bool(lost)
            counts = worse[variant.kind.split("-")[0]]
            counts[0] += bad
            counts[1] += 1
            if bad and verbose:
                print(f"  {variant.kind} {case['id']}: {variant.text!r} -> {v_level} lost {lost}")
    n = len(CASES)
    print(f"narratives: {n}; exact level {exact}/{n} ({100 * exact / n:.1f}%); "
          f"under-triaged {under}; over-triaged {over}; concerns named {named}/{wanted} "
          f"({100 * named / max(wanted, 1):.1f}%)")
    for kind, (bad, total) in sorted(worse.items()):
        print(f"  {kind:14s} less urgent than the clean form: {bad}/{total} "
              f"({100 * bad / total:.1f}%)")


if __name__ == "__main__":
    main()
