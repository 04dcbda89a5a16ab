"""Small wording shared by every rendering of the diary, with no heavy imports
(the terminal's episode list uses it without loading the rest of the diary)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime


def lasted_text(started_at: datetime, ended_at: datetime | None) -> str:
    """How long an episode lasted: '1.5 days', '12 days', or 'still going'."""
    if ended_at is None:
        return "still going"
    days = (ended_at - started_at).total_seconds() / 86400
    return f"{days:.1f} days" if days < 10 else f"{round(days)} days"


def places(values: Sequence[str]) -> str:
    return ", ".join(v.replace("_", " ") for v in values) or "-"


def months_between(first: date, last: date) -> list[str]:
    """Every month from ``first`` to ``last`` as YYYY-MM, both included."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def history_note(total: int, open_count: int) -> str:
    if total == 0:
        return "No episodes recorded yet."
    return f"{plural(total, 'episode')} recorded, {open_count} open."
