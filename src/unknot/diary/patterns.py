"""History and patterns: how often, how long, how bad, what helped, what came before.

:func:`build_patterns` is pure (episodes in, :class:`Patterns` out); the numbers
below which the record is "too few to say" come from ``diary_rules.yaml``, and
every section says plainly when it is only a count, not a pattern.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from statistics import mean, median
from typing import Any

from sqlalchemy.orm import Session

from ..knowledge import load_knowledge
from ..knowledge.loader import load_diary_rules
from .schemas import Episode, Output


class MonthCount(Output):
    month: str  # YYYY-MM
    episodes: int


class Spread(Output):
    """A few plain numbers about one measure, over the episodes that have it."""

    count: int
    median: float | None
    mean: float | None
    highest: float | None


class RemedyStat(Output):
    remedy: str
    label: str
    kind: str
    tried: int
    helped: int
    not_helped: int
    enough: bool
    note: str


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


def months_between(first: date, last: date) -> list[str]:
    """Every month from ``first`` to ``last`` as YYYY-MM, both included."""
    out, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def per_month(episodes: Sequence[Episode], until: date) -> list[MonthCount]:
    """Episodes begun in each month from the first episode to ``until`` (zeros kept)."""
    if not episodes:
        return []
    counts = Counter(e.started_at.strftime("%Y-%m") for e in episodes)
    first = min(e.started_at for e in episodes).date()
    return [MonthCount(month=m, episodes=counts[m]) for m in months_between(first, until)]


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _what_helped(episodes: Sequence[Episode], min_tries: int) -> tuple[list[RemedyStat], str]:
    tried: dict[str, list[bool | None]] = {}
    labels: dict[str, tuple[str, str]] = {}
    for e in episodes:
        for t in e.tried:
            tried.setdefault(t.remedy, []).append(t.helped)
            labels[t.remedy] = (t.label, t.kind)
    stats = []
    for remedy, answers in tried.items():
        helped, not_helped = answers.count(True), answers.count(False)
        rated = helped + not_helped
        enough = rated >= min_tries
        if enough:
            note = f"helped {helped} of {rated} times it was rated"
        elif rated == 0:
            note = f"tried {_plural(len(answers), 'time')}, not rated yet"
        else:
            note = f"rated {_plural(rated, 'time')}: too few to say"
        label, kind = labels[remedy]
        stats.append(
            RemedyStat(
                remedy=remedy, label=label, kind=kind, tried=len(answers), helped=helped,
                not_helped=not_helped, enough=enough, note=note,
            )
        )
    stats.sort(key=lambda s: (not s.enough, -s.helped / max(1, s.helped + s.not_helped), -s.tried))
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
    episodes: Sequence[Episode],
    factors: Mapping[int, Sequence[Mapping[str, Any]]],
    today: date,
) -> Patterns:
    """Patterns over the whole diary. ``factors`` maps episode id to assessment factors."""
    thresholds = load_diary_rules().patterns
    n = len(episodes)
    enough = n >= thresholds.min_episodes
    first = min((e.started_at for e in episodes), default=None)
    last = max((e.started_at for e in episodes), default=None)
    if n == 0:
        note = "The diary is empty, so there is nothing to look at yet."
    elif not enough:
        note = (
            f"Only {_plural(n, 'episode')} recorded: too few to see a pattern. "
            "The numbers below are a record, not a trend."
        )
    else:
        note = f"Based on {_plural(n, 'episode')}, {first:%d %b %Y} to {last:%d %b %Y}."

    ended = [e for e in episodes if e.ended_at is not None]
    durations = [(e.ended_at - e.started_at).total_seconds() / 86400 for e in ended if e.ended_at]
    duration_note = (
        "No episode has been marked as over yet, so there is no duration to show."
        if not ended
        else f"From {_plural(len(ended), 'episode')} marked as over."
    )

    helped, helped_note = _what_helped(episodes, thresholds.min_tries)
    triggers = _counted(Counter(t for e in episodes for t in e.triggers), {})
    with_trigger = sum(1 for e in episodes if e.triggers)
    if not with_trigger:
        trigger_note = "No trigger has been recorded yet."
    elif with_trigger < thresholds.min_episodes:
        trigger_note = (
            f"Triggers recorded for only {_plural(with_trigger, 'episode')}: too few to say."
        )
    else:
        trigger_note = _top_note(triggers, with_trigger)

    kb_factors = {f.id: f.title for f in load_knowledge().factors}
    assessed = [factors[e.id] for e in episodes if e.id in factors]
    factor_counts = Counter(str(f.get("id")) for fs in assessed for f in fs)
    factor_items = _counted(factor_counts, {**kb_factors, **_titles(assessed)})
    if not assessed:
        factor_note = (
            "No episode was started from an assessment, so no lifestyle factors are known."
        )
    elif len(assessed) < thresholds.min_episodes:
        factor_note = (
            f"Only {_plural(len(assessed), 'episode')} started from an assessment: "
            "too few to say which factors come before your spasms."
        )
    elif factor_items:
        factor_note = (
            f"Came up most often in the assessments before your episodes: "
            f"{factor_items[0].label.lower()} ({factor_items[0].episodes} of {len(assessed)})."
        )
    else:
        factor_note = "The assessments found no lifestyle factor."

    return Patterns(
        episode_count=n,
        first=first.date() if first else None,
        last=last.date() if last else None,
        enough=enough,
        note=note,
        per_month=per_month(episodes, today),
        duration_days=_spread(durations),
        duration_note=duration_note,
        worst_pain=_spread([e.worst_pain for e in episodes if e.worst_pain is not None]),
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


def _titles(assessed: Sequence[Sequence[Mapping[str, Any]]]) -> dict[str, str]:
    return {str(f.get("id")): str(f.get("title")) for fs in assessed for f in fs if f.get("title")}


def patterns(session: Session, now: datetime | None = None) -> Patterns:
    """Patterns over everything in the diary."""
    from .repository import assessment_factors, list_episodes

    return build_patterns(
        list_episodes(session), assessment_factors(session), (now or datetime.now()).date()
    )


class History(Output):
    """Every episode, newest first, with the count per month."""

    episodes: list[Episode]
    per_month: list[MonthCount]
    note: str


def build_history(episodes: Sequence[Episode], today: date) -> History:
    n = len(episodes)
    note = (
        "No episodes recorded yet."
        if n == 0
        else f"{_plural(n, 'episode')} recorded, {sum(1 for e in episodes if e.is_open)} open."
    )
    return History(
        episodes=sorted(episodes, key=lambda e: (e.started_at, e.id), reverse=True),
        per_month=per_month(episodes, today),
        note=note,
    )


def history(session: Session, now: datetime | None = None) -> History:
    """The diary's history: every episode and how many began each month."""
    from .repository import list_episodes

    return build_history(list_episodes(session), (now or datetime.now()).date())
