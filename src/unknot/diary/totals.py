"""What the patterns are made of: the totals of a diary, counted once.

:func:`.repository.pattern_totals` counts them in SQL; :func:`totals_of` counts
the same from episodes in Python (the reference the SQL is tested against).
:mod:`.patterns` turns them into what a person reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from .schemas import RemedyStat


class TriedLike(Protocol):
    @property
    def remedy(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def helped(self) -> bool | None: ...


class EpisodeLike(Protocol):
    """What the patterns read of an episode (an :class:`Episode`, or the lighter facts)."""

    @property
    def id(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime | None: ...
    @property
    def triggers(self) -> Sequence[str]: ...
    @property
    def tried(self) -> Sequence[TriedLike]: ...
    @property
    def worst_pain(self) -> int | None: ...


class RemedyCount(Protocol):
    """How often one remedy was tried and said to help or not (counted in SQL or here)."""

    @property
    def remedy(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def tried(self) -> int: ...
    @property
    def helped(self) -> int: ...
    @property
    def not_helped(self) -> int: ...


def remedy_counts(episodes: Sequence[EpisodeLike]) -> list[RemedyStat]:
    """Each remedy's counts over the episodes, in the order first tried (notes left empty)."""
    counts: dict[str, list[int]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for e in episodes:
        for t in e.tried:
            row = counts.setdefault(t.remedy, [0, 0, 0])
            row[0] += 1
            row[1] += t.helped is True
            row[2] += t.helped is False
            labels[t.remedy] = (t.label, t.kind)
    return [
        RemedyStat(
            remedy=r, label=labels[r][0], kind=labels[r][1], tried=n, helped=yes,
            not_helped=no, enough=False, note="",
        )
        for r, (n, yes, no) in counts.items()
    ]


@dataclass
class Totals:
    """What the patterns are made of, counted once: in SQL over a diary
    (:func:`.repository.pattern_totals`), or here from episodes (:func:`totals_of`)."""

    episodes: int = 0
    first: datetime | None = None
    last: datetime | None = None
    #: YYYY-MM -> episodes begun in that month
    months: dict[str, int] = field(default_factory=dict)
    #: how long the episodes that ended lasted: how many, in whole microseconds
    #: their total, the longest and the middle one (two when their number is even)
    ended: int = 0
    total_us: int = 0
    longest_us: int = 0
    middle_us: tuple[int, ...] = ()
    #: worst pain -> how many episodes had it as their worst
    worst: dict[int, int] = field(default_factory=dict)
    triggers: Counter[str] = field(default_factory=Counter)
    with_trigger: int = 0
    #: each remedy's counts, in the order first tried
    remedies: Sequence[RemedyCount] = ()
    factors: Counter[str] = field(default_factory=Counter)
    #: a factor's title as the latest assessment naming it gave it
    factor_titles: dict[str, str] = field(default_factory=dict)
    assessed: int = 0


def totals_of(
    episodes: Sequence[EpisodeLike],
    factors: Mapping[int, Sequence[Mapping[str, Any]]],
    remedies: Sequence[RemedyCount] | None = None,
) -> Totals:
    """The totals of ``episodes`` counted here (see :func:`build_patterns`)."""
    micro = timedelta(microseconds=1)
    assessed = [factors[e.id] for e in episodes if e.id in factors]
    lasted = sorted((e.ended_at - e.started_at) // micro for e in episodes if e.ended_at)
    return Totals(
        episodes=len(episodes),
        first=min((e.started_at for e in episodes), default=None),
        last=max((e.started_at for e in episodes), default=None),
        months=dict(Counter(e.started_at.strftime("%Y-%m") for e in episodes)),
        ended=len(lasted),
        total_us=sum(lasted),
        longest_us=max(lasted, default=0),
        middle_us=middle(lasted),
        worst=dict(Counter(e.worst_pain for e in episodes if e.worst_pain is not None)),
        triggers=Counter(t for e in episodes for t in e.triggers),
        with_trigger=sum(1 for e in episodes if e.triggers),
        remedies=remedy_counts(episodes) if remedies is None else remedies,
        factors=Counter(str(f.get("id")) for fs in assessed for f in fs),
        factor_titles=_titles(assessed),
        assessed=len(assessed),
    )


def middle(ordered: Sequence[int]) -> tuple[int, ...]:
    """The middle value of a sorted list, or the middle two when their number is even."""
    n = len(ordered)
    return () if not n else tuple(ordered[(n - 1) // 2 : n // 2 + 1])


def rank_key(count: RemedyCount, min_tries: int) -> tuple[bool, float, int]:
    """Where a remedy comes in "what helped": rated often enough first, then by the share of
    ratings that said it helped, then by how often tried (ties: the order first tried)."""
    rated = count.helped + count.not_helped
    return (rated < min_tries, -count.helped / max(1, rated), -count.tried)


def _titles(assessed: Sequence[Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    return {str(f.get("id")): str(f.get("title")) for fs in assessed for f in fs if f.get("title")}
