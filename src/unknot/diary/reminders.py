"""Reminders as an iCalendar file any calendar app can import.

Two kinds: the dated checkpoints of an episode's plan (checkpoints.yaml, dated
from the day it began), and the prevention routine of diary_rules.yaml
(movement and water breaks, a weekend walk, stretching) as repeating events.

- Times are in the person's time zone (``TZID``, with its ``VTIMEZONE``): the
  zone given (``--tz``) or the system's.
- The routine ends with the episode (``RRULE ... UNTIL``): on the day it is
  marked over, or else on the day of its last checkpoint. With no open episode
  it runs ``reminders.days_without_episode`` days. Nothing repeats forever.
- At most ``reminders.max_alarms_per_day`` alarms on any day: a checkpoint
  takes the place (``EXDATE``) of the day's last routine reminder.
- Each event has a stable UID, so importing a newer file updates the old events
  instead of adding copies.
- A calendar with nothing in it is an error (:class:`EmptyCalendar`), never an
  empty file that looks as if it worked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .schemas import Episode

PRODID = "-//Unknot//Back spasm diary reminders//EN"
CHECKPOINT_TIME = time(9, 0)
NOT_A_DIAGNOSIS = "Unknot is not a diagnosis. If you are worried, get medical help."
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class EmptyCalendar(ValueError):
    """Nothing to remind of: no checkpoints ahead and no routine."""


class BadTimeZone(ValueError):
    """A time zone name that is not in the IANA database."""


def time_zone(name: str | None = None) -> ZoneInfo:
    """The zone called ``name`` (IANA, e.g. Europe/Warsaw), or the system's (UTC if unknown)."""
    if name is None:
        from tzlocal import get_localzone_name

        try:
            name = get_localzone_name() or "UTC"
        except Exception:  # no zone configured on this machine
            name = "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise BadTimeZone(
            f"{name!r} is not a time zone name; use one like Europe/London or America/New_York"
        ) from None


def _text(value: str) -> str:
    return " ".join(value.split())


@dataclass
class _Routine:
    item: Any
    hour: int
    minute: int
    event: Any  # icalendar.Event
    first: date


