"""Episodes and check-ins through the service functions: what is kept, what is refused."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from diary_support import add_episode, check_in, new_diary
from unknot.diary.db import reading, writing
from unknot.diary.repository import (
    EpisodeNotFound,
    current_episode,
    delete_everything,
    end_episode,
    get_episode,
    list_episodes,
    update_episode,
)
from unknot.diary.schemas import DiaryInputError, EpisodeIn, EpisodeUpdate, parse
from unknot.engine import assess

NOW = datetime.now().replace(microsecond=0)


def test_an_episode_keeps_everything_it_was_given(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    saved = add_episode(
        engine, started_at="2025-02-01 07:45", ended_at="2025-02-04 20:00",
        regions=["lower_back", "buttock"], peak_pain=8, triggers=["lifting"],
        tried=[{"remedy": "heat", "helped": True}, {"remedy": "nsaid", "helped": False},
               {"remedy": "massage"}],
        notes="moving boxes",
    )
    with reading(engine) as session:
        got = get_episode(session, saved.id)
    assert got.started_at == datetime(2025, 2, 1, 7, 45)
    assert got.ended_at == datetime(2025, 2, 4, 20, 0)
    assert got.regions == ["lower_back", "buttock"] and got.triggers == ["lifting"]
    assert [(t.remedy, t.helped) for t in got.tried] == [
        ("heat", True), ("nsaid", False), ("massage", None)]
    assert got.peak_pain == 8 and got.notes == "moving boxes"
    assert got.duration() == timedelta(days=3, hours=12, minutes=15)


def test_an_episode_started_from_an_assessment_keeps_its_triage_result(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    result = assess({"location": ["lower_back"], "pain_below_knee": True, "trigger": ["lifting"],
                     "onset": "sudden"}).to_dict()
    saved = add_episode(engine, started_at=NOW, regions=["lower_back"], assessment=result)
    assert saved.level == result["level"] == "soon"
    kept = saved.triage[0]
    assert kept.source == "assessment" and kept.level == "soon"
    assert kept.knowledge_version == result["knowledge_version"]
    assert kept.findings["pain_below_knee"] is True
    assert [c["id"] for c in kept.concerns] == [c["id"] for c in result["concerns"]]
    assert "muscle_strain" in [f["id"] for f in kept.factors]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"started_at": "2099-05-01 08:00"}, "started_at", "in the future"),
        ({"started_at": "2024-05-01", "peak_pain": 12}, "peak_pain", "0 to 10"),
        ({"started_at": "2024-05-01", "peak_pain": -1}, "peak_pain", "0 to 10"),
        ({"started_at": "2024-05-01", "regions": ["knee"]}, "regions", "unknown body region"),
        ({"started_at": "2024-05-01", "triggers": ["gardening"]}, "triggers", "unknown trigger"),
        ({"started_at": "2024-05-02", "ended_at": "2024-05-01"}, "ended_at", "before"),
        ({"started_at": "2024-05-01", "tried": [{"remedy": "ibuprofen 400mg"}]}, "tried.0.remedy",
         "unknown remedy"),
        ({"started_at": "yesterday-ish"}, "started_at", "like 2024-05-01 08:30"),
        ({"started_at": "2024-05-01", "dose": "2 tablets"}, "dose", "not permitted"),
    ],
)
def test_bad_episode_input_names_the_field(
    fields: dict[str, object], field: str, words: str
) -> None:
    with pytest.raises(DiaryInputError) as caught:
        parse(EpisodeIn, fields)
    assert caught.value.field == field
    assert words in caught.value.message.lower() or words in caught.value.message


def test_check_ins_are_kept_in_time_order_with_the_worst_pain(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=3), peak_pain=6)
    check_in(engine, ep.id, at=NOW - timedelta(days=1), pain=4, feeling="better")
    check_in(engine, ep.id, at=NOW - timedelta(days=2), pain=9, feeling="worse")
    with reading(engine) as session:
        got = get_episode(session, ep.id)
        listed = list_episodes(session)[0]
    assert [c.pain for c in got.checkins] == [9, 4]
    assert listed.worst_pain == 9 and listed.checkin_count == 2


def test_a_check_in_without_danger_signs_does_not_re_run_triage(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(hours=5))
    result = check_in(engine, ep.id, at=NOW, pain=5, feeling="same")
    assert not result.retriaged and result.triage is None and result.message is None


def test_a_new_danger_sign_re_runs_triage_at_once_and_says_so(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    first = assess({"location": ["lower_back"], "onset": "sudden"}).to_dict()
    ep = add_episode(engine, started_at=NOW - timedelta(days=1), regions=["lower_back"],
                     assessment=first)
    assert ep.level == "self_care"
    result = check_in(engine, ep.id, at=NOW, pain=7, feeling="worse",
                      danger_signs={"urinary_retention": True})
    assert result.retriaged and result.triage is not None
    assert result.triage.level == "emergency" and result.checkin.triage_level == "emergency"
    assert result.message and "ran the triage again" in result.message
    assert result.assessment and result.assessment["emergency_number"]
    assert "cauda_equina" in [c["id"] for c in result.triage.concerns]
    with reading(engine) as session:
        kept = get_episode(session, ep.id)
    assert kept.level == "emergency"
    assert [t.source for t in kept.triage] == ["assessment", "checkin"]
    assert kept.triage[1].checkin_uid == result.checkin.uid
    assert result.due[0].kind == "red_flag"


def test_the_re_run_uses_the_record_day_and_trend_as_well(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=4), regions=["lower_back"])
    result = check_in(engine, ep.id, at=NOW, pain=6, feeling="same",
                      danger_signs={"leg_tingling": "one_leg"})
    assert result.triage is not None
    findings = result.triage.findings
    assert findings["days_since_onset"] == 4 and findings["pain_trend"] == "unchanged"
    assert findings["leg_tingling"] == "one_leg" and findings["location"] == ["lower_back"]
    ids = [c["id"] for c in result.triage.concerns]
    assert "not_improving" in ids and "nerve_root" in ids


def test_if_triage_cannot_run_the_check_in_says_to_seek_care(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import unknot.engine.entry as entry

    def broken(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("knowledge went missing")

    monkeypatch.setattr(entry, "assess", broken)
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=1))
    result = check_in(engine, ep.id, at=NOW, pain=5, feeling="same", danger_signs={"fever": True})
    assert result.triage is not None and result.triage.level == "urgent"
    assert result.assessment and result.assessment["error"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"pain": 11, "feeling": "same"}, "pain"),
        ({"pain": 3, "feeling": "meh"}, "feeling"),
        ({"pain": 3, "feeling": "same", "danger_signs": {"tired": True}}, "danger_signs"),
        ({"pain": 3, "feeling": "same", "danger_signs": {"leg_weakness": True}}, "danger_signs"),
    ],
)
def test_bad_check_ins_are_refused_and_nothing_is_written(
    tmp_path: Path, fields: dict[str, object], field: str
) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=1))
    with pytest.raises(DiaryInputError) as caught:
        check_in(engine, ep.id, at=NOW, **fields)
    assert caught.value.field == field
    with reading(engine) as session:
        assert get_episode(session, ep.id).checkins == []


def test_check_ins_outside_the_episode_are_refused(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at="2025-01-10 08:00", ended_at="2025-01-12 08:00")
    for when in ("2025-01-09 08:00", "2025-01-13 08:00"):
        with pytest.raises(DiaryInputError) as caught:
            check_in(engine, ep.id, at=when, pain=3, feeling="better")
        assert caught.value.field == "at"


def test_ending_and_editing_are_checked_against_the_record(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at="2025-01-10 08:00")
    check_in(engine, ep.id, at="2025-01-11 08:00", pain=3, feeling="better")
    with pytest.raises(DiaryInputError) as caught, writing(engine) as session:
        end_episode(session, ep.id, datetime(2025, 1, 10, 20, 0))
    assert caught.value.field == "ended_at"
    with writing(engine) as session:
        update_episode(session, ep.id, parse(EpisodeUpdate, {"peak_pain": 7, "notes": "bad"}))
        ended = end_episode(session, ep.id, datetime(2025, 1, 12, 8, 0))
    assert ended.peak_pain == 7 and ended.notes == "bad" and not ended.is_open
    with reading(engine) as session:
        assert current_episode(session) is None


def test_an_unknown_episode_number_is_reported(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    with pytest.raises(EpisodeNotFound, match="no episode 42"), reading(engine) as session:
        get_episode(session, 42)


def test_delete_everything_empties_the_diary(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=1), tried=[{"remedy": "ice"}])
    check_in(engine, ep.id, at=NOW, pain=3, feeling="better", danger_signs={"fever": True})
    with writing(engine) as session:
        assert delete_everything(session) == {"episodes": 1, "checkins": 1}
    with engine.connect() as conn:
        for table in ("episodes", "checkins", "tried", "triage"):
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
