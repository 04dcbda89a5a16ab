"""History and patterns: how often, how long, how bad, what helped, what came before.

:func:`build_patterns` is pure (episodes in, :class:`Patterns` out); the numbers
below which the record is "too few to say" come from ``diary_rules.yaml``, and
every section says plainly when it is only a count, not a pattern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from statistics import mean, median
from typing import Any, Protocol

from sqlalchemy.orm import Session

from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .schemas import Episode, Output, RemedyStat
from .wording import history_note as history_note
from .wording import months_between as months_between
from .wording import plural as _plural


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


class MonthCount(Output):
    month: str  # YYYY-MM
    episodes: int


class Spread(Output):
    """A few plain numbers about one measure, over the episodes that have it."""

    count: int
    median: float | None
    mean: float | None
    highest: float | None


class CountItem(Output):
    id: str
    label: str
    episodes: int


class Patterns(Output):
    """Everything the patterns view shows, with the honest note for each part."""

    episode_count: int
    first: date | None
    last: date | None
    enough: bool
    note: str
    per_month: list[MonthCount]
    duration_days: Spread
    duration_note: str
    worst_pain: Spread
    what_helped: list[RemedyStat]
    helped_note: str
    triggers: list[CountItem]
    trigger_note: str
    factors: list[CountItem]
    factor_note: str


def _spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(count=0, median=None, mean=None, highest=None)
    return Spread(
        count=len(values),
        median=_round(median(values)),
        mean=_round(mean(values)),
        highest=_round(max(values)),
    )


def _round(value: float) -> float:
    """One decimal; whole numbers stay whole (7, not 7.0, when shown with :g)."""
    return round(float(value), 1)


def per_month(episodes: Sequence[EpisodeLike], until: date) -> list[MonthCount]:
    """Episodes begun in each month from the first episode to ``until`` (zeros kept)."""
    if not episodes:
        return []
    counts = Counter(e.started_at.strftime("%Y-%m") for e in episodes)
    first = min(e.started_at for e in episodes).date()
    return month_counts(counts, first, until)


def month_counts(counts: Mapping[str, int], first: date, until: date) -> list[MonthCount]:
    """``counts`` (YYYY-MM -> episodes) for every month from ``first`` to ``until``."""
    return [MonthCount(month=m, episodes=counts.get(m, 0)) for m in months_between(first, until)]


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


def _what_helped(counts: Sequence[RemedyCount], min_tries: int) -> tuple[list[RemedyStat], str]:
    stats = []
    for c in counts:
        helped, not_helped = c.helped, c.not_helped
        rated = helped + not_helped
        enough = rated >= min_tries
        if enough:
            note = f"helped {helped} of {rated} times it was rated"
        elif rated == 0:
            note = f"tried {_plural(c.tried, 'time')}, not rated yet"
        else:
            note = f"rated {_plural(rated, 'time')}: too few to say"
        stats.append(
            RemedyStat(
                remedy=c.remedy, label=c.label, kind=c.kind, tried=c.tried, helped=helped,
                not_helped=not_helped, enough=enough, note=note,
            )
        )
    stats.sort(key=lambda s: rank_key(s, min_tries))
    if not stats:
        return stats, "Nothing tried has been recorded yet."
    best = stats[0]
    if not best.enough:
        return stats, (
            f"Nothing has been rated at least {min_tries} times yet, so the diary cannot "
            "say what helps you most."
        )
    return stats, f"What has helped you most so far: {best.label.lower()} ({best.note})."


def _counted(items: Counter[str], labels: Mapping[str, str]) -> list[CountItem]:
    return [
        CountItem(id=key, label=labels.get(key, key.replace("_", " ")), episodes=n)
        for key, n in sorted(items.items(), key=lambda kv: (-kv[1], kv[0]))
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


def build_patterns(
    episodes: Sequence[EpisodeLike],
    factors: Mapping[int, Sequence[Mapping[str, Any]]],
    today: date,
    remedies: Sequence[RemedyCount] | None = None,
) -> Patterns:
    """Patterns over the whole diary. ``factors`` maps episode id to assessment factors;
    ``remedies`` the counts of what was tried (counted from ``episodes`` when None)."""
    return patterns_from(totals_of(episodes, factors, remedies), today)


_DAY_US = 86_400 * 10**6


def middle(ordered: Sequence[int]) -> tuple[int, ...]:
    """The middle value of a sorted list, or the middle two when their number is even."""
    n = len(ordered)
    return () if not n else tuple(ordered[(n - 1) // 2 : n // 2 + 1])


def _spread_us(t: Totals) -> Spread:
    """Median, mean and longest duration in days, exact until rounded (from microseconds)."""
    if not t.ended:
        return Spread(count=0, median=None, mean=None, highest=None)
    return Spread(
        count=t.ended,
        median=_round(sum(t.middle_us) / (len(t.middle_us) * _DAY_US)),
        mean=_round(t.total_us / (t.ended * _DAY_US)),
        highest=_round(t.longest_us / _DAY_US),
    )


def _spread_counts(counts: Mapping[int, int]) -> Spread:
    """:func:`_spread` of whole numbers given as value -> how many times (the same figures)."""
    n = sum(counts.values())
    if not n:
        return Spread(count=0, median=None, mean=None, highest=None)

    def nth(index: int) -> int:
        for value in sorted(counts):
            index -= counts[value]
            if index < 0:
                return value
        raise IndexError(index)

    mid = n // 2
    middle = nth(mid) if n % 2 else (nth(mid - 1) + nth(mid)) / 2
    total = sum(value * times for value, times in counts.items())
    return Spread(
        count=n,
        median=_round(middle),
        mean=_round(total / n),
        highest=_round(max(counts)),
    )


def patterns_from(totals: Totals, today: date) -> Patterns:
    """The patterns, with their honest notes, from the diary's totals."""
    thresholds = load_diary_rules().patterns
    n = totals.episodes
    enough = n >= thresholds.min_episodes
    first, last = totals.first, totals.last
    if n == 0 or first is None or last is None:
        note = "The diary is empty, so there is nothing to look at yet."
    elif not enough:
        note = (
            f"Only {_plural(n, 'episode')} recorded: too few to see a pattern. "
            "The numbers below are a record, not a trend."
        )
    else:
        note = f"Based on {_plural(n, 'episode')}, {first:%d %b %Y} to {last:%d %b %Y}."

    ended = totals.ended
    duration_note = (
        "No episode has been marked as over yet, so there is no duration to show."
        if not ended
        else f"From {_plural(ended, 'episode')} marked as over."
    )

    helped, helped_note = _what_helped(totals.remedies, thresholds.min_tries)
    triggers = _counted(totals.triggers, {})
    with_trigger = totals.with_trigger
    if not with_trigger:
        trigger_note = "No trigger has been recorded yet."
    elif with_trigger < thresholds.min_episodes:
        trigger_note = (
            f"Triggers recorded for only {_plural(with_trigger, 'episode')}: too few to say."
        )
    else:
        trigger_note = _top_note(triggers, with_trigger)

    kb_factors = {f.id: f.title for f in load_knowledge().factors}
    factor_items = _counted(totals.factors, {**kb_factors, **totals.factor_titles})
    assessed = totals.assessed
    if not assessed:
        factor_note = (
            "No episode was started from an assessment, so no lifestyle factors are known."
        )
    elif assessed < thresholds.min_episodes:
        factor_note = (
            f"Only {_plural(assessed, 'episode')} started from an assessment: "
            "too few to say which factors come before your spasms."
        )
    elif factor_items:
        factor_note = (
            f"Came up most often in the assessments before your episodes: "
            f"{factor_items[0].label.lower()} ({factor_items[0].episodes} of {assessed})."
        )
    else:
        factor_note = "The assessments found no lifestyle factor."

    return Patterns(
        episode_count=n,
        first=first.date() if first else None,
        last=last.date() if last else None,
        enough=enough,
        note=note,
        per_month=month_counts(totals.months, first.date(), today) if first else [],
        duration_days=_spread_us(totals),
        duration_note=duration_note,
        worst_pain=_spread_counts(totals.worst),
        what_helped=helped,
        helped_note=helped_note,
        triggers=triggers,
        trigger_note=trigger_note,
        factors=factor_items,
        factor_note=factor_note,
    )


