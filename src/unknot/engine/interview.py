"""The adaptive interview: a pure state machine shared by every surface.

State is just the answers so far, ``{screen_id: {field_id: value}}``, plus any
findings already known (for example from free text) and the ones read with
doubt. :func:`next_step` replays the answers, then picks the next screen, in
the order of TRIAGE.md "How the assessment asks":

1. doubtful danger signs from the person's words are confirmed first;
2. danger first: the emergency screen, then its details, ending the moment
   an answer reaches an emergency;
3. the other safety questions, then the episode; broad questions first, the
   detailed items only after a yes (a field's ``after``);
4. a safety question still unanswered is asked once more, in plain words, on
   one screen (:data:`RECHECK_SCREEN`); after that it stays unanswered;
5. the result. The habits and lifestyle screen (stage ``lifestyle``) is never
   asked before it: it comes with the result as ``why_screen``.

Skip what is known: a field or item whose findings are all known is not
shown; a screen with nothing left is skipped.

Answer values: a checklist takes the list of ticked item ids (``"none"`` for
"None of these"; missing or empty means untouched, which is unanswered, never
"no"); a number field a number (or null to skip); a choice field one of its
keys (or null); a multi field a list of keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import ChecklistItem, FindingSpec, QuestionField, Screen
from .derived import with_derived
from .findings import FindingsError, normalise_value, validate_findings
from .triage import triage

CONFIRM_SCREEN = "confirm"
RECHECK_SCREEN = "recheck"
NONE_ITEM = "none"
LIFESTYLE = "lifestyle"

Answers = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class Step:
    """Where the interview stands after the answers so far."""

    done: bool
    screen: Screen | None
    findings: dict[str, Any]
    asked: tuple[str, ...]
    progress: tuple[int, int]
    level_so_far: str
    emergency_stop: bool = False
    to_confirm: tuple[str, ...] = field(default_factory=tuple)
    doubtful: tuple[str, ...] = field(default_factory=tuple)
    why_screen: Screen | None = None


@dataclass
class _Replay:
    findings: dict[str, Any]
    broad_yes: set[str] = field(default_factory=set)
    broad_no: set[str] = field(default_factory=set)
    doubtful: list[str] = field(default_factory=list)


# ------------------------------------------------------------ finding values


def negative(spec: FindingSpec) -> Any:
    """What "no" means for a finding (None when "no" says nothing, as for a set)."""
    if spec.type == "bool":
        return False
    if spec.type == "enum" and "none" in spec.values:
        return "none"
    return None


def _item_set(item: ChecklistItem, findings: dict[str, Any], kb: Knowledge) -> None:
    assert item.finding is not None
    spec = kb.findings[item.finding]
    if spec.type == "set":
        findings[item.finding] = frozenset(findings.get(item.finding, frozenset())) | {item.value}
        return
    old = findings.get(item.finding)
    if (
        spec.type == "enum"
        and old in spec.values
        and item.value in spec.values
        and spec.values.index(old) > spec.values.index(item.value)
    ):
        return  # both legs stays both legs when one leg is ticked too
    findings[item.finding] = item.value


def _set_negative(name: str, findings: dict[str, Any], kb: Knowledge) -> None:
    if name in findings:
        return
    value = negative(kb.findings[name])
    if value is not None:
        findings[name] = value


# ------------------------------------------------------------ applying answers


def _ticked(where: str, fld: QuestionField, value: Any) -> list[str] | None:
    """The ticked item ids, or None when the checklist was left untouched."""
    if value is None:
        return None
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise FindingsError(where, "must be a list of ticked item ids")
    ids = {item.id for item in fld.items}
    unknown = [t for t in value if t not in ids]
    if unknown:
        raise FindingsError(
            f"{where}.{unknown[0]}", f"unknown item; allowed: {', '.join(sorted(ids))}"
        )
    if not value:
        return None
    none_ids = {item.id for item in fld.items if item.none}
    if none_ids & set(value) and len(set(value)) > 1:
        raise FindingsError(where, '"None of these" cannot be ticked together with other items')
    return list(value)


def _apply_checklist(
    where: str, fld: QuestionField, value: Any, state: _Replay, kb: Knowledge
) -> None:
    ticked = _ticked(where, fld, value)
    if ticked is None:
        return  # untouched: unanswered, not "no"
    findings = state.findings
    for item in fld.items:
        if item.id in ticked:
            if item.finding:
                _item_set(item, findings, kb)
            elif item.findings:
                state.broad_yes.add(f"{where}.{item.id}")
    for item in fld.items:
        if item.id in ticked or item.none:
            continue
        if item.findings:
            state.broad_no.add(f"{where}.{item.id}")
        if item.finding and item.unchecked is not None:
            findings.setdefault(item.finding, item.unchecked)
        for name in item.covers():
            _set_negative(name, findings, kb)


def _apply_field(where: str, fld: QuestionField, value: Any, state: _Replay, kb: Knowledge) -> None:
    if fld.kind == "checklist":
        _apply_checklist(where, fld, value, state, kb)
        return
    if value is None or value == "" or value == []:
        return  # skipped: stays unknown
    assert fld.finding is not None
    spec = kb.findings[fld.finding]
    if fld.kind in ("choice", "multi") and fld.choices:
        keys = value if fld.kind == "multi" else [value]
        if not isinstance(keys, list | tuple):
            raise FindingsError(where, "must be a list of choices")
        bad = [k for k in keys if str(k).lower() not in fld.choices]
        if bad:
            raise FindingsError(where, f"must be one of {', '.join(fld.choices)}, got {bad}")
    try:
        state.findings[fld.finding] = normalise_value(spec, value)
    except FindingsError as exc:
        raise FindingsError(where, exc.message) from None


def _apply_screen(screen: Screen, given: Any, state: _Replay, kb: Knowledge) -> None:
    if not isinstance(given, Mapping):
        raise FindingsError(screen.id, "must be an object of field answers")
    ids = {fld.id for fld in screen.fields}
    unknown = [key for key in given if key not in ids]
    if unknown:
        raise FindingsError(
            f"{screen.id}.{unknown[0]}", f"unknown field; allowed: {', '.join(sorted(ids))}"
        )
    for fld in screen.fields:
        if fld.after is not None and fld.after in state.broad_no:
            continue  # details of a broad question since answered "no": taken back
        if fld.id in given:
            _apply_field(f"{screen.id}.{fld.id}", fld, given[fld.id], state, kb)


# ------------------------------------------------------------ what is open


def _field_open(
    screen: Screen, fld: QuestionField, facts: Mapping[str, Any], state: _Replay, kb: Knowledge
) -> bool:
    key = f"{screen.id}.{fld.id}"
    if fld.after is not None and fld.after not in state.broad_yes:
        return False
    ask = kb.compiled.get(f"ask_when:{key}")
    if ask is not None and ask(facts) is None:
        return False
    skip = kb.compiled.get(f"skip_when:{key}")
    if skip is not None and skip(facts) is not None:
        return False
    return any(name not in facts for name in fld.covers())


def _open_screen(
    screen: Screen, facts: Mapping[str, Any], state: _Replay, kb: Knowledge
) -> Screen | None:
    """The screen with only its still-unknown fields and items, or None to skip it."""
    cond = kb.compiled.get(f"screen:{screen.id}")
    if cond is not None and cond(facts) is None:
        return None
    fields = []
    for fld in screen.fields:
        if not _field_open(screen, fld, facts, state, kb):
            continue
        if fld.kind == "checklist":
            items = [i for i in fld.items if i.none or any(n not in facts for n in i.covers())]
            fld = fld.model_copy(update={"items": items})
        fields.append(fld)
    return screen.model_copy(update={"fields": fields}) if fields else None


def screen_findings(screen: Screen) -> set[str]:
    """Every finding a screen can set."""
    return {name for fld in screen.fields for name in fld.covers()}


def screen_items(screen: Screen) -> int:
    """How many questions a screen puts to the person (checklist lines, other fields)."""
    return sum(
        sum(not i.none for i in fld.items) if fld.kind == "checklist" else 1
        for fld in screen.fields
    )


def _none_item() -> ChecklistItem:
    return ChecklistItem(id=NONE_ITEM, text="None of these", none=True)


# ------------------------------------------------------------ generated screens


def confirm_screen(names: Iterable[str], kb: Knowledge) -> Screen:
    """ "You mentioned X: is that right?" for signs read with doubt."""
    items = [
        ChecklistItem(id=name, text=kb.findings[name].label.capitalize(), finding=name)
        for name in names
    ]
    return Screen(
        id=CONFIRM_SCREEN,
        version=2,
        stage="emergency",
        safety=True,
        title="You mentioned these. Is that right?",
        help="Tick each one that is true. Tick None of these if none is. "
        "Until you answer, Unknot counts them as true, to be safe.",
        fields=[
            QuestionField(
                id="confirm", kind="checklist", text="Please check", items=[*items, _none_item()]
            )
        ],
    )


def _apply_confirm(given: Any, names: list[str], state: _Replay, kb: Knowledge) -> None:
    if not isinstance(given, Mapping):
        raise FindingsError(CONFIRM_SCREEN, "must be an object of field answers")
    unknown = [key for key in given if key != "confirm"]
    if unknown:
        raise FindingsError(f"{CONFIRM_SCREEN}.{unknown[0]}", "unknown field; allowed: confirm")
    fld = confirm_screen(names, kb).fields[0]
    ticked = _ticked(f"{CONFIRM_SCREEN}.confirm", fld, given.get("confirm"))
    if ticked is None or not names:
        return  # untouched: still doubtful, still counted as present
    for name in names:
        state.doubtful.remove(name)
        if name in ticked:
            continue
        state.findings.pop(name, None)
        _set_negative(name, state.findings, kb)


def _recheck_sources(kb: Knowledge) -> list[tuple[Screen, QuestionField, ChecklistItem | None]]:
    """Every plain (not broad) question that sets a safety finding, in screen order."""
    out: list[tuple[Screen, QuestionField, ChecklistItem | None]] = []
    for screen in kb.screens:
        if screen.stage == LIFESTYLE:
            continue
        for fld in screen.fields:
            if fld.kind == "checklist":
                out += [(screen, fld, i) for i in fld.items if i.finding and _safety(i.finding, kb)]
            elif fld.finding and _safety(fld.finding, kb):
                out.append((screen, fld, None))
    return out


def _safety(name: str, kb: Knowledge) -> bool:
    return kb.findings[name].safety


def _recheck_item_id(item: ChecklistItem) -> str:
    name = item.finding or item.id
    return name if item.value is True else f"{name}.{item.value}"


def unanswered_safety(facts: Mapping[str, Any], state: _Replay, kb: Knowledge) -> list[str]:
    """Safety findings still unknown whose question applies to this person."""
    out: list[str] = []
    for screen, fld, item in _recheck_sources(kb):
        name = item.finding if item else fld.finding
        assert name is not None
        if name in facts or name in out:
            continue
        key = f"{screen.id}.{fld.id}"
        ask = kb.compiled.get(f"ask_when:{key}")
        skip = kb.compiled.get(f"skip_when:{key}")
        if ask is not None and ask(facts) is None:
            continue
        if skip is not None and skip(facts) is not None:
            continue
        out.append(name)
    return out


def recheck_screen(names: Iterable[str], kb: Knowledge) -> Screen | None:
    """One screen asking, once more and plainly, the safety questions still open."""
    wanted = set(names)
    items: list[ChecklistItem] = []
    fields: list[QuestionField] = []
    for _, fld, item in _recheck_sources(kb):
        name = item.finding if item else fld.finding
        if name not in wanted:
            continue
        if item is not None:
            if all(i.id != _recheck_item_id(item) for i in items):
                items.append(item.model_copy(update={"id": _recheck_item_id(item)}))
        elif all(f.id != name for f in fields):
            fields.append(fld.model_copy(update={"id": name, "ask_when": None, "skip_when": None}))
    if items:
        fields.insert(
            0,
            QuestionField(
                id="signs",
                kind="checklist",
                text="Since this started, have you had any of these?",
                items=[*items, _none_item()],
            ),
        )
    if not fields:
        return None
    return Screen(
        id=RECHECK_SCREEN,
        version=2,
        stage="urgent",
        safety=True,
        title="A few safety questions are still open",
        help="These matter for your safety. Tick each one you have had since the pain "
        "began, or None of these. If you really don't know, leave it: Unknot will "
        "say your result is not final.",
        fields=fields,
    )


def _all_recheck_ids(kb: Knowledge) -> set[str]:
    return {_recheck_item_id(i) for _, _, i in _recheck_sources(kb) if i is not None} | {NONE_ITEM}


def _apply_recheck(given: Any, screen: Screen | None, state: _Replay, kb: Knowledge) -> None:
    if not isinstance(given, Mapping):
        raise FindingsError(RECHECK_SCREEN, "must be an object of field answers")
    if screen is None:
        return  # nothing open any more (an earlier answer was changed)
    for key, value in given.items():
        where = f"{RECHECK_SCREEN}.{key}"
        if key == "signs" and isinstance(value, list):
            unknown = [v for v in value if v not in _all_recheck_ids(kb)]
            if unknown:
                raise FindingsError(f"{where}.{unknown[0]}", "unknown item")
            current = {f.id: f for f in screen.fields}.get("signs")
            if current is not None:  # items no longer open are ignored
                ids = {i.id for i in current.items}
                _apply_field(where, current, [v for v in value if v in ids] or None, state, kb)
            continue
        fld = next((f for f in screen.fields if f.id == key), None)
        if fld is None:
            if key not in kb.findings:
                raise FindingsError(where, "unknown field")
            continue
        _apply_field(where, fld, value, state, kb)


# ------------------------------------------------------------ the replay


def _replay(
    answers: Answers,
    prefilled: Mapping[str, Any] | None,
    to_confirm: Iterable[str],
    kb: Knowledge,
) -> tuple[_Replay, Screen | None]:
    """Findings from the answers; and the recheck screen as it stood before its answers."""
    known = {s.id for s in kb.screens} | {CONFIRM_SCREEN, RECHECK_SCREEN}
    unknown_screens = sorted(set(answers) - known)
    if unknown_screens:
        raise FindingsError(
            unknown_screens[0], f"unknown screen; allowed: {', '.join(sorted(known))}"
        )
    findings = validate_findings(dict(prefilled or {}), kb)
    confirm = [n for n in dict.fromkeys(to_confirm) if n in findings]
    state = _Replay(findings, doubtful=list(confirm))
    if CONFIRM_SCREEN in answers:
        _apply_confirm(answers[CONFIRM_SCREEN], confirm, state, kb)
    for screen in kb.screens:
        if screen.id in answers:
            _apply_screen(screen, answers[screen.id], state, kb)
    recheck = None
    if RECHECK_SCREEN in answers:
        facts = with_derived(state.findings)
        recheck = recheck_screen(unanswered_safety(facts, state, kb), kb)
        _apply_recheck(answers[RECHECK_SCREEN], recheck, state, kb)
    return state, recheck


def findings_from_answers(
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> dict[str, Any]:
    """Replay the answers over the prefilled findings."""
    kb = kb or load_knowledge()
    return _replay(answers, prefilled, to_confirm, kb)[0].findings


def screen_by_id(
    screen_id: str,
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> Screen | None:
    """The whole screen with this id; the generated ones as they stand for these answers."""
    kb = kb or load_knowledge()
    if screen_id == CONFIRM_SCREEN:
        known = validate_findings(dict(prefilled or {}), kb)
        names = [n for n in dict.fromkeys(to_confirm) if n in known]
        return confirm_screen(names, kb) if names else None
    if screen_id == RECHECK_SCREEN:
        before = {k: v for k, v in answers.items() if k != RECHECK_SCREEN}
        state, _ = _replay(before, prefilled, to_confirm, kb)
        return recheck_screen(unanswered_safety(with_derived(state.findings), state, kb), kb)
    return next((s for s in kb.screens if s.id == screen_id), None)


def open_safety_screen(
    prefilled: Mapping[str, Any] | None,
    to_confirm: Iterable[str] = (),
    answers: Answers | None = None,
    kb: Knowledge | None = None,
) -> Screen | None:
    """The one screen of safety questions still open (after free text, say)."""
    return screen_by_id(RECHECK_SCREEN, answers or {}, prefilled, to_confirm, kb)


def replay(
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The findings from these answers, and the signs still doubtful."""
    state, _ = _replay(answers, prefilled, to_confirm, kb or load_knowledge())
    return state.findings, tuple(state.doubtful)


