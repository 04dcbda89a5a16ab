"""Benchmark: every "Done when" figure of the speed work, with its ratio, in one run.

Run with ``make bench`` (or ``.venv/bin/python benchmarks/bench_speed.py``).
Measures, on this machine, side by side:

1. Start-up: ``unknot --help`` against a bare ``python -c pass`` (paired runs,
   median of the ratios); the first ``unknot assess --text`` in a new process
   (time, ratio, peak memory). Whole processes, as a person starts them.
2. The engine: assessments per second including the JSON answer, one core.
3. The diary at 10,000 episodes over ten years: a check-in written through the
   web API against the same write at 100 episodes; ``/diary``,
   ``/diary/summary`` and ``unknot diary list`` (whole process) at 10,000.

CPU time of this process is printed beside wall time where it applies: on a
shared machine, wall time also counts waiting for a core. Free-text reading
(``bench_intake.py``) and the server (``bench_web.py``) have their own scripts,
which ``make bench`` runs after this one. Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
TEXT = "I hurt my lower back lifting a box yesterday, it spasms when I bend, no numbness."
Row = tuple[str, str, str]


def run_process(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak memory MiB) of one whole process, from outside."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        env=env,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 3):  # 3: a provisional assessment (questions unanswered)
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return wall, usage.ru_maxrss / 1024


def paired(
    a: list[str], b: list[str], runs: int, env: dict[str, str]
) -> tuple[float, float, float]:
    """Median wall of A, of B, and the median of the A/B ratios taken pair by pair."""
    run_process(a, env), run_process(b, env)  # warm the file cache and the compiled caches
    ta, tb, ratios = [], [], []
    for _ in range(runs):
        x, _ = run_process(a, env)
        y, _ = run_process(b, env)
        ta.append(x)
        tb.append(y)
        ratios.append(x / y)
    return statistics.median(ta), statistics.median(tb), statistics.median(ratios)


def startup(rows: list[Row]) -> None:
    env = {**os.environ, "COLUMNS": "80"}
    # As on a person's machine, the warm-up run leaves Python's bytecode cache behind
    # (an installed package ships it); with PYTHONDONTWRITEBYTECODE set, every counted
    # run would compile Unknot's own modules again.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    bare = [sys.executable, "-c", "pass"]
    unknot = str(BIN / "unknot")
    helped, bare_s, ratio = paired([unknot, "--help"], bare, 21, env)
    rows.append(("bare `python -c pass`", f"{bare_s * 1000:.0f} ms", ""))
    rows.append(
        ("`unknot --help`", f"{helped * 1000:.0f} ms = {ratio:.1f}x bare python",
         "pass" if ratio <= 6 else "FAIL (<= 6x)")
    )
    assess = [unknot, "assess", "--text", TEXT, "--format", "json"]
    took, _, ratio = paired(assess, bare, 7, env)
    peak = max(run_process(assess, env)[1] for _ in range(3))
    rows.append(
        ("first `unknot assess --text` (new process)", f"{took * 1000:.0f} ms = {ratio:.1f}x",
         "pass" if ratio <= 8 else "FAIL (<= 8x)")
    )
    rows.append(
        ("its peak memory", f"{peak:.0f} MiB", "pass" if peak < 80 else "FAIL (< 80 MiB)")
    )


def engine(rows: list[Row], seconds: float = 3.0) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_assess import suite

    from unknot.engine import assess
    from unknot.engine.serialize import assessment_json
    from unknot.knowledge import load_knowledge

    kb = load_knowledge()
    cases = suite()

    def rate(work: Callable[[dict[str, Any]], object]) -> tuple[float, float]:
        count, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < seconds:
            for case in cases:
                work(case)
            count += len(cases)
        return count / (time.perf_counter() - start), count / (time.process_time() - cpu)

    alone, _ = rate(lambda c: assess(c, kb=kb, validated=True))
    wall, cpu = rate(lambda c: assessment_json(assess(c, kb=kb, validated=True)))
    compact, _ = rate(lambda c: assessment_json(assess(c, kb=kb, validated=True), compact=True))
    rows.append(("assessments per second (no JSON)", f"{alone:,.0f}", ""))
    rows.append(
        ("assessments per second, JSON included", f"{wall:,.0f} ({cpu:,.0f} per CPU second)",
         "pass" if wall >= 100_000 else "FAIL (>= 100,000)")
    )
    rows.append(("  the same, compact JSON (the API's default)", f"{compact:,.0f}", ""))


def median_ms(work: Callable[[], object], runs: int) -> tuple[float, float]:
    """(median wall ms, median CPU ms of this process)."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        work()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def diary_at(size: int, tmp: Path, rows: list[Row]) -> float:
    """Median ms of a check-in written through the web API; at 10,000 also the views."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from diary_fixture import build
    from fastapi.testclient import TestClient

    from unknot.diary.db import open_diary
    from unknot.web.app import create_app
    from unknot.web.settings import Settings

    url = f"sqlite:///{tmp / f'diary-{size}.sqlite3'}"
    engine = open_diary(url)
    start = time.perf_counter()
    open_id = build(engine, size)
    built = time.perf_counter() - start
    engine.dispose()
    app = create_app(Settings(secret_key="bench-" * 6, database_url=url))
    moment = [datetime.now().replace(microsecond=0) - timedelta(hours=20)]
    with TestClient(app, base_url="http://127.0.0.1") as client:

        def check_in() -> None:
            moment[0] += timedelta(minutes=1)
            body = {"at": moment[0].isoformat(), "pain": 5, "feeling": "same"}
            got = client.post(f"/api/diary/episodes/{open_id}/checkins", json=body)
            assert got.status_code == 201, got.text

        check_in()
        write, _ = median_ms(check_in, 15)
        if size < 10_000:
            return write
        rows.append((f"diary of {size:,} episodes built", f"{built:.1f} s", ""))
        for path in ("/diary", "/diary/summary"):
            assert client.get(path).status_code == 200
            wall, cpu = median_ms(lambda p=path: client.get(p), 7)  # type: ignore[misc]
            rows.append(
                (f"`{path}` at 10,000 episodes", f"{wall:.0f} ms (CPU {cpu:.0f} ms)",
                 "pass" if wall < 200 else "FAIL (< 200 ms)")
            )
        pdf, _ = median_ms(lambda: client.get("/diary/summary.pdf"), 3)
        rows.append(
            ("`/diary/summary.pdf` at 10,000 episodes", f"{pdf:.0f} ms",
             "pass" if pdf < 2000 else "FAIL (< 2 s)")
        )
    env = {**os.environ, "UNKNOT_DATABASE_URL": url, "COLUMNS": "100"}
    cmd = [str(BIN / "unknot"), "diary", "list"]
    run_process(cmd, env)
    took = statistics.median(run_process(cmd, env)[0] for _ in range(5)) * 1000
    rows.append(
        ("`unknot diary list` at 10,000 (whole process, first page)", f"{took:.0f} ms",
         "pass" if took < 200 else "FAIL (< 200 ms)")
    )
    return write


def diary(rows: list[Row], tmp: Path) -> None:
    small = diary_at(100, tmp, rows)
    large = diary_at(10_000, tmp, rows)
    ratio = large / small
    rows.append(("check-in write at 100 episodes (web API)", f"{small:.1f} ms", ""))
    rows.append(
        ("check-in write at 10,000 episodes", f"{large:.1f} ms = {ratio:.2f}x",
         "pass" if ratio <= 1.5 else "FAIL (<= 1.5x the write at 100)")
    )


def main() -> None:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ.setdefault("UNKNOT_CACHE_DIR", str(Path(tmp) / "cache"))
        startup(rows)
        engine(rows)
        diary(rows, Path(tmp))
    print("| measure | figure | target |\n| --- | --- | --- |")
    for name, figure, verdict in rows:
        print(f"| {name} | {figure} | {verdict} |")
    print(f"\n{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} during the run.")


if __name__ == "__main__":
    main()