def rank_key(count: RemedyCount, min_tries: int) -> tuple[bool, float, int]:
    """Where a remedy comes in "what helped": rated often enough first, then by the share of
    ratings that said it helped, then by how often tried (ties: the order first tried)."""
    rated = count.helped + count.not_helped
    return (rated < min_tries, -count.helped / max(1, rated), -count.tried)


def _top_note(items: Sequence[CountItem], out_of: int) -> str:
    """Which trigger came first most often, saying so when none stands out."""
    top = [t for t in items if t.episodes == items[0].episodes]
    names = ", ".join(t.label for t in top)
    if items[0].episodes < 2:
        return f"Each trigger came up only once ({names}): no pattern yet."
    if len(top) > 1:
        return (
            f"No single trigger stands out: {names} each came before "
            f"{items[0].episodes} of {out_of} episodes with a trigger recorded."
        )
    return (
        f"Most often before an episode: {top[0].label} ({top[0].episodes} of {out_of} "
        "episodes with a trigger recorded)."
    )


def _titles(assessed: Sequence[Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    return {str(f.get("id")): str(f.get("title")) for fs in assessed for f in fs if f.get("title")}


def patterns(session: Session, now: datetime | None = None) -> Patterns:
    """Patterns over everything in the diary.

    The totals are counted by the database (SQL aggregates over indexed and
    compact columns), so a ten-year diary costs a few small queries, not a read
    of every episode and assessment.
    """
    from .repository import pattern_totals

    return patterns_from(pattern_totals(session), (now or datetime.now()).date())


class History(Output):
    """Episodes, newest first (one page of them), with the count per month.

    ``total`` is how many episodes the diary holds; ``offset`` where this page
    starts among them, newest first.
    """

    episodes: list[Episode]
    per_month: list[MonthCount]
    note: str
    total: int = 0
    offset: int = 0


def build_history(episodes: Sequence[Episode], today: date) -> History:
    n = len(episodes)
    note = history_note(n, sum(1 for e in episodes if e.is_open))
    return History(
        episodes=sorted(episodes, key=lambda e: (e.started_at, e.id), reverse=True),
        per_month=per_month(episodes, today),
        note=note,
        total=n,
    )


def history(
    session: Session, now: datetime | None = None, *, limit: int | None = None, offset: int = 0
) -> History:
    """The diary's history: one page of episodes, newest first, and how many began each month.

    Counts come from SQL; only the episodes on the page are read (all when
    ``limit`` is None).
    """
    from .repository import count_episodes, episodes_per_month, list_episodes, open_episode_ids

    today = (now or datetime.now()).date()
    total = count_episodes(session)
    counts, first = episodes_per_month(session)
    return History(
        episodes=list_episodes(session, newest_first=True, limit=limit, offset=offset),
        per_month=month_counts(counts, first, today) if first else [],
        note=history_note(total, len(open_episode_ids(session))),
        total=total,
        offset=offset,
    )