def reminders_calendar(
    episode: Episode | None,
    *,
    routine: bool = True,
    today: date | None = None,
    now: datetime | None = None,
    tz: str | ZoneInfo | None = None,
) -> bytes:
    """An .ics file: the episode's upcoming checkpoints and (optionally) the routine.

    Raises :class:`EmptyCalendar` when there would be nothing in it and
    :class:`BadTimeZone` for an unknown ``tz``.
    """
    from icalendar import Alarm, Calendar, Event, vRecur

    zone = tz if isinstance(tz, ZoneInfo) else time_zone(tz)
    today = today or datetime.now(zone).date()
    stamp = (now or datetime.now(UTC)).astimezone(UTC)
    kb, rules = load_knowledge(), load_diary_rules()
    limits = rules.reminders

    def alarm(summary: str) -> Alarm:
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", summary)
        al.add("trigger", timedelta(0))
        return al

    def local(day: date, at: time) -> datetime:
        return datetime.combine(day, at, tzinfo=zone)

    # which checkpoints lie ahead, and when the routine stops
    dated = sorted((cp for cp in kb.checkpoints if cp.day is not None), key=lambda c: c.day or 0)
    checkpoints: list[tuple[Any, date]] = []
    if episode is not None and episode.ended_at is None:
        start = episode.started_at.date()
        checkpoints = [
            (cp, start + timedelta(days=cp.day or 0))
            for cp in dated
            if start + timedelta(days=cp.day or 0) >= today
        ]
    if episode is None:
        last_day: date | None = today + timedelta(days=limits.days_without_episode - 1)
        ends_because = f"It runs for {limits.days_without_episode} days."
    elif episode.ended_at is not None:
        last_day = episode.ended_at.date()
        ends_because = "It ends with the episode."
    else:
        last = episode.started_at.date() + timedelta(days=dated[-1].day or 0) if dated else today
        last_day = last
        ends_because = f"It ends on day {dated[-1].day if dated else 0} of the episode."

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Unknot reminders")
    cal.add("x-wr-timezone", str(zone.key))

    at_any_time = [_text(c.text) for c in kb.checkpoints if c.day is None]
    for cp, when in checkpoints:
        assert episode is not None
        ev = Event()
        summary = f"Unknot: {cp.title}"
        ev.add("uid", f"{episode.uid}-{cp.id}@unknot")
        ev.add("dtstamp", stamp)
        ev.add("summary", summary)
        ev.add("dtstart", local(when, CHECKPOINT_TIME))
        ev.add("duration", timedelta(minutes=15))
        body = [
            f"Day {cp.day} of the back spasm that began on {episode.started_at:%d %b %Y}.",
            _text(cp.text),
            *at_any_time,
            NOT_A_DIAGNOSIS,
        ]
        ev.add("description", "\n\n".join(body))
        ev.add_component(alarm(summary))
        cal.add_component(ev)

    plan = {p.id: p for p in kb.prevention}
    routines: list[_Routine] = []
    if routine and last_day is not None and last_day >= today:
        from_day = today
        if episode is not None:
            from_day = max(today, episode.started_at.date())
        until = local(last_day, time(23, 59, 59)).astimezone(UTC)
        for item in rules.routine:
            body = [_text(item.text)]
            linked = plan.get(item.prevention or "")
            if linked is not None:
                advice = f"{linked.title.lower()}: {_text(linked.text)}"
                body.append(f"From your prevention plan, {advice}")
                names = [kb.exercises[e].title for e in linked.exercises if e in kb.exercises]
                if names:
                    body.append("Exercises: " + ", ".join(names) + ".")
            body.append(f"This reminder repeats until {last_day:%d %b %Y}. {ends_because}")
            body.append(NOT_A_DIAGNOSIS)
            first = _first_on(from_day, item.days)
            if first > last_day:
                continue
            for hhmm in item.times:
                hour, minute = (int(part) for part in hhmm.split(":"))
                ev = Event()
                ev.add("uid", f"{item.id}-{hour:02d}{minute:02d}@unknot")
                ev.add("dtstamp", stamp)
                ev.add("summary", item.title)
                ev.add("dtstart", local(first, time(hour, minute)))
                ev.add("duration", timedelta(minutes=item.minutes))
                ev.add(
                    "rrule", vRecur({"FREQ": "WEEKLY", "BYDAY": list(item.days), "UNTIL": until})
                )
                ev.add("description", "\n\n".join(body))
                ev.add("categories", ["Unknot", "prevention"])
                ev.add_component(alarm(item.title))
                routines.append(_Routine(item, hour, minute, ev, first))

    # a checkpoint takes the place of the day's last routine reminders
    per_day: dict[date, int] = {}
    for _, when in checkpoints:
        per_day[when] = per_day.get(when, 0) + 1
    for day, extra in sorted(per_day.items()):
        weekday = WEEKDAYS[day.weekday()]
        that_day = sorted(
            (r for r in routines if weekday in r.item.days and r.first <= day),
            key=lambda r: (r.hour, r.minute),
        )
        over = len(that_day) + extra - limits.max_alarms_per_day
        for r in that_day[len(that_day) - over :] if over > 0 else []:
            r.event.add("exdate", local(day, time(r.hour, r.minute)))
    for r in routines:
        cal.add_component(r.event)

    if not cal.walk("VEVENT"):
        raise EmptyCalendar(_empty_reason(episode, routine))
    # a VTIMEZONE covering the calendar's own span keeps the file small
    span_end = max([last_day or today, *(when for _, when in checkpoints)])
    cal.add_missing_timezones(
        first_date=today - timedelta(days=366), last_date=span_end + timedelta(days=366)
    )
    return bytes(cal.to_ical())


def _first_on(day: date, days: Sequence[str]) -> date:
    """The first date on or after ``day`` that falls on one of ``days``."""
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if WEEKDAYS[candidate.weekday()] in days:
            return candidate
    return day


def _empty_reason(episode: Episode | None, routine: bool) -> str:
    if episode is None:
        what = "there is no open episode"
    elif episode.ended_at is not None:
        what = f"episode {episode.id} is over"
    else:
        what = f"episode {episode.id} has no checkpoints ahead"
    if routine:
        return f"Nothing to put in a calendar: {what}, and its routine has ended."
    return (
        f"Nothing to put in a calendar: {what}, and the prevention routine is off "
        "(--no-routine). Start an episode, or leave out --no-routine."
    )
