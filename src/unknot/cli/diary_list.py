"""``unknot diary list`` in the terminal: one page of episodes, newest first.

A SQLite diary already at this Unknot's schema is read here with the standard
library (read-only, only the page shown and a few counts), so listing a
ten-year diary loads neither SQLAlchemy, Alembic nor Pydantic. Anything else
(another database, a diary to migrate or that cannot be read as it is, JSON
output) goes through the diary package, which gives the same page and the
clear messages.

:func:`run` reads a plain ``unknot diary list`` command line itself, without
Typer (as :mod:`unknot.cli.quick` does for ``assess --text``): ``--page``,
``--per-page``, ``--all``, ``--format text`` and ``--db-url``, each once, with a
value Typer would accept. Any other line (help, JSON, a value to refuse) or a
diary :func:`quick_page` cannot read is left to Typer, so every message and exit
status stays Typer's.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Sequence
from contextlib import closing
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from ..diary.location import HEAD_REVISION, plain_sqlite_file, resolve_url
from ..diary.wording import history_note, lasted_text, months_between, places
from .plain_line import plain_options

_SQLITE_HEADER = b"SQLite format 3\x00"
RECENT_MONTHS = 12
"""The months whose episodes the list counts (from the newest)."""


if TYPE_CHECKING:  # only for the type checker: a Protocol costs time to make

    class Listed(Protocol):
        """What a row of the list shows (an :class:`~unknot.diary.schemas.Episode`, or a Row)."""

        @property
        def id(self) -> int: ...
        @property
        def started_at(self) -> datetime: ...
        @property
        def ended_at(self) -> datetime | None: ...
        @property
        def regions(self) -> Sequence[str]: ...
        @property
        def triggers(self) -> Sequence[str]: ...
        @property
        def worst_pain(self) -> int | None: ...
        @property
        def level(self) -> str | None: ...
        @property
        def checkin_count(self) -> int: ...

    class MonthLike(Protocol):
        @property
        def month(self) -> str: ...
        @property
        def episodes(self) -> int: ...

    class HistoryLike(Protocol):
        @property
        def note(self) -> str: ...
        @property
        def episodes(self) -> Sequence[Listed]: ...
        @property
        def per_month(self) -> Sequence[MonthLike]: ...
        @property
        def total(self) -> int: ...
        @property
        def offset(self) -> int: ...


class Row(NamedTuple):
    id: int
    started_at: datetime
    ended_at: datetime | None
    regions: list[str]
    triggers: list[str]
    worst_pain: int | None
    level: str | None
    checkin_count: int


class Month(NamedTuple):
    month: str
    episodes: int


class Page(NamedTuple):
    """A page of the list; ``per_month`` holds the last :data:`RECENT_MONTHS` only."""

    note: str
    episodes: list[Row]
    per_month: list[Month]
    total: int
    offset: int


def quick_page(
    db_url: str | None, limit: int | None, offset: int, today: date | None = None
) -> Page | None:
    """The page :func:`unknot.diary.patterns.history` gives (its last months only), read
    with sqlite3; None when the diary is not a plain SQLite file already at this schema,
    or cannot be read so."""
    path = plain_sqlite_file(resolve_url(db_url))
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            if fh.read(len(_SQLITE_HEADER)) != _SQLITE_HEADER:
                return None
        with closing(sqlite3.connect(read_only_uri(path), uri=True)) as db:
            db.execute("PRAGMA busy_timeout = 15000")
            return _read(db, limit, offset, today or datetime.now().date())
    except (OSError, sqlite3.Error, ValueError, TypeError):
        return None  # the diary package opens it and says what is wrong


def read_only_uri(path: str) -> str:
    """A SQLite URI that opens the file ``path`` read-only (what a URI gives meaning
    escaped; without pathlib, whose import costs more than reading a page)."""
    full = os.path.abspath(path).replace(os.sep, "/")
    if not full.startswith("/"):  # C:/...
        full = "/" + full
    return "file://" + full.replace("%", "%25").replace("?", "%3f").replace("#", "%23") + "?mode=ro"


def _read(db: sqlite3.Connection, limit: int | None, offset: int, today: date) -> Page | None:
    db.execute("BEGIN")  # one snapshot for the counts and the page
    version = db.execute("SELECT version_num FROM alembic_version").fetchall()
    if version != [(HEAD_REVISION,)]:
        return None
    # Each count from an index; the months only from the first of the recent ones.
    (total,) = db.execute("SELECT count(*) FROM episodes").fetchone()
    (open_count,) = db.execute("SELECT count(*) FROM episodes WHERE ended_at IS NULL").fetchone()
    (first,) = db.execute("SELECT min(started_at) FROM episodes").fetchone()
    recent = months_between(_day(first), today)[-RECENT_MONTHS:] if first else []
    counts = dict(
        db.execute(
            "SELECT substr(started_at, 1, 7), count(*) FROM episodes "
            "WHERE started_at >= ? GROUP BY 1",
            (f"{recent[0]}-01",),
        )
    ) if recent else {}
    page = db.execute(
        "SELECT id, started_at, ended_at, regions, triggers, peak_pain, level FROM episodes "
        "ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
        (-1 if limit is None else limit, offset),
    ).fetchall()
    ids = [r[0] for r in page]
    stats = {
        ident: (n, worst)
        for ident, n, worst in db.execute(
            "SELECT episode_id, count(id), max(pain) FROM checkins "
            f"WHERE episode_id IN ({','.join('?' * len(ids))}) GROUP BY episode_id",
            ids,
        )
    } if ids else {}
    rows = []
    for ident, started, ended, regions, triggers, peak, level in page:
        n, most = stats.get(ident, (0, None))
        pains = [p for p in (peak, most) if p is not None]
        rows.append(
            Row(
                id=ident, started_at=datetime.fromisoformat(started),
                ended_at=datetime.fromisoformat(ended) if ended else None,
                regions=list(json.loads(regions) or []), triggers=list(json.loads(triggers) or []),
                worst_pain=max(pains) if pains else None, level=level, checkin_count=n,
            )
        )
    return Page(
        note=history_note(total, open_count), episodes=rows,
        per_month=[Month(m, counts.get(m, 0)) for m in recent],
        total=total, offset=offset,
    )


def _day(stored: str) -> date:
    return datetime.fromisoformat(stored).date()


def print_history(h: HistoryLike) -> None:
    """The note, the page as a table, and the episodes begun in each of the last 12 months."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Plain Text, not markup, and no :emoji: codes: a person's words print as written,
    # and Rich has nothing to parse in the 160 cells of a page.
    c = Console(highlight=False, emoji=False)
    c.print(Text(h.note))
    if not h.episodes:
        return
    table = Table("#", "Began", "Lasted", "Where", "Worst", "Trigger", "Triage", "Check-ins")
    for e in h.episodes:
        cells = (
            str(e.id), f"{e.started_at:%d %b %Y}", lasted_text(e.started_at, e.ended_at),
            places(e.regions), "-" if e.worst_pain is None else f"{e.worst_pain}/10",
            places(e.triggers), (e.level or "-").replace("_", " "), str(e.checkin_count),
        )
        table.add_row(*(Text(cell) for cell in cells))
    c.print(table)
    recent = h.per_month[-RECENT_MONTHS:]
    months = ", ".join(f"{m.month} {m.episodes}" for m in recent)
    c.print(Text(f"Episodes per month (last {RECENT_MONTHS}): {months}"))


