"""Checkpoints driven by the record: which are due today, and why.

The checkpoints (title, what to do) are those of ``checkpoints.yaml``; the
rules of ``diary_rules.yaml`` say when the record makes each one due. Each kind
of rule is one small pure function below; every number it uses comes from the
rule. Days count from the calendar day an episode began (day 0).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy.orm import Session

from ..knowledge import LEVEL_RANK, load_knowledge
from ..knowledge.loader import load_diary_rules
from ..knowledge.models import DiaryCheckpointRule
from .schemas import EpisodeDetail, Output


class DueCheckpoint(Output):
    """A checkpoint the record says is due now: what to do, and why it shows."""

    rule: str
    kind: str
    checkpoint: str
    title: str
    text: str
    reason: str
    episode_id: int | None
    since: date
    level: str | None = None
    citations: list[str]


class Began(Protocol):
    """What the whole-diary rules read of an episode: when it began and where."""

    @property
    def id(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def regions(self) -> Sequence[str]: ...


E = TypeVar("E", bound=Began)


def day_of(episode: Began, today: date) -> int:
    """Which day of the episode ``today`` is (the day it began is day 0)."""
    return (today - episode.started_at.date()).days


def present(value: Any) -> bool:
    """Whether a recorded danger-sign value means the sign is there."""
    return value not in (None, False, "none")


def eased(episode: EpisodeDetail) -> bool:
    """Whether the person's last check-in says the pain is getting better."""
    return bool(episode.checkins) and episode.checkins[-1].feeling == "better"


def in_window(episodes: Sequence[E], today: date, window_days: int) -> list[E]:
    """Episodes that began within the last ``window_days`` days (today counts as one)."""
    return [e for e in episodes if 0 <= day_of(e, today) < window_days]


def place_name(region: str) -> str:
    return region.replace("_", " ")


def _text(value: str) -> str:
    return " ".join(value.split())


Found = tuple[str, int | None, date, str | None] | None  # reason, episode, since, level


def _not_easing(rule: DiaryCheckpointRule, ep: EpisodeDetail, today: date) -> Found:
    day = day_of(ep, today)
    if not ep.is_open or day < (rule.from_day or 0) or eased(ep):
        return None
    since = ep.started_at.date() + timedelta(days=rule.from_day or 0)
    return rule.reason.format(day=day), ep.id, since, None


def _still_open(rule: DiaryCheckpointRule, ep: EpisodeDetail, today: date) -> Found:
    day = day_of(ep, today)
    if not ep.is_open or day < (rule.from_day or 0):
        return None
    since = ep.started_at.date() + timedelta(days=rule.from_day or 0)
    return rule.reason.format(day=day), ep.id, since, None


def _red_flag(rule: DiaryCheckpointRule, ep: EpisodeDetail, today: date) -> Found:
    if not ep.is_open:
        return None
    kb = load_knowledge()
    signs = [
        (c.at, kb.findings[name].label if name in kb.findings else name)
        for c in ep.checkins
        for name, value in c.danger_signs.items()
        if present(value)
    ]
    level = ep.level or "self_care"
    serious = LEVEL_RANK.get(level, 0) >= LEVEL_RANK[rule.min_level or "urgent"]
    if not signs and not serious:
        return None
    if signs:
        names, since = [label for _, label in signs], min(at for at, _ in signs).date()
    else:
        latest = ep.triage[-1] if ep.triage else None
        names = [str(c.get("title", c.get("id", ""))) for c in (latest.concerns if latest else [])]
        since = latest.at.date() if latest else ep.started_at.date()
    title = kb.levels[level].title if level in kb.levels else level
    reason = rule.reason.format(signs=", ".join(dict.fromkeys(names)) or "-", level_title=title)
    return reason, ep.id, since, level


_PER_EPISODE: dict[str, Callable[[DiaryCheckpointRule, EpisodeDetail, date], Found]] = {
    "not_easing": _not_easing,
    "still_open": _still_open,
    "red_flag": _red_flag,
}


def _frequent(rule: DiaryCheckpointRule, episodes: Sequence[Began], today: date) -> Found:
    window = rule.window_days or 0
    recent = in_window(episodes, today, window)
    if len(recent) < (rule.episodes or 0):
        return None
    since = sorted(e.started_at for e in recent)[(rule.episodes or 1) - 1].date()
    return rule.reason.format(count=len(recent), window_days=window), None, since, None


