"""The diary as the web app uses it: one database engine per app, opened on first use.

The diary package is imported lazily (SQLAlchemy and Alembic are heavy) and
does all the work: this module only opens it and turns web form fields into
the diary's own inputs.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from fastapi import Request

from ..knowledge import load_knowledge

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

_LOCK = threading.Lock()


class DiaryUnavailable(Exception):
    """The diary database could not be opened (the message says why; no personal data)."""


def diary_engine(request: Request) -> Engine:
    """The app's diary engine, opened (and migrated) the first time it is needed."""
    state = request.app.state
    engine: Engine | None = getattr(state, "diary_engine", None)
    if engine is None:
        with _LOCK:
            engine = getattr(state, "diary_engine", None)
            if engine is None:
                from ..diary.db import DiaryStorageError, open_diary

                try:
                    engine = open_diary(state.settings.database_url)
                except DiaryStorageError as exc:
                    raise DiaryUnavailable(str(exc)) from None
                state.diary_engine = engine
    return engine


@contextmanager
def reading(request: Request) -> Iterator[Session]:
    from ..diary.db import reading as diary_reading

    with diary_reading(diary_engine(request)) as session:
        yield session


@contextmanager
def writing(request: Request) -> Iterator[Session]:
    from ..diary.db import writing as diary_writing

    with diary_writing(diary_engine(request)) as session:
        yield session


# ---------------------------------------------------------------- form options


def options(finding: str) -> list[tuple[str, str]]:
    """(value, words) for a set finding such as location or trigger."""
    from .rendering import describe_value

    kb = load_knowledge()
    return [(v, describe_value(finding, v, kb)) for v in kb.findings[finding].values]


def remedies() -> list[tuple[str, str]]:
    from ..knowledge.loader import load_diary_rules

    return [(r.id, r.label) for r in load_diary_rules().remedies]


def danger_sign_options() -> list[tuple[str, str, str]]:
    """(finding, value, words) for each box of the check-in's warning-sign list."""
    from ..knowledge.loader import load_diary_rules
    from .rendering import describe_value

    kb = load_knowledge()
    out = []
    for name in load_diary_rules().danger_signs:
        spec = kb.findings[name]
        if spec.type == "enum":
            for value in spec.values:
                if value != "none":
                    out.append((name, value, describe_value(name, value, kb)))
        else:
            out.append((name, "true", spec.label[:1].upper() + spec.label[1:]))
    return out


def feelings() -> list[tuple[str, str]]:
    from ..knowledge.loader import load_diary_rules

    return [(k, f.label) for k, f in load_diary_rules().feelings.items()]


def local_input(value: datetime) -> str:
    """A time as a ``datetime-local`` input value."""
    return value.strftime("%Y-%m-%dT%H:%M")


def blank(value: Any) -> Any:
    return None if value in (None, "") else value


def episode_data(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The new-episode form as the diary's EpisodeIn data (checked by the diary)."""
    tried = []
    for remedy, _ in remedies():
        answer = form.get(f"tried.{remedy}")
        if answer in ("yes", "no", "unsure"):
            tried.append({"remedy": remedy, "helped": {"yes": True, "no": False}.get(answer)})
    return {
        "started_at": blank(form.get("started_at")) or datetime.now(),
        "ended_at": blank(form.get("ended_at")),
        "regions": list(getlist("regions")),
        "peak_pain": blank(form.get("peak_pain")),
        "triggers": list(getlist("triggers")),
        "tried": tried,
        "notes": str(form.get("notes") or ""),
    }


def checkin_data(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The check-in form as the diary's CheckinIn data; for a sign with levels
    (one leg, both legs) the last ticked in the catalogue's order counts."""
    kb = load_knowledge()
    signs: dict[str, Any] = {}
    for ticked in getlist("signs"):
        name, _, value = str(ticked).partition("=")
        spec = kb.findings.get(name)
        if spec is not None and spec.type == "enum" and name in signs:
            order = spec.values
            if value in order and order.index(value) < order.index(signs[name]):
                continue
        signs[name] = value
    return {
        "at": blank(form.get("at")) or datetime.now(),
        "pain": blank(form.get("pain")),
        "feeling": blank(form.get("feeling")),
        "danger_signs": signs,
        "notes": str(form.get("notes") or ""),
    }


def from_result(result: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """A new episode filled from an assessment, as ``unknot diary start --findings`` does."""
    found = result.get("findings") or {}
    started = now
    days = found.get("days_since_onset")
    if isinstance(days, int | float) and days > 0:
        started = now - timedelta(days=float(days))
    return {
        "started_at": started,
        "regions": list(found.get("location", [])),
        "triggers": list(found.get("trigger", [])),
        "peak_pain": found.get("pain_score"),
        "assessment": dict(result),
    }