def next_step(
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> Step:
    """The next screen to ask, or ``done`` with the findings to assess."""
    kb = kb or load_knowledge()
    confirm = tuple(to_confirm)
    state, _ = _replay(answers, prefilled, confirm, kb)
    findings = state.findings
    facts = with_derived(findings)
    order = [CONFIRM_SCREEN, *(s.id for s in kb.screens), RECHECK_SCREEN]
    asked = tuple(s for s in order if s in answers)
    doubtful = tuple(state.doubtful)

    def step(done: bool, screen: Screen | None, total: int, level: str, **kw: Any) -> Step:
        return Step(
            done, screen, findings, asked, (len(asked), total), level, doubtful=doubtful, **kw
        )

    if doubtful and CONFIRM_SCREEN not in answers:
        screen = confirm_screen(doubtful, kb)
        return step(False, screen, len(asked) + 1, "unknown", to_confirm=doubtful)

    level, _ = triage(facts, kb, "")
    if level == "emergency":
        return step(True, None, len(asked), level, emergency_stop=True)

    remaining = [
        opened
        for s in kb.screens
        if s.stage != LIFESTYLE
        and s.id not in answers
        and (opened := _open_screen(s, facts, state, kb)) is not None
    ]
    if remaining:
        return step(False, remaining[0], len(asked) + len(remaining) + 1, level)
    if RECHECK_SCREEN not in answers:
        recheck = recheck_screen(unanswered_safety(facts, state, kb), kb)
        if recheck is not None:
            return step(False, recheck, len(asked) + 1, level)
    return step(True, None, len(asked), level, why_screen=why_screen(answers, facts, state, kb))


def why_screen(
    answers: Answers, facts: Mapping[str, Any], state: _Replay, kb: Knowledge
) -> Screen | None:
    """The optional "Why did this happen?" screen, offered with the result."""
    for screen in kb.screens:
        if screen.stage == LIFESTYLE and screen.id not in answers:
            opened = _open_screen(screen, facts, state, kb)
            if opened is not None:
                return opened
    return None
