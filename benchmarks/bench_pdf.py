"""Benchmark: the doctor summary as a PDF for one year of a 10,000-episode diary.

Ten years, 10,000 episodes (about 1,000 in the last year), one check-in each,
a note on every fifth episode (in Polish, with "Łódź"), a triage on every
third. Times ``build_summary`` (12 months) and ``render_pdf`` apart and
together, each in a fresh read session. Target (issue 13): the whole PDF
under 2 s. CPU time is printed beside the wall time: on a shared machine
it is the figure that shows this process's own cost. Run with
``.venv/bin/python benchmarks/bench_pdf.py``; prints figures for the README
and asserts nothing (tests do not time things).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from unknot.diary.db import open_diary, reading, writing
from unknot.diary.models import CheckinRow, EpisodeRow, TriageRow, TriedRow
from unknot.diary.summary import build_summary
from unknot.diary.summary_pdf import render_pdf
from unknot.engine import assess

EPISODES = 10_000
NOW = datetime(2026, 1, 1, 12, 0)
REGIONS = ["lower_back", "middle_back", "upper_back", "neck", "buttock", "flank"]
TRIGGERS = ["lifting", "bending", "twisting", "prolonged_sitting", "exercise", "none_known"]
REMEDIES = ["heat", "ice", "stretching", "massage", "rest", "walking", "nsaid", "topical"]
NOTE = "Po przeprowadzce w Łodzi: dźwiganie kartonów, ból po lewej stronie."


def build(engine: Engine, seed: int = 11) -> None:
    rng = random.Random(seed)
    example = assess({"location": ["lower_back"], "trigger": ["lifting"]}).to_dict()
    span = timedelta(days=3650)
    starts = sorted(
        NOW - span + timedelta(seconds=rng.randrange(int(span.total_seconds())))
        for _ in range(EPISODES)
    )
    with writing(engine) as session:
        for i, start in enumerate(starts):
            start = start.replace(microsecond=0)
            days = rng.uniform(0.3, 3)
            ep = EpisodeRow(
                uid=f"pdf-{i}", started_at=start, ended_at=start + timedelta(days=days),
                regions=rng.sample(REGIONS, rng.randint(1, 2)), peak_pain=rng.randint(3, 10),
                triggers=rng.sample(TRIGGERS, 1), notes=NOTE if i % 5 == 0 else "",
                level="self_care",
            )
            ep.tried = [TriedRow(remedy=r, helped=rng.choice([True, False, None]))
                        for r in rng.sample(REMEDIES, 3)]
            ep.checkins = [CheckinRow(uid=f"pdf-{i}-0", at=start + timedelta(days=days / 2),
                                      pain=rng.randint(0, 10), feeling="better",
                                      danger_signs={}, notes="")]
            if i % 3 == 0:
                ep.triage = [TriageRow(
                    at=start, source="assessment", level=example["level"],
                    level_title=example["level_title"], headline=example["headline"],
                    findings=example["findings"], concerns=example["concerns"],
                    factors=example["factors"], knowledge_version=example["knowledge_version"],
                )]
            session.add(ep)


def main(runs: int = 5) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_diary(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        start = time.perf_counter()
        build(engine)
        print(f"{EPISODES} episodes over ten years, built in {time.perf_counter() - start:.1f} s")
        with reading(engine) as session:  # warm-up: imports, font files in the OS cache
            render_pdf(build_summary(session, now=NOW))
        gather, render, total = [], [], []
        gather_cpu, render_cpu, cpu = [], [], []
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            with reading(engine) as session:
                summary = build_summary(session, now=NOW)
            t1, c1 = time.perf_counter(), time.process_time()
            data = render_pdf(summary)
            t2, c2 = time.perf_counter(), time.process_time()
            gather.append(t1 - t0)
            render.append(t2 - t1)
            total.append(t2 - t0)
            gather_cpu.append(c1 - c0)
            render_cpu.append(c2 - c1)
            cpu.append(c2 - c0)
        print(f"one year: {len(summary.episodes)} episodes listed, PDF {len(data) / 1e3:.0f} kB")
        print("| step | median | CPU (median) |")
        print("|---|---|---|")
        print(f"| build_summary (12 months) | {statistics.median(gather):.2f} s "
              f"| {statistics.median(gather_cpu):.2f} s |")
        print(f"| render_pdf | {statistics.median(render):.2f} s "
              f"| {statistics.median(render_cpu):.2f} s |")
        print(f"| whole PDF (target < 2 s) | {statistics.median(total):.2f} s "
              f"| {statistics.median(cpu):.2f} s |")
        engine.dispose()


if __name__ == "__main__":
    main()
