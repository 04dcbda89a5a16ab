"""Benchmark: a ten-year diary (1,000 episodes, 10,000 check-ins).

Times history, patterns and charts (each in a fresh read session, as a CLI
command or a web request would), plus the due checkpoints, the doctor summary
and the JSON export for reference. Target: history, patterns and charts each
under 200 ms. Run with ``.venv/bin/python benchmarks/bench_diary.py``; prints
figures for docs/diary.md and asserts nothing (tests do not time things).
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from unknot.diary.charts import diary_series, episode_series, svg_chart, terminal_plot
from unknot.diary.checkpoints import due_now
from unknot.diary.db import open_diary, reading, writing
from unknot.diary.export import export_json
from unknot.diary.models import CheckinRow, EpisodeRow, TriageRow, TriedRow
from unknot.diary.patterns import history, patterns
from unknot.diary.repository import get_episode, list_episodes
from unknot.diary.summary import build_summary, to_html
from unknot.engine import assess

EPISODES, CHECKINS = 1_000, 10_000
NOW = datetime(2026, 1, 1, 12, 0)
REGIONS = ["lower_back", "middle_back", "upper_back", "neck", "buttock", "flank"]
TRIGGERS = ["lifting", "bending", "twisting", "prolonged_sitting", "exercise", "none_known"]
REMEDIES = ["heat", "ice", "stretching", "massage", "rest", "walking", "nsaid", "topical"]


def build(engine: Engine, seed: int = 7) -> None:
    """Ten years of episodes, about one every 3.6 days, ten check-ins each."""
    rng = random.Random(seed)
    example = assess(
        {
            "location": ["lower_back"],
            "trigger": ["lifting"],
            "onset": "sudden",
            "water_glasses_per_day": 3,
            "sitting_hours_per_day": 9,
        }
    ).to_dict()
    span = timedelta(days=3650)
    starts = sorted(
        NOW - span + timedelta(seconds=rng.randrange(int(span.total_seconds())))
        for _ in range(EPISODES)
    )
    per = CHECKINS // EPISODES
    with writing(engine) as session:
        for i, start in enumerate(starts):
            start = start.replace(microsecond=0)
            days = rng.uniform(0.5, 9)
            ep = EpisodeRow(
                uid=f"bench-{i}",
                started_at=start,
                ended_at=start + timedelta(days=days),
                regions=rng.sample(REGIONS, rng.randint(1, 2)),
                peak_pain=rng.randint(3, 10),
                triggers=rng.sample(TRIGGERS, 1),
                notes="",
                level="self_care",
            )
            ep.tried = [
                TriedRow(remedy=r, helped=rng.choice([True, False, None]))
                for r in rng.sample(REMEDIES, 3)
            ]
            ep.checkins = [
                CheckinRow(
                    uid=f"bench-{i}-{j}",
                    at=start + timedelta(days=days * j / per),
                    pain=rng.randint(0, 10),
                    feeling=rng.choice(["better", "same", "worse"]),
                    danger_signs={},
                    notes="",
                )
                for j in range(per)
            ]
            if i % 3 == 0:
                ep.triage = [
                    TriageRow(
                        at=start,
                        source="assessment",
                        level=example["level"],
                        level_title=example["level_title"],
                        headline=example["headline"],
                        findings=example["findings"],
                        concerns=example["concerns"],
                        factors=example["factors"],
                        knowledge_version=example["knowledge_version"],
                    )
                ]
            session.add(ep)


def timed(
    engine: Engine, work: Callable[[object], object], runs: int = 21
) -> tuple[float, float, float]:
    """Milliseconds, each run in a fresh read session: (median wall, p90 wall, median CPU).

    CPU time counts this process only, so it shows the cost even when other
    programs share the machine's two cores.
    """
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        with reading(engine) as session:
            work(session)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    wall.sort()
    return statistics.median(wall), wall[int(len(wall) * 0.9)], statistics.median(cpu)


def charts(session: object) -> None:
    episodes = list_episodes(session)  # type: ignore[arg-type]
    across = diary_series(episodes)
    svg_chart(across)
    terminal_plot(across)
    one = get_episode(session, episodes[-1].id)  # type: ignore[arg-type]
    svg_chart(episode_series(one))
    terminal_plot(episode_series(one))


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        engine = open_diary(f"sqlite:///{path}")
        start = time.perf_counter()
        build(engine)
        built = time.perf_counter() - start
        size = path.stat().st_size + sum(p.stat().st_size for p in Path(tmp).glob("*-wal"))
        print(
            f"ten-year diary: {EPISODES} episodes, {CHECKINS} check-ins "
            f"(built in {built:.1f} s, {size / 1e6:.1f} MB)"
        )
        cases: list[tuple[str, Callable[[object], object], bool]] = [
            ("history", lambda s: history(s, NOW), True),  # type: ignore[arg-type]
            ("patterns", lambda s: patterns(s, NOW), True),  # type: ignore[arg-type]
            ("charts (all episodes + latest episode, SVG and terminal)", charts, True),
            ("due checkpoints", lambda s: due_now(s, NOW), False),  # type: ignore[arg-type]
            (
                "doctor summary (12 months, HTML)",
                lambda s: to_html(build_summary(s, now=NOW)),
                False,
            ),  # type: ignore[arg-type]
            ("export JSON (everything)", export_json, False),  # type: ignore[arg-type]
        ]
        print("| operation | median | 90th percentile | CPU (median) | target |")
        print("|---|---|---|---|---|")
        for name, work, targeted in cases:
            median, p90, cpu = timed(engine, work)
            target = "< 200 ms" if targeted else "-"
            print(f"| {name} | {median:.0f} ms | {p90:.0f} ms | {cpu:.0f} ms | {target} |")
        engine.dispose()


if __name__ == "__main__":
    main()
