"""The relief plan (a timeline), the prevention plan and dated checkpoints.

Which advice applies is decided by each item's ``when``/``unless`` condition in
the knowledge files; prevention items are chosen by the factors they answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any, NamedTuple, TypeVar

from ..knowledge import Knowledge
from ..knowledge.conditions import findings_used
from ..knowledge.models import AdviceItem, Phase
from .results import AdviceResult, CheckpointResult, FactorResult, PhaseResult

T = TypeVar("T")
_Check = Callable[[Mapping[str, Any]], object]
_MEMO_SIZE = 4096  # remembered plan choices per knowledge base, then start afresh


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
        reminder=item.reminder,
    )


class _Ready(NamedTuple):
    """One advice item ready to use: its result and its compiled conditions."""

    advice: AdviceResult
    when: _Check | None
    unless: _Check | None
    answers: tuple[str, ...]
    general: bool

    def applies(self, findings: Mapping[str, Any]) -> bool:
        if self.when is not None and self.when(findings) is None:
            return False
        return self.unless is None or self.unless(findings) is None


class _Prepared:
    """Per-knowledge work done once: a result for every item, relief items by phase.

    Advice results are frozen, so one instance per item serves every assessment;
    building them afresh each time cost more than the rest of the plan.
    """

    def __init__(self, kb: Knowledge) -> None:
        self.kb = kb

        def ready(item: AdviceItem) -> _Ready:
            return _Ready(
                _advice(item),
                kb.compiled[f"when:{item.id}"] if item.when is not None else None,
                kb.compiled[f"unless:{item.id}"] if item.unless is not None else None,
                tuple(item.answers),
                item.general,
            )

        self.by_phase = [(p, [ready(i) for i in kb.relief if i.phase == p.id]) for p in kb.phases]
        self.prevention = [ready(i) for i in kb.prevention]
        # exercises that are not safe for some people (exercises.yaml avoid_when)
        self.avoid = [(ex.id, kb.compiled[f"avoid:{ex.id}"]) for ex in kb.exercises.values()
                      if ex.avoid_when is not None]
        avoid_reads: set[str] = set()
        for ex in kb.exercises.values():
            avoid_reads |= findings_used(ex.avoid_when)
        # Which advice applies depends on only a few findings: remember the
        # choice for each combination of their values seen so far.
        self.relief_reads = tuple(sorted(set(_reads(kb.relief)) | avoid_reads))
        self.prevention_reads = tuple(sorted(set(_reads(kb.prevention)) | avoid_reads))
        self.relief_memo: dict[tuple[Any, ...], list[tuple[Phase, tuple[AdviceResult, ...]]]] = {}
        self.prevention_memo: dict[tuple[Any, ...], tuple[AdviceResult, ...]] = {}
        self.dated_memo: dict[tuple[int, date | None], tuple[object, tuple[PhaseResult, ...]]] = {}
        self.exercise_memo: dict[tuple[int, int], tuple[object, object, tuple[str, ...]]] = {}
        self.checkpoint_memo: dict[tuple[date | None, date], tuple[CheckpointResult, ...]] = {}

    def without_unsafe(
        self, items: tuple[AdviceResult, ...], findings: Mapping[str, Any]
    ) -> tuple[AdviceResult, ...]:
        """Items with the exercises that are not safe for this person taken out."""
        unsafe = {ex for ex, check in self.avoid if check(findings) is not None}
        if not unsafe:
            return items
        return tuple(
            i.model_copy(update={"exercises": tuple(e for e in i.exercises if e not in unsafe)})
            if unsafe.intersection(i.exercises)
            else i
            for i in items
        )


def _reads(items: list[AdviceItem]) -> tuple[str, ...]:
    """Every finding the items' conditions read."""
    names: set[str] = set()
    for item in items:
        names |= findings_used(item.when) | findings_used(item.unless)
    return tuple(sorted(names))


def _remember(memo: dict[tuple[Any, ...], T], key: tuple[Any, ...], value: T) -> T:
    if len(memo) >= _MEMO_SIZE:
        memo.clear()
    memo[key] = value
    return value


_PREPARED: dict[int, _Prepared] = {}


