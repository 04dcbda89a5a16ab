"""Calendar reminders: the plan's checkpoints on the right days, the routine repeating."""

from __future__ import annotations

from datetime import date, datetime

from icalendar import Calendar

from unknot.diary.reminders import reminders_calendar
from unknot.diary.schemas import Episode
from unknot.knowledge.loader import load_diary_rules

STARTED = datetime(2025, 6, 2, 17, 0)


def an_episode() -> Episode:
    return Episode(id=1, uid="abc-123", started_at=STARTED, ended_at=None, regions=["neck"],
                   peak_pain=6, triggers=[], tried=[], notes="", level=None)


def events(data: bytes) -> list[dict[str, object]]:
    cal = Calendar.from_ical(data)
    return [dict(ev) | {"_alarms": len(ev.subcomponents)} for ev in cal.walk("VEVENT")]


def test_checkpoints_fall_on_day_3_and_day_7_of_the_episode() -> None:
    found = events(reminders_calendar(an_episode(), routine=False, today=date(2025, 6, 2)))
    starts = {str(e["SUMMARY"]): e["DTSTART"].dt for e in found}  # type: ignore[attr-defined]
    assert starts == {
        "Unknot: Is it easing?": datetime(2025, 6, 5, 9, 0),
        "Unknot: Has it gone?": datetime(2025, 6, 9, 9, 0),
    }
    for e in found:
        assert "not a diagnosis" in str(e["DESCRIPTION"])
        assert e["_alarms"] == 1
        assert str(e["UID"]).startswith("abc-123-")


def test_checkpoints_already_past_are_left_out() -> None:
    found = events(reminders_calendar(an_episode(), routine=False, today=date(2025, 6, 6)))
    assert [str(e["SUMMARY"]) for e in found] == ["Unknot: Has it gone?"]


def test_the_routine_repeats_each_item_at_each_of_its_times() -> None:
    found = events(reminders_calendar(None, today=date(2025, 6, 2)))
    routine = load_diary_rules().routine
    assert len(found) == sum(len(item.times) for item in routine)
    titles = {str(e["SUMMARY"]) for e in found}
    assert {"Movement break", "Drink some water", "Gentle stretches"} <= titles
    breaks = [e for e in found if str(e["SUMMARY"]) == "Movement break"]
    rule = breaks[0]["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"] and rule["BYDAY"] == ["MO", "TU", "WE", "TH", "FR"]  # type: ignore[index]


def test_routine_reminders_carry_the_matching_prevention_advice() -> None:
    found = events(reminders_calendar(None, today=date(2025, 6, 2)))
    stretches = next(e for e in found if str(e["SUMMARY"]) == "Gentle stretches")
    text = str(stretches["DESCRIPTION"])
    assert "From your prevention plan" in text and "Exercises:" in text
    assert "not a diagnosis" in text


def test_the_same_reminder_keeps_the_same_uid_so_calendars_update_it() -> None:
    one = {str(e["UID"]) for e in events(reminders_calendar(an_episode(), today=date(2025, 6, 2)))}
    two = {str(e["UID"]) for e in events(reminders_calendar(an_episode(), today=date(2025, 6, 3)))}
    assert one == two
