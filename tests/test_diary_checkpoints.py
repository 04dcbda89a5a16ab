"""Checkpoints driven by the record, tested at their boundaries.

Day 0 is the calendar day an episode began: "day 3" is three days later.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from diary_support import episode
from unknot.diary.checkpoints import due_checkpoints, record_findings
from unknot.knowledge.loader import load_diary_rules

START = datetime(2025, 3, 10, 18, 30)


def kinds(today: date, *episodes_: object) -> list[str]:
    eps = list(episodes_)
    open_ = [e for e in eps if e.ended_at is None]  # type: ignore[attr-defined]
    return [d.kind for d in due_checkpoints(eps, open_, today)]  # type: ignore[arg-type]


def on_day(n: int) -> date:
    return START.date() + timedelta(days=n)


def test_not_easing_is_not_due_on_day_2_and_is_due_on_day_3() -> None:
    ep = episode(1, START)
    assert "not_easing" not in kinds(on_day(2), ep)
    assert "not_easing" in kinds(on_day(3), ep)


def test_day_counting_follows_the_calendar_not_24_hour_blocks() -> None:
    # began at 18:30; on day 3 at 08:00 fewer than 72 hours have passed, but it is day 3
    ep = episode(1, START)
    assert "not_easing" in kinds(on_day(3), ep)


def test_a_better_check_in_clears_not_easing_and_same_or_worse_does_not() -> None:
    better = episode(1, START, checkins=((START + timedelta(days=2), 4, "better"),))
    same = episode(2, START, checkins=((START + timedelta(days=2), 6, "same"),))
    worse = episode(3, START, checkins=((START + timedelta(days=3), 3, "worse"),))
    assert "not_easing" not in kinds(on_day(3), better)
    assert "not_easing" in kinds(on_day(3), same)
    assert "not_easing" in kinds(on_day(3), worse)


def test_the_latest_check_in_counts_better_then_worse_is_not_easing() -> None:
    day1, day3 = START + timedelta(days=1), START + timedelta(days=3)
    ep = episode(1, START, checkins=((day1, 4, "better"), (day3, 7, "worse")))
    assert "not_easing" in kinds(on_day(3), ep)


def test_not_gone_is_not_due_on_day_6_and_is_due_on_day_7() -> None:
    ep = episode(1, START, checkins=((START + timedelta(days=5), 2, "better"),))
    assert "still_open" not in kinds(on_day(6), ep)
    assert "still_open" in kinds(on_day(7), ep)


def test_an_episode_that_ended_has_no_day_checkpoints() -> None:
    ep = episode(1, START, ended=START + timedelta(days=2))
    assert kinds(on_day(8), ep) == []


def three_starts(gap_days: int) -> list[object]:
    places = (("lower_back",), ("neck",), ("upper_back",))
    return [
        episode(i, START + timedelta(days=i * gap_days),
                ended=START + timedelta(days=i * gap_days + 1), regions=places[i])
        for i in range(3)
    ]


def test_two_episodes_in_90_days_are_not_frequent_three_are() -> None:
    eps = three_starts(30)  # days 0, 30, 60
    today = on_day(61)
    assert "frequent" not in kinds(today, *eps[:2])
    assert "frequent" in kinds(today, *eps)


def test_the_90_day_window_counts_the_last_90_calendar_days() -> None:
    eps = three_starts(40)  # days 0, 40, 80
    assert "frequent" in kinds(on_day(89), *eps)  # the first began 89 days ago: inside
    assert "frequent" not in kinds(on_day(90), *eps)  # 90 days ago: outside


def test_the_same_place_again_is_due_and_names_the_place() -> None:
    first = episode(1, START, ended=START + timedelta(days=2), regions=("neck",))
    again = episode(2, START + timedelta(days=50), regions=("neck", "upper_back"))
    elsewhere = episode(3, START + timedelta(days=50), regions=("lower_back",))
    due = due_checkpoints([first, again], [again], on_day(51))
    same = [d for d in due if d.kind == "same_place"]
    assert same and "neck" in same[0].reason
    assert "same_place" not in kinds(on_day(51), first, elsewhere)


def test_three_in_90_days_in_one_place_shows_the_advice_once_with_both_reasons() -> None:
    eps = [episode(i, START + timedelta(days=20 * i), ended=START + timedelta(days=20 * i + 1))
           for i in range(3)]
    due = due_checkpoints(eps, [], on_day(45))
    assert [d.checkpoint for d in due] == ["checkpoint.same_place"]
    assert "3 episodes" in due[0].reason and "lower back" in due[0].reason


def test_a_recorded_danger_sign_shows_the_red_flag_first() -> None:
    ep = episode(
        1, START, level="emergency", signs={"saddle_numbness": True},
        checkins=((START + timedelta(hours=5), 8, "worse"),),
    )
    due = due_checkpoints([ep], [ep], on_day(3))
    assert due[0].kind == "red_flag" and due[0].level == "emergency"
    assert "genitals" in due[0].reason  # the sign, in the person's words


def test_a_sign_reported_as_absent_is_not_a_red_flag() -> None:
    ep = episode(1, START, signs={"leg_numbness": "none"},
                 checkins=((START + timedelta(hours=5), 5, "better"),))
    assert "red_flag" not in kinds(on_day(1), ep)


def test_an_urgent_assessment_alone_makes_the_red_flag_due() -> None:
    assert "red_flag" in kinds(on_day(0), episode(1, START, level="urgent"))
    assert "red_flag" not in kinds(on_day(0), episode(1, START, level="soon"))


def test_every_due_checkpoint_says_what_to_do_from_the_knowledge() -> None:
    ep = episode(1, START)
    for d in due_checkpoints([ep], [ep], on_day(8)):
        assert d.text and d.reason and d.citations


def test_thresholds_come_from_the_rules_file() -> None:
    rules = {r.kind: r for r in load_diary_rules().checkpoint_rules}
    assert rules["not_easing"].from_day == 3 and rules["still_open"].from_day == 7
    assert rules["frequent"].episodes == 3 and rules["frequent"].window_days == 90


def test_the_record_supplies_recurrence_findings_for_triage() -> None:
    eps = [episode(i, START + timedelta(days=10 * i)) for i in range(3)]
    found = record_findings(eps[-1], eps, on_day(21))
    assert found == {"episodes_last_90_days": 3, "same_location_recurring": True}