def _prepared(kb: Knowledge) -> _Prepared:
    got = _PREPARED.get(id(kb))
    if got is None or got.kb is not kb:
        if len(_PREPARED) > 8:  # tests build patched knowledge; keep only a few
            _PREPARED.clear()
        got = _PREPARED[id(kb)] = _Prepared(kb)
    return got


def relief_plan(
    findings: Mapping[str, Any], kb: Knowledge, onset: date | None
) -> tuple[PhaseResult, ...]:
    """Relief advice grouped into phases, each dated from the episode's start.

    The same choice on the same start date gives the same (frozen) phases: they
    are made once, and their JSON with them (see :mod:`.serialize`).
    """
    prep = _prepared(kb)
    key = tuple(map(findings.get, prep.relief_reads))
    chosen = prep.relief_memo.get(key)
    if chosen is None:
        picked = [
            (
                phase,
                prep.without_unsafe(
                    tuple(r.advice for r in candidates if r.applies(findings)), findings
                ),
            )
            for phase, candidates in prep.by_phase
        ]
        chosen = _remember(prep.relief_memo, key, [(p, items) for p, items in picked if items])
    dated_key = (id(chosen), onset)
    known = prep.dated_memo.get(dated_key)
    if known is not None and known[0] is chosen:
        return known[1]
    phases = []
    for phase, items in chosen:
        dated = onset if phase.dated else None
        starts = dated + timedelta(days=phase.start_day) if dated else None
        ends = (
            dated + timedelta(days=phase.end_day) if dated and phase.end_day is not None else None
        )
        phases.append(PhaseResult.of(phase.id, phase.title, starts, ends, items))
    # holding ``chosen`` keeps its id from being reused while the entry lives
    return _remember(prep.dated_memo, dated_key, (chosen, tuple(phases)))[1]


def prevention_plan(
    findings: Mapping[str, Any], factors: Sequence[FactorResult], kb: Knowledge
) -> tuple[AdviceResult, ...]:
    """Prevention aimed at the person's own factors first, then general habits."""
    prep = _prepared(kb)
    key = (tuple([f.id for f in factors]), *map(findings.get, prep.prevention_reads))
    known = prep.prevention_memo.get(key)
    if known is not None:
        return known
    rank = {f.id: i for i, f in enumerate(factors)}
    targeted: list[tuple[int, AdviceResult]] = []
    general: list[AdviceResult] = []
    for ready in prep.prevention:
        if not ready.applies(findings):
            continue
        answers = tuple(a for a in ready.answers if a in rank) if rank else ()
        if answers:
            chosen = ready.advice.model_copy(update={"answers": answers})
            targeted.append((min(rank[a] for a in answers), chosen))
        elif ready.general:
            general.append(ready.advice)
    targeted.sort(key=lambda pair: pair[0])
    plan = prep.without_unsafe(tuple(a for _, a in targeted) + tuple(general), findings)
    return _remember(prep.prevention_memo, key, plan)


def checkpoints(kb: Knowledge, onset: date | None, today: date) -> tuple[CheckpointResult, ...]:
    """Checkpoints dated from the start of the episode (undated ones are events).

    The same two dates give the same (frozen) checkpoints: they are made once,
    and their JSON with them (see :mod:`.serialize`).
    """
    prep = _prepared(kb)
    known = prep.checkpoint_memo.get((onset, today))
    if known is not None:
        return known
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
    return _remember(prep.checkpoint_memo, (onset, today), tuple(out))


def plan_exercises(
    relief: tuple[PhaseResult, ...], prevention: tuple[AdviceResult, ...], kb: Knowledge
) -> tuple[str, ...]:
    """Every exercise the relief and prevention plans name, once each, in order."""
    prep = _prepared(kb)
    key = (id(relief), id(prevention))
    known = prep.exercise_memo.get(key)
    if known is not None and known[0] is relief and known[1] is prevention:
        return known[2]
    names = exercises_in([item for phase in relief for item in phase.items], prevention)
    return _remember(prep.exercise_memo, key, (relief, prevention, names))[2]


def exercises_in(*groups: Sequence[AdviceResult]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for group in groups:
        for item in group:
            for ex in item.exercises:
                seen.setdefault(ex)
    return tuple(seen)
