"""A long diary, built quickly with bulk inserts, for the diary benchmarks."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sqlalchemy import Engine, insert

from unknot.diary.db import writing
from unknot.diary.models import CheckinRow, EpisodeRow, TriageRow, TriedRow, factor_list_of
from unknot.engine import assess

NOW = datetime.now().replace(second=0, microsecond=0)  # the diary is current
REGIONS = ["lower_back", "middle_back", "upper_back", "neck", "buttock", "flank"]
TRIGGERS = ["lifting", "bending", "twisting", "prolonged_sitting", "exercise", "none_known"]
REMEDIES = ["heat", "ice", "stretching", "massage", "rest", "walking", "nsaid", "topical"]


def build(engine: Engine, episodes: int, checkins_per: int = 3, seed: int = 7) -> int:
    """``episodes`` episodes over ten years, the last one still open; returns the open one's id."""
    rng = random.Random(seed)
    example = assess(
        {"location": ["lower_back"], "trigger": ["lifting"], "onset": "sudden",
         "water_glasses_per_day": 3, "sitting_hours_per_day": 9},
        today=NOW.date(),
    ).to_dict()
    span = timedelta(days=3650)
    starts = sorted(
        (NOW - span + timedelta(seconds=rng.randrange(int(span.total_seconds() - 86400 * 3))))
        .replace(microsecond=0)
        for _ in range(episodes - 1)
    ) + [NOW - timedelta(days=2)]
    ep_rows, tried_rows, checkin_rows, triage_rows = [], [], [], []
    for i, start in enumerate(starts, start=1):
        last = i == len(starts)
        days = rng.uniform(0.2, 2.5)
        ep_rows.append({
            "id": i, "uid": f"bench-{i}", "started_at": start,
            "ended_at": None if last else start + timedelta(days=days),
            "regions": rng.sample(REGIONS, rng.randint(1, 2)), "peak_pain": rng.randint(3, 10),
            "triggers": rng.sample(TRIGGERS, 1), "notes": "", "level": "self_care",
        })
        for remedy in rng.sample(REMEDIES, 2):
            tried_rows.append({"episode_id": i, "remedy": remedy,
                               "helped": rng.choice([True, False, None])})
        for j in range(checkins_per):
            checkin_rows.append({
                "uid": f"bench-{i}-{j}", "episode_id": i,
                "at": start + timedelta(days=(1 if last else days) * j / checkins_per),
                "pain": rng.randint(0, 10), "feeling": rng.choice(["better", "same", "worse"]),
                "danger_signs": {}, "notes": "",
            })
        if i % 3 == 0 or last:
            triage_rows.append({
                "episode_id": i, "at": start, "source": "assessment",
                "level": example["level"], "level_title": example["level_title"],
                "headline": example["headline"], "findings": example["findings"],
                "concerns": example["concerns"], "factors": example["factors"],
                "factor_list": factor_list_of(example["factors"]),
                "knowledge_version": example["knowledge_version"], "region": "uk",
            })
    with writing(engine) as session:
        session.execute(insert(EpisodeRow), ep_rows)
        session.execute(insert(TriedRow), tried_rows)
        session.execute(insert(CheckinRow), checkin_rows)
        session.execute(insert(TriageRow), triage_rows)
    return len(starts)