def pager_line(h: HistoryLike, page: int) -> str | None:
    """Where this page is among all the episodes, and how to see the others."""
    shown = len(h.episodes)
    if shown >= h.total:
        return None
    first, last = h.offset + 1, h.offset + shown
    where = f"Episodes {first}-{last} of {h.total}" if shown else "No episodes here"
    more = f"; older: --page {page + 1}" if h.offset + shown < h.total else ""
    return f"{where}, newest first{more}; every one: --all."


# --- The command line, read without Typer -----------------------------------------

_VALUED = {"--page": "page", "--per-page": "per_page", "--format": "format", "--db-url": "db_url"}
_FLAGS = {"--all": "show_all"}
MAX_PAGE = 1_000_000
"""The highest ``--page`` (beyond any diary, and its offset stays within SQLite's integers)."""
MAX_PER_PAGE = 10_000
_BOUNDS = {"page": (1, MAX_PAGE), "per_page": (1, MAX_PER_PAGE)}  # the Typer command's own
ENV_VAR = "UNKNOT_DATABASE_URL"  # --db-url's envvar on the Typer command


def _number(value: str, low: int, high: int) -> int | None:
    """A plain decimal within bounds, else None (Typer then says what is allowed)."""
    if not value.isascii() or not value.isdigit():
        return None
    number = int(value)
    return number if low <= number <= high else None


class ListLine(NamedTuple):
    """What a ``diary list`` line asks for (the Typer command's defaults)."""

    page: int = 1
    per_page: int = 20
    show_all: bool = False
    db_url: str | None = None


def parse(args: Sequence[str]) -> ListLine | None:
    """The options of a ``diary list`` line, or None to leave the line to Typer."""
    found = plain_options(args, _VALUED, _FLAGS)
    if found is None:
        return None
    seen: dict[str, Any] = {}
    for key, text in found.items():
        if isinstance(text, bool):
            seen[key] = text
        elif not text:
            return None
        elif key in _BOUNDS:
            seen[key] = _number(text, *_BOUNDS[key])
            if seen[key] is None:
                return None
        elif key == "format" and text != "text":
            return None  # JSON goes through the diary package; a wrong value to Typer
        else:
            seen[key] = text
    seen.pop("format", None)
    return ListLine(**seen)


def run(args: Sequence[str]) -> int | None:
    """Run ``unknot diary list`` with ``args`` (what follows ``list``) and return the exit
    status, or return None, having printed nothing, when Typer must run it."""
    line = parse(args)
    if line is None:
        return None
    db_url = line.db_url or os.environ.get(ENV_VAR) or None
    try:
        result = quick_page(
            db_url,
            None if line.show_all else line.per_page,
            0 if line.show_all else (line.page - 1) * line.per_page,
        )
        if result is None:
            return None
        print_history(result)
        pager = pager_line(result, line.page)
        if pager:
            sys.stdout.write(pager + "\n")
            sys.stdout.flush()
    except (EOFError, KeyboardInterrupt):
        sys.stderr.write("\nAborted.\n")
        return 1
    except Exception as exc:
        from .quick import UNEXPECTED

        sys.stderr.write(UNEXPECTED.format(kind=type(exc).__name__) + "\n")
        return 1
    return 0
