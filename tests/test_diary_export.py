"""Export and import: full fidelity, identical after a round trip, all or nothing."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diary_support import add_episode, check_in, new_diary
from unknot.diary.db import reading, writing
from unknot.diary.export import export_csv, export_data, export_json, import_data
from unknot.diary.repository import delete_everything
from unknot.diary.schemas import DiaryInputError
from unknot.engine import assess

NOW = datetime.now().replace(microsecond=0)


def fill(engine: object) -> None:
    first = assess({"location": ["neck"], "stress_level": "high", "onset": "gradual"}).to_dict()
    a = add_episode(engine, started_at=NOW - timedelta(days=30), ended_at=NOW - timedelta(days=27),
                    regions=["neck"], peak_pain=5, triggers=["prolonged_sitting"],
                    tried=[{"remedy": "heat", "helped": True}, {"remedy": "topical"}],
                    notes="désk wörk, long day", assessment=first)
    check_in(engine, a.id, at=NOW - timedelta(days=29), pain=4, feeling="better", notes="ok")
    b = add_episode(engine, started_at=NOW - timedelta(days=2), regions=["lower_back"], peak_pain=8)
    check_in(engine, b.id, at=NOW - timedelta(days=1), pain=8, feeling="worse",
             danger_signs={"leg_numbness": "one_leg", "fever": False})


def round_trip(engine: object) -> tuple[str, str]:
    with reading(engine) as session:
        first = export_json(session)
    with writing(engine) as session:
        delete_everything(session)
    with writing(engine) as session:
        import_data(session, json.loads(first))
    with reading(engine) as session:
        return first, export_json(session)


def test_export_delete_import_export_gives_identical_data(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    fill(engine)
    first, second = round_trip(engine)
    assert first == second
    data = json.loads(first)
    assert [len(e["checkins"]) for e in data["episodes"]] == [1, 1]
    assert [t["source"] for t in data["episodes"][1]["triage"]] == ["checkin"]
    assert data["episodes"][0]["triage"][0]["findings"]["stress_level"] == "high"


episode_fields = st.fixed_dictionaries({
    "days_ago": st.integers(min_value=1, max_value=3000),
    "hours": st.integers(min_value=0, max_value=200),
    "ended": st.booleans(),
    "regions": st.lists(st.sampled_from(["neck", "lower_back", "flank", "buttock"]), max_size=3),
    "pain": st.none() | st.integers(min_value=0, max_value=10),
    "notes": st.text(max_size=40),
    "tried": st.lists(st.tuples(st.sampled_from(["heat", "ice", "rest", "nsaid"]),
                                st.none() | st.booleans()), max_size=3),
    "checkins": st.lists(
        st.tuples(st.integers(0, 10), st.sampled_from(["better", "same", "worse"])), max_size=4
    ),
})


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(episode_fields, max_size=5))
def test_any_diary_survives_the_round_trip(
    tmp_path: Path, episodes: list[dict[str, object]]
) -> None:
    engine, _ = new_diary(tmp_path, f"h{abs(hash(str(episodes)))}.sqlite3")
    for e in episodes:
        start = NOW - timedelta(days=e["days_ago"])  # type: ignore[operator]
        end = start + timedelta(hours=e["hours"]) if e["ended"] else None  # type: ignore[arg-type]
        if end is not None and end > NOW:
            end = NOW
        tried = [{"remedy": r, "helped": h} for r, h in e["tried"]]  # type: ignore[union-attr]
        saved = add_episode(engine, started_at=start, ended_at=end, regions=e["regions"],
                            peak_pain=e["pain"], notes=e["notes"], tried=tried)
        for i, (pain, feeling) in enumerate(e["checkins"]):  # type: ignore[arg-type]
            at = min(start + timedelta(minutes=i), end or NOW)
            check_in(engine, saved.id, at=at, pain=pain, feeling=feeling)
    first, second = round_trip(engine)
    assert first == second
    engine.dispose()


def test_importing_twice_skips_what_is_already_there(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    fill(engine)
    with reading(engine) as session:
        data = export_data(session)
    with writing(engine) as session:
        report = import_data(session, data)
    assert (report.episodes_added, report.episodes_skipped) == (0, 2)


def test_a_bad_file_names_the_field_and_writes_nothing(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    fill(engine)
    with reading(engine) as session:
        data = export_data(session)
    with writing(engine) as session:
        delete_everything(session)
    data["episodes"][1]["checkins"][0]["pain"] = 14
    with pytest.raises(DiaryInputError) as caught, writing(engine) as session:
        import_data(session, data)
    assert caught.value.field == "episodes.1.checkins.0.pain"
    with reading(engine) as session:
        assert export_data(session)["episodes"] == []


def test_a_check_in_outside_its_episode_is_refused_on_import(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    fill(engine)
    with reading(engine) as session:
        data = export_data(session)
    data["episodes"][0]["checkins"][0]["at"] = "2001-01-01T00:00:00"
    with pytest.raises(DiaryInputError) as caught:
        import_data(None, data)  # type: ignore[arg-type]  # fails before touching the database
    assert caught.value.field == "episodes.0.checkins.0.at"


def test_csv_export_has_one_row_per_episode_and_per_check_in(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    fill(engine)
    add_episode(engine, started_at=NOW - timedelta(days=60), notes="=HYPERLINK(\"x\")")
    with reading(engine) as session:
        files = export_csv(session)
    episodes = list(csv.DictReader(io.StringIO(files["episodes.csv"])))
    checkins = list(csv.DictReader(io.StringIO(files["checkins.csv"])))
    assert len(episodes) == 3 and len(checkins) == 2
    assert episodes[1]["regions"] == "neck" and episodes[1]["duration_days"] == "3.0"
    assert episodes[1]["tried"] == "heat:helped;topical:not sure"
    assert episodes[0]["notes"].startswith("'=")  # a spreadsheet will not run it as a formula
    assert checkins[1]["danger_signs"] == "leg_numbness=one_leg;fever=False"
