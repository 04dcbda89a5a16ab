"""The diary as the web app opens it: one database engine per app, opened on first use.

The diary package is imported lazily (SQLAlchemy and Alembic are heavy); a
request reads or writes through :func:`reading` / :func:`writing`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from fastapi import Request

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
