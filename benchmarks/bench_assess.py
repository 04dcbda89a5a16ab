"""Benchmark: assessments per second in-process, and CLI start-up time.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_assess.py``).
Uses the project's own case suite (tests/cases/*.yaml) and, if absent, the
worked cases of the knowledge base. Prints figures for the README; it asserts
nothing (tests do not time things).
"""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from unknot.engine import assess, validate_findings
from unknot.knowledge import load_knowledge

ROOT = Path(__file__).resolve().parent.parent


def suite() -> list[dict[str, Any]]:
    kb = load_knowledge()
    cases: list[dict[str, Any]] = []
    for path in sorted((ROOT / "tests" / "cases").glob("*.yaml")):
        cases += [c["findings"] for c in yaml.safe_load(path.read_text())]
    if not cases:
        cases = [c.findings for r in kb.rules for c in r.cases]
    return [validate_findings(c, kb) for c in cases]


def assessments_per_second(
    cases: list[dict[str, Any]], seconds: float = 3.0
) -> tuple[float, float]:
    """(validated input per second, raw input per second) on one core."""
    kb = load_knowledge()
    results = []
    for validated in (True, False):
        count, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            for case in cases:
                assess(case, kb=kb, validated=validated)
            count += len(cases)
        results.append(count / (time.perf_counter() - start))
    return results[0], results[1]


def cli_startup(runs: int = 15) -> float:
    exe = shutil.which("unknot") or str(Path(sys.executable).parent / "unknot")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([exe, "--help"], capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    load_knowledge()
    load_ms = (time.perf_counter() - start) * 1000
    cases = suite()
    pre, raw = assessments_per_second(cases)
    startup = cli_startup()
    print(f"knowledge load: {load_ms:.0f} ms")
    print(f"cases in suite: {len(cases)}")
    print(f"assessments per second (one core, validated findings): {pre:,.0f}")
    print(f"assessments per second (one core, including input validation): {raw:,.0f}")
    print(f"unknot --help start-up (median of 15): {startup * 1000:.0f} ms")


if __name__ == "__main__":
    main()
