"""Calendar reminders a calendar app imports cleanly: parsed with icalendar and
expanded with recurring-ical-events, as a calendar would show them."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import recurring_ical_events
from icalendar import Calendar
from typer.testing import CliRunner

from unknot.cli import app
from unknot.diary.reminders import BadTimeZone, EmptyCalendar, reminders_calendar
from unknot.diary.schemas import Episode
from unknot.knowledge.loader import load_diary_rules

MONDAY = datetime(2025, 6, 2, 17, 0)
THURSDAY = datetime(2025, 6, 5, 8, 0)
ZONE = "Europe/Warsaw"


def an_episode(started: datetime = MONDAY, ended: datetime | None = None) -> Episode:
    return Episode(id=1, uid="abc-123", started_at=started, ended_at=ended, regions=["neck"],
                   peak_pain=6, triggers=[], tried=[], notes="", level=None)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(data: bytes) -> list[Any]:
    return list(parse(data).walk("VEVENT"))


def shown(data: bytes, start: date, end: date) -> list[Any]:
    """Every occurrence a calendar app would show between start and end."""
    return list(recurring_ical_events.of(parse(data)).between(start, end))


def calendar(episode: Episode | None = None, **kw: Any) -> bytes:
    kw.setdefault("today", date(2025, 6, 2))
    kw.setdefault("tz", ZONE)
    return reminders_calendar(episode, **kw)


def test_checkpoints_fall_on_day_3_and_day_7_at_nine_in_the_persons_zone() -> None:
    found = events(calendar(an_episode(), routine=False))
    starts = {str(e["SUMMARY"]): e["DTSTART"].dt for e in found}
    assert {k: v.replace(tzinfo=None) for k, v in starts.items()} == {
        "Unknot: Is it easing?": datetime(2025, 6, 5, 9, 0),
        "Unknot: Has it gone?": datetime(2025, 6, 9, 9, 0),
    }
    assert {str(v.tzinfo) for v in starts.values()} == {ZONE}
    for e in found:
        assert "not a diagnosis" in str(e["DESCRIPTION"])
        assert len(e.walk("VALARM")) == 1
        assert str(e["UID"]).startswith("abc-123-")


def test_every_time_carries_a_tzid_that_the_file_defines() -> None:
    data = calendar(an_episode())
    text = data.decode()
    assert "DTSTART;TZID=Europe/Warsaw:" in text
    for e in events(data):  # no floating times
        assert e["DTSTART"].dt.tzinfo is not None and e["DTSTART"].params["TZID"] == ZONE
    zones = [str(tz["TZID"]) for tz in parse(data).walk("VTIMEZONE")]
    assert zones == [ZONE]
    assert parse(data)["X-WR-TIMEZONE"] == ZONE


def test_the_system_zone_is_used_when_none_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    import tzlocal

    monkeypatch.setattr(tzlocal, "get_localzone_name", lambda: "Asia/Kolkata")
    data = reminders_calendar(an_episode(), today=date(2025, 6, 2))
    assert {str(e["DTSTART"].dt.tzinfo) for e in events(data)} == {"Asia/Kolkata"}


def test_an_unknown_zone_is_refused() -> None:
    with pytest.raises(BadTimeZone, match="Mars/Olympus"):
        calendar(an_episode(), tz="Mars/Olympus")


def test_checkpoints_already_past_are_left_out() -> None:
    found = events(calendar(an_episode(), routine=False, today=date(2025, 6, 6)))
    assert [str(e["SUMMARY"]) for e in found] == ["Unknot: Has it gone?"]


def test_the_routine_ends_with_the_episodes_last_checkpoint() -> None:
    data = calendar(an_episode())
    occurrences = shown(data, date(2025, 6, 1), date(2026, 6, 1))
    assert occurrences, "nothing to show"
    last = max(o["DTSTART"].dt for o in occurrences).date()
    assert last == date(2025, 6, 9)  # day 7, the last checkpoint
    for e in events(data):
        if "RRULE" in e:
            assert e["RRULE"]["UNTIL"], "a routine without an end"


def test_an_ended_episode_ends_the_routine_on_its_last_day() -> None:
    ended = an_episode(ended=datetime(2025, 6, 4, 12, 0))
    occurrences = shown(calendar(ended), date(2025, 6, 1), date(2026, 6, 1))
    assert max(o["DTSTART"].dt for o in occurrences).date() == date(2025, 6, 4)
    assert not any("Unknot:" in str(o["SUMMARY"]) for o in occurrences)  # no checkpoints


def test_without_an_episode_the_routine_stops_after_the_set_number_of_days() -> None:
    days = load_diary_rules().reminders.days_without_episode
    occurrences = shown(calendar(None), date(2025, 6, 1), date(2026, 6, 1))
    last = max(o["DTSTART"].dt for o in occurrences).date()
    assert date(2025, 6, 2) + timedelta(days=days - 7) <= last < date(2025, 6, 2) + timedelta(
        days=days)


@pytest.mark.parametrize("started", [MONDAY, THURSDAY, datetime(2025, 6, 7, 9, 0)])
def test_never_more_than_three_alarms_a_day(started: datetime) -> None:
    limit = load_diary_rules().reminders.max_alarms_per_day
    assert limit <= 3
    data = calendar(an_episode(started), today=started.date())
    occurrences = shown(data, date(2025, 5, 1), date(2025, 8, 1))
    alarms = Counter(o["DTSTART"].dt.date() for o in occurrences for _ in o.walk("VALARM"))
    assert alarms and max(alarms.values()) <= limit
    # the checkpoints are never the ones dropped
    titles = {str(o["SUMMARY"]) for o in occurrences}
    assert {"Unknot: Is it easing?", "Unknot: Has it gone?"} <= titles


def test_weekends_have_their_own_routine() -> None:
    occurrences = shown(calendar(None), date(2025, 6, 2), date(2025, 6, 9))
    by_day: dict[int, set[str]] = {}
    for o in occurrences:
        by_day.setdefault(o["DTSTART"].dt.weekday(), set()).add(str(o["SUMMARY"]))
    assert by_day[5] and by_day[6], "nothing on Saturday or Sunday"
    assert by_day[5] != by_day[0]  # the weekend routine is not the working-day one


def test_routine_reminders_carry_the_matching_prevention_advice() -> None:
    found = events(calendar(None))
    stretches = next(e for e in found if str(e["SUMMARY"]) == "Gentle stretches")
    text = str(stretches["DESCRIPTION"])
    assert "From your prevention plan" in text and "Exercises:" in text
    assert "not a diagnosis" in text and "repeats until" in text


def test_the_same_reminder_keeps_the_same_uid_so_calendars_update_it() -> None:
    one = {str(e["UID"]) for e in events(calendar(an_episode(), today=date(2025, 6, 2)))}
    two = {str(e["UID"]) for e in events(calendar(an_episode(), today=date(2025, 6, 3)))}
    assert one == two


def test_an_empty_calendar_is_an_error() -> None:
    with pytest.raises(EmptyCalendar, match="no open episode"):
        calendar(None, routine=False)
    with pytest.raises(EmptyCalendar, match="is over"):
        calendar(an_episode(ended=datetime(2025, 5, 20)), routine=False)


runner = CliRunner()


def test_cli_refuses_an_empty_calendar_and_a_bad_zone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{tmp_path / 'd.sqlite3'}")
    ics = tmp_path / "r.ics"
    empty = runner.invoke(app, ["diary", "reminders", "--no-routine", "-o", str(ics)])
    assert empty.exit_code == 2 and "Nothing to put in a calendar" in empty.stderr
    assert not ics.exists()
    bad = runner.invoke(app, ["diary", "reminders", "--tz", "Mars/Olympus", "-o", str(ics)])
    assert bad.exit_code == 2 and "--tz" in bad.stderr and not ics.exists()
    good = runner.invoke(app, ["diary", "reminders", "--tz", "America/Chicago", "-o", str(ics)])
    assert good.exit_code == 0
    assert "TZID=America/Chicago" in ics.read_text()
