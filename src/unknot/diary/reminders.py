"""Reminders as an iCalendar file any calendar app can import.

Two kinds: the dated checkpoints of an episode's plan (checkpoints.yaml, dated
from the day it began), and the prevention routine of diary_rules.yaml
(movement breaks, water, stretching) as repeating events. Times are "floating"
local times, so they stay at the same clock time wherever the calendar is.
Each event has a stable UID, so importing a newer file updates the old events
instead of adding copies.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .schemas import Episode

PRODID = "-//Unknot//Back spasm diary reminders//EN"
CHECKPOINT_TIME = time(9, 0)
NOT_A_DIAGNOSIS = "Unknot is not a diagnosis. If you are worried, get medical help."


def _text(value: str) -> str:
    return " ".join(value.split())


def reminders_calendar(
    episode: Episode | None,
    *,
    routine: bool = True,
    today: date | None = None,
    now: datetime | None = None,
) -> bytes:
    """An .ics file: the episode's upcoming checkpoints and (optionally) the routine."""
    from icalendar import Alarm, Calendar, Event, vRecur

    today = today or date.today()
    stamp = (now or datetime.now()).astimezone()
    kb, rules = load_knowledge(), load_diary_rules()
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Unknot reminders")

    def alarm(summary: str) -> Alarm:
        al = Alarm()
        al.add("action", "DISPLAY")
        al.add("description", summary)
        al.add("trigger", timedelta(0))
        return al

    at_any_time = [_text(c.text) for c in kb.checkpoints if c.day is None]
    if episode is not None:
        for cp in kb.checkpoints:
            if cp.day is None:
                continue
            when = episode.started_at.date() + timedelta(days=cp.day)
            if when < today:
                continue
            ev = Event()
            summary = f"Unknot: {cp.title}"
            ev.add("uid", f"{episode.uid}-{cp.id}@unknot")
            ev.add("dtstamp", stamp)
            ev.add("summary", summary)
            ev.add("dtstart", datetime.combine(when, CHECKPOINT_TIME))
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
    if routine:
        for item in rules.routine:
            body = [_text(item.text)]
            linked = plan.get(item.prevention or "")
            if linked is not None:
                advice = f"{linked.title.lower()}: {_text(linked.text)}"
                body.append(f"From your prevention plan, {advice}")
                names = [kb.exercises[e].title for e in linked.exercises if e in kb.exercises]
                if names:
                    body.append("Exercises: " + ", ".join(names) + ".")
            body.append(NOT_A_DIAGNOSIS)
            for hhmm in item.times:
                hour, minute = (int(part) for part in hhmm.split(":"))
                ev = Event()
                ev.add("uid", f"{item.id}-{hour:02d}{minute:02d}@unknot")
                ev.add("dtstamp", stamp)
                ev.add("summary", item.title)
                ev.add("dtstart", datetime.combine(today, time(hour, minute)))
                ev.add("duration", timedelta(minutes=item.minutes))
                ev.add("rrule", vRecur({"FREQ": "WEEKLY", "BYDAY": list(item.days)}))
                ev.add("description", "\n\n".join(body))
                ev.add("categories", ["Unknot", "prevention"])
                ev.add_component(alarm(item.title))
                cal.add_component(ev)
    return bytes(cal.to_ical())