def _same_place(rule: DiaryCheckpointRule, episodes: Sequence[Began], today: date) -> Found:
    window = rule.window_days or 0
    recent = in_window(episodes, today, window)
    counts = Counter(region for e in recent for region in e.regions)
    again = [r for r, n in counts.items() if n >= (rule.episodes or 2)]
    if not again:
        return None
    since = max(e.started_at for e in recent if set(e.regions) & set(again)).date()
    regions = ", ".join(place_name(r) for r in sorted(again))
    return rule.reason.format(regions=regions, window_days=window), None, since, None


_WHOLE_DIARY: dict[str, Callable[[DiaryCheckpointRule, Sequence[Began], date], Found]] = {
    "frequent": _frequent,
    "same_place": _same_place,
}


def due_checkpoints(
    episodes: Sequence[Began], open_details: Sequence[EpisodeDetail], today: date
) -> list[DueCheckpoint]:
    """Every checkpoint the record makes due on ``today``; warning signs first.

    ``episodes`` is the whole diary; ``open_details`` the open episodes with
    their check-ins and triage history.
    """
    kb, rules = load_knowledge(), load_diary_rules()
    checkpoints = {c.id: c for c in kb.checkpoints}
    out: list[DueCheckpoint] = []
    for rule in rules.checkpoint_rules:
        found: list[Found] = []
        if rule.kind in _PER_EPISODE:
            found = [_PER_EPISODE[rule.kind](rule, ep, today) for ep in open_details]
        else:
            found = [_WHOLE_DIARY[rule.kind](rule, episodes, today)]
        cp = checkpoints[rule.checkpoint]
        for hit in found:
            if hit is None:
                continue
            reason, episode_id, since, level = hit
            out.append(
                DueCheckpoint(
                    rule=rule.id,
                    kind=rule.kind,
                    checkpoint=cp.id,
                    title=cp.title,
                    text=_text(cp.text),
                    reason=_text(reason),
                    episode_id=episode_id,
                    since=since,
                    level=level,
                    citations=list(rule.citations),
                )
            )
    out.sort(key=lambda d: d.kind != "red_flag")
    return _merged(out)


def _merged(due: list[DueCheckpoint]) -> list[DueCheckpoint]:
    """One entry per checkpoint and episode: two rules that show the same advice
    (three in 90 days, and the same place again) give one entry with both reasons."""
    out: dict[tuple[str, int | None], DueCheckpoint] = {}
    for d in due:
        key = (d.checkpoint, d.episode_id)
        if key in out:
            first = out[key]
            out[key] = first.model_copy(
                update={
                    "reason": f"{first.reason} {d.reason}",
                    "since": min(first.since, d.since),
                    "citations": list(dict.fromkeys([*first.citations, *d.citations])),
                }
            )
        else:
            out[key] = d
    return list(out.values())


def window_start(today: date) -> datetime:
    """The earliest start any whole-diary rule looks at on ``today``.

    Rules such as "three episodes in 90 days" read only recent episodes, so the
    due checkpoints cost the same in a ten-year diary as in a new one.
    """
    days = max((r.window_days or 0 for r in load_diary_rules().checkpoint_rules), default=0)
    return datetime.combine(today - timedelta(days=days), datetime.min.time())


def due_now(
    session: Session, now: datetime | None = None, *, episode_id: int | None = None
) -> list[DueCheckpoint]:
    """The checkpoints due today, read from the diary: the open episodes and the recent ones.

    With ``episode_id``, only that episode's own checkpoints and the whole
    diary's (what its page and a check-in show).
    """
    from .repository import began_since, episode_details, open_episode_ids

    today = (now or datetime.now()).date()
    episodes = began_since(session, window_start(today))
    open_ids = open_episode_ids(session)
    if episode_id is not None:
        open_ids = [i for i in open_ids if i == episode_id]
    details = episode_details(session, open_ids)
    due = due_checkpoints(episodes, details, today)
    if episode_id is not None:
        due = [d for d in due if d.episode_id in (None, episode_id)]
    return due


def record_findings(
    episode: Began, episodes: Sequence[Began], today: date
) -> dict[str, Any]:
    """Findings the record itself supplies for triage: recurrence in the last days.

    Uses the window of the ``frequent`` rule for ``episodes_last_90_days`` and the
    ``same_place`` rule for ``same_location_recurring``.
    """
    out: dict[str, Any] = {}
    for rule in load_diary_rules().checkpoint_rules:
        if rule.kind == "frequent" and rule.window_days:
            out["episodes_last_90_days"] = len(in_window(episodes, today, rule.window_days))
        if rule.kind == "same_place" and _same_place(rule, episodes, today) is not None:
            recent = in_window(episodes, today, rule.window_days or 0)
            counts = Counter(r for e in recent for r in e.regions)
            if any(counts[r] >= (rule.episodes or 2) for r in episode.regions):
                out["same_location_recurring"] = True
    return out
