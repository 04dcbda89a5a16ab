"""History and patterns: how often, how long, how bad, what helped, what came before.

:func:`build_patterns` is pure (episodes in, :class:`Patterns` out); the numbers
below which the record is "too few to say" come from ``diary_rules.yaml``, and
every section says plainly when it is only a count, not a pattern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .schemas import Episode, Output, RemedyStat
from .totals import EpisodeLike as EpisodeLike
from .totals import RemedyCount as RemedyCount
from .totals import Totals as Totals
from .totals import rank_key, totals_of
from .totals import remedy_counts as remedy_counts
from .wording import history_note as history_note
from .wording import months_between as months_between
from .wording import plural as _plural


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
