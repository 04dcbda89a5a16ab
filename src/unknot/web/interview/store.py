"""The answers so far, kept on the server per browser session.

A person's interview lives here, not in the page: each screen has its own
address (``/interview/<id>/<screen>``), so the browser's Back, Reload, or a
link away and back show the same screen with the answers given, and the
result stays the result. Nothing is written to disk or to a log; an entry
ends when the server stops, after :data:`IDLE_SECONDS` unused, or when the
store is full (the oldest goes first). Then the person sees a neutral
"this page has expired" page and can start again.

The session is the browser's CSRF cookie (random, HttpOnly, SameSite=Strict),
kept here only as a hash.

The result page is made once per assessment and kept beside its interview
(:meth:`InterviewStore.page`): a reload, Back to it, or a link back serves the
same bytes until an answer changes (saving the interview drops it), or what
the page was made for (its ``key``: region, date, knowledge version) differs.
At most :data:`MAX_PAGES` pages are kept, the least recently shown out first.
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

IDLE_SECONDS = 3 * 3600
MAX_INTERVIEWS = 2000
#: Result pages kept (about 50 KB each).
MAX_PAGES = 200


@dataclass
class InterviewState:
    """Everything one person's web interview carries from page to page."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    prefilled: dict[str, Any] = field(default_factory=dict)
    to_confirm: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    subject: str | None = None


class InterviewStore:
    """Interviews in memory, keyed by (session, interview id), least recently used out first."""

    def __init__(
        self,
        idle_seconds: float = IDLE_SECONDS,
        limit: int = MAX_INTERVIEWS,
        page_limit: int = MAX_PAGES,
    ) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[float, InterviewState]] = OrderedDict()
        self._pages: OrderedDict[tuple[str, str], tuple[Hashable, bytes]] = OrderedDict()
        self._idle = idle_seconds
        self._limit = limit
        self._page_limit = page_limit
        self._lock = threading.Lock()

    @staticmethod
    def _session(cookie: str) -> str:
        return hashlib.sha256(cookie.encode()).hexdigest()

    def new(self, cookie: str, state: InterviewState) -> str:
        """Store a new interview; return its id (for its addresses)."""
        ident = secrets.token_urlsafe(9)
        self.save(cookie, ident, state)
        return ident

    def save(self, cookie: str, ident: str, state: InterviewState) -> None:
        key = (self._session(cookie), ident)
        with self._lock:
            self._items[key] = (time.monotonic(), copy.deepcopy(state))
            self._items.move_to_end(key)
            self._pages.pop(key, None)  # the answers changed: the result page is made anew
            while len(self._items) > self._limit:
                gone, _ = self._items.popitem(last=False)
                self._pages.pop(gone, None)

    def load(self, cookie: str | None, ident: str) -> InterviewState | None:
        """A copy of the interview, or None when it is unknown or has expired."""
        if not cookie or not ident:
            return None
        key = (self._session(cookie), ident)
        now = time.monotonic()
        with self._lock:
            state = self._touch(key, now)
            return None if state is None else copy.deepcopy(state)

    def _touch(self, key: tuple[str, str], now: float) -> InterviewState | None:
        """The stored state, marked as used now; None (and forgotten) when idle too long."""
        entry = self._items.get(key)
        if entry is None:
            return None
        if now - entry[0] > self._idle:
            del self._items[key]
            self._pages.pop(key, None)
            return None
        self._items[key] = (now, entry[1])
        self._items.move_to_end(key)
        return entry[1]

    def page(self, cookie: str | None, ident: str, made_for: Hashable) -> bytes | None:
        """The result page kept for this interview, if it was made for ``made_for``
        from the answers as they are now; None otherwise (it is then made anew)."""
        if not cookie or not ident:
            return None
        key = (self._session(cookie), ident)
        with self._lock:
            kept = self._pages.get(key)
            if kept is None or kept[0] != made_for or self._touch(key, time.monotonic()) is None:
                return None
            self._pages.move_to_end(key)
            return kept[1]

    def keep_page(
        self, cookie: str, ident: str, made_for: Hashable, state: InterviewState, body: bytes
    ) -> None:
        """Keep the result page made from ``state`` (a copy from :meth:`load`), unless
        the interview has changed or ended since."""
        key = (self._session(cookie), ident)
        with self._lock:
            entry = self._items.get(key)
            if entry is None or entry[1] != state:
                return
            self._pages[key] = (made_for, body)
            self._pages.move_to_end(key)
            while len(self._pages) > self._page_limit:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._pages.clear()
