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
"""

from __future__ import annotations

import copy
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

IDLE_SECONDS = 3 * 3600
MAX_INTERVIEWS = 2000


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

    def __init__(self, idle_seconds: float = IDLE_SECONDS, limit: int = MAX_INTERVIEWS) -> None:
        self._items: OrderedDict[tuple[str, str], tuple[float, InterviewState]] = OrderedDict()
        self._idle = idle_seconds
        self._limit = limit
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
            while len(self._items) > self._limit:
                self._items.popitem(last=False)

    def load(self, cookie: str | None, ident: str) -> InterviewState | None:
        """A copy of the interview, or None when it is unknown or has expired."""
        if not cookie or not ident:
            return None
        key = (self._session(cookie), ident)
        now = time.monotonic()
        with self._lock:
            entry = self._items.get(key)
            if entry is None:
                return None
            if now - entry[0] > self._idle:
                del self._items[key]
                return None
            self._items[key] = (now, entry[1])
            self._items.move_to_end(key)
            return copy.deepcopy(entry[1])

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
