"""The relief plan (a timeline), the prevention plan and dated checkpoints.

Which advice applies is decided by each item's ``when``/``unless`` condition in
the knowledge files; prevention items are chosen by the factors they answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from ..knowledge import Knowledge
from ..knowledge.models import AdviceItem
from .results import AdviceResult, CheckpointResult, FactorResult, PhaseResult


def _applies(item: AdviceItem, findings: Mapping[str, Any], kb: Knowledge) -> bool:
    if item.when is not None and kb.compiled[f"when:{item.id}"](findings) is None:
        return False
    return not (item.unless is not None and kb.compiled[f"unless:{item.id}"](findings) is not None)


def _advice(item: AdviceItem, answers: tuple[str, ...] = ()) -> AdviceResult:
    return AdviceResult(
        id=item.id,
        title=item.title,
        text=item.text,
        why=item.why,
        cautions=tuple(item.cautions),
        exercises=tuple(item.exercises),
        answers=answers,
        citations=tuple(item.citations),
    )


def relief_plan(
    findings: Mapping[str, Any], kb: Knowledge, onset: date | None
) -> tuple[PhaseResult, ...]:
    """Relief advice grouped into phases, each dated from the episode's start."""
    phases = []
    for phase in kb.phases:
        items = tuple(
            _advice(i) for i in kb.relief if i.phase == phase.id and _applies(i, findings, kb)
        )
        if not items:
            continue
        dated = onset if phase.dated else None
        starts = dated + timedelta(days=phase.start_day) if dated else None
        ends = (
            dated + timedelta(days=phase.end_day) if dated and phase.end_day is not None else None
        )
        phases.append(PhaseResult(phase.id, phase.title, starts, ends, items))
    return tuple(phases)


def prevention_plan(
    findings: Mapping[str, Any], factors: Sequence[FactorResult], kb: Knowledge
) -> tuple[AdviceResult, ...]:
    """Prevention aimed at the person's own factors first, then general habits."""
    rank = {f.id: i for i, f in enumerate(factors)}
    targeted: list[tuple[int, AdviceResult]] = []
    general: list[AdviceResult] = []
    for item in kb.prevention:
        if not _applies(item, findings, kb):
            continue
        answers = tuple(a for a in item.answers if a in rank)
        if answers:
            targeted.append((min(rank[a] for a in answers), _advice(item, answers)))
        elif item.general:
            general.append(_advice(item))
    targeted.sort(key=lambda pair: pair[0])
    return tuple(a for _, a in targeted) + tuple(general)


def checkpoints(kb: Knowledge, onset: date | None, today: date) -> tuple[CheckpointResult, ...]:
    """Checkpoints dated from the start of the episode (undated ones are events)."""
    out = []
    for cp in kb.checkpoints:
        when = onset + timedelta(days=cp.day) if (onset and cp.day is not None) else None
        out.append(
            CheckpointResult(
                id=cp.id,
                title=cp.title,
                text=cp.text,
                date=when,
                event=cp.event,
                passed=when is not None and when < today,
                citations=tuple(cp.citations),
            )
        )
    return tuple(out)


def exercises_in(*groups: Sequence[AdviceResult]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            for ex in item.exercises:
                seen.setdefault(ex)
    return tuple(seen)
