"""Figures for the free-text robustness suite.

Run: ``.venv/bin/python tests/robustness/report.py`` (add ``-v`` to list each miss).
Prints, over tests/robustness/narratives.yaml: exact level, under-triaged,
concern recall, and for each kind of variant the share read less urgently
than its clean form (level or a deciding finding).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from variants import NARRATIVES, RANK, today_of, variants, weaker  # noqa: E402

from unknot.engine import assess  # noqa: E402
from unknot.intake import extract_findings  # noqa: E402


def main() -> None:
    verbose = "-v" in sys.argv
    exact = under = named = wanted = 0
    worse: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in NARRATIVES:
        today = today_of(case)
        read = extract_findings(case["text"], today=today)
        result = assess(read.findings)
        level = result.level or "emergency"
        exact += level == case["level"]
        if RANK.get(level, 3) < RANK[case["level"]]:
            under += 1
            print(f"UNDER {case['id']}: {level} < {case['level']} {read.findings}")
        elif verbose and level != case["level"]:
            print(f"OVER  {case['id']}: {level} > {case['level']}")
        concerns = {c.id for c in result.concerns}
        wanted += len(case["concerns"])
        named += len(set(case["concerns"]) & concerns)
        for variant in variants(case):
            got = extract_findings(variant.text, today=today)
            v_level = assess(got.findings).level or "emergency"
            lost = [n for n in case["expect"] if weaker(read.findings.get(n), got.findings.get(n))]
            bad = RANK[v_level] < RANK[level] or bool(lost)
            counts = worse[variant.kind.split("-")[0]]
            counts[0] += bad
            counts[1] += 1
            if bad and verbose:
                print(f"  {variant.kind} {case['id']}: {variant.text!r} -> {v_level} lost {lost}")
    n = len(NARRATIVES)
    print(f"narratives: {n}; exact level {exact}/{n} ({100 * exact / n:.1f}%); "
          f"under-triaged {under}; concerns named {named}/{wanted} "
          f"({100 * named / max(wanted, 1):.1f}%)")
    for kind, (bad, total) in sorted(worse.items()):
        print(f"  {kind:13s} less urgent than the clean form: {bad}/{total} "
              f"({100 * bad / total:.1f}%)")


if __name__ == "__main__":
    main()
