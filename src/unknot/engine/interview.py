"""The adaptive interview: a pure state machine shared by every surface.

State is just the answers so far, ``{screen_id: {field_id: value}}``, plus any
findings already known (for example from free text). :func:`next_step` replays
the answers in the knowledge's screen order, then picks the next screen:

- danger first: screens come in the order of ``questions.yaml`` (emergency
  signs, then urgent signs, then the rest);
- skip what cannot matter: a screen whose ``ask_when`` fails, or whose findings
  are all known already, is not asked; within a screen only unknown fields and
  checklist items are shown;
- stop the moment the answers reach an emergency.

Answer values: a checklist field takes the list of ticked item ids; a number
field a number (or null to skip); a choice field one of its keys (or null); a
multi field a list of keys.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import ChecklistItem, QuestionField, Screen
from .derived import with_derived
from .findings import FindingsError, normalise_value, validate_findings
from .triage import triage

CONFIRM_SCREEN = "confirm"

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


def _field_findings(fld: QuestionField) -> list[str]:
    return [fld.finding] if fld.finding else [item.finding for item in fld.items]


def screen_findings(screen: Screen) -> set[str]:
    """Every finding a screen can set."""
    return {name for fld in screen.fields for name in _field_findings(fld)}


def _item_set(item: ChecklistItem, findings: dict[str, Any], kb: Knowledge) -> None:
    spec = kb.findings[item.finding]
    if spec.type == "set":
        findings[item.finding] = frozenset(findings.get(item.finding, frozenset())) | {item.value}
    else:
        findings[item.finding] = item.value


def _apply_field(
    where: str, fld: QuestionField, value: Any, findings: dict[str, Any], kb: Knowledge
) -> None:
    if fld.kind == "checklist":
        ticked = [] if value is None else value
        if not isinstance(ticked, list | tuple):
            raise FindingsError(where, "must be a list of ticked item ids")
        ids = {item.id for item in fld.items}
        unknown = [t for t in ticked if not isinstance(t, str) or t not in ids]
        if unknown:
            raise FindingsError(where, f"unknown item(s) {unknown}; allowed: {sorted(ids)}")
        for item in fld.items:
            if item.id in ticked:
                _item_set(item, findings, kb)
            elif item.unchecked is not None and item.finding not in findings:
                findings[item.finding] = item.unchecked
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
        findings[fld.finding] = normalise_value(spec, value)
    except FindingsError as exc:
        raise FindingsError(where, exc.message) from None


def _field_open(
    screen: Screen, fld: QuestionField, facts: Mapping[str, Any], kb: Knowledge
) -> bool:
    key = f"{screen.id}.{fld.id}"
    ask = kb.compiled.get(f"ask_when:{key}")
    if ask is not None and ask(facts) is None:
        return False
    skip = kb.compiled.get(f"skip_when:{key}")
    if skip is not None and skip(facts) is not None:
        return False
    return any(name not in facts for name in _field_findings(fld))


def _open_screen(screen: Screen, facts: Mapping[str, Any], kb: Knowledge) -> Screen | None:
    """The screen with only its still-unknown fields and items, or None to skip it."""
    cond = kb.compiled.get(f"screen:{screen.id}")
    if cond is not None and cond(facts) is None:
        return None
    fields = []
    for fld in screen.fields:
        if not _field_open(screen, fld, facts, kb):
            continue
        if fld.kind == "checklist":
            items = [i for i in fld.items if i.finding not in facts]
            fld = fld.model_copy(update={"items": items})
        fields.append(fld)
    return screen.model_copy(update={"fields": fields}) if fields else None


def confirm_screen(names: Iterable[str], kb: Knowledge) -> Screen:
    """ "You mentioned X: is that right?" for danger signs read with doubt."""
    items = [
        ChecklistItem(id=name, text=kb.findings[name].label.capitalize(), finding=name)
        for name in names
    ]
    return Screen(
        id=CONFIRM_SCREEN,
        version=1,
        stage="emergency",
        safety=True,
        title="You mentioned these. Is that right?",
        help="Tick each one that is true for you now. Untick any that is not.",
        fields=[QuestionField(id="confirm", kind="checklist", text="Please confirm", items=items)],
    )


def findings_from_answers(
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> dict[str, Any]:
    """Replay the answers over the prefilled findings, in the knowledge's screen order."""
    kb = kb or load_knowledge()
    unknown_screens = set(answers) - {s.id for s in kb.screens} - {CONFIRM_SCREEN}
    if unknown_screens:
        raise FindingsError("answers", f"unknown screen(s) {sorted(unknown_screens)}")
    findings = validate_findings(dict(prefilled or {}), kb)
    confirm = [n for n in to_confirm if n in findings]
    if CONFIRM_SCREEN in answers:
        confirmed = answers[CONFIRM_SCREEN]
        if not isinstance(confirmed, Mapping) or set(confirmed) - {"confirm"}:
            raise FindingsError(CONFIRM_SCREEN, 'must be {"confirm": [ticked finding names]}')
        if not isinstance(confirmed.get("confirm") or [], list | tuple):
            raise FindingsError(f"{CONFIRM_SCREEN}.confirm", "must be a list of finding names")
    if CONFIRM_SCREEN in answers and confirm:
        ticked = answers[CONFIRM_SCREEN].get("confirm") or []
        for name in confirm:
            if name in ticked:
                continue
            if kb.findings[name].type == "bool":
                findings[name] = False
            else:
                del findings[name]
    for screen in kb.screens:
        given = answers.get(screen.id)
        if given is None:
            continue
        if not isinstance(given, Mapping):
            raise FindingsError(screen.id, "must be an object of field answers")
        field_ids = [fld.id for fld in screen.fields]
        for key in given:
            if key not in field_ids:  # a misspelt field must not be read as unanswered
                raise FindingsError(
                    f"{screen.id}.{key}",
                    f"is not a question on screen {screen.id}; allowed: {', '.join(field_ids)}",
                )
        for fld in screen.fields:
            if fld.id in given:
                _apply_field(f"{screen.id}.{fld.id}", fld, given[fld.id], findings, kb)
            elif fld.kind == "checklist":
                _apply_field(f"{screen.id}.{fld.id}", fld, [], findings, kb)
    return findings


def next_step(
    answers: Answers,
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
    kb: Knowledge | None = None,
) -> Step:
    """The next screen to ask, or ``done`` with the findings to assess."""
    kb = kb or load_knowledge()
    confirm = tuple(to_confirm)
    findings = findings_from_answers(answers, prefilled, confirm, kb)
    facts = with_derived(findings)
    asked = tuple(s for s in [CONFIRM_SCREEN, *(s.id for s in kb.screens)] if s in answers)
    pending_confirm = tuple(n for n in confirm if n in findings)
    if pending_confirm and CONFIRM_SCREEN not in answers:
        screen = confirm_screen(pending_confirm, kb)
        return Step(
            False,
            screen,
            findings,
            asked,
            (len(asked), len(asked) + 1),
            "unknown",
            to_confirm=pending_confirm,
        )

    level, _ = triage(facts, kb, "")
    if level == "emergency":
        return Step(
            True, None, findings, asked, (len(asked), len(asked)), level, emergency_stop=True
        )

    remaining = [
        opened
        for s in kb.screens
        if s.id not in answers and (opened := _open_screen(s, facts, kb)) is not None
    ]
    total = len(asked) + len(remaining)
    if not remaining:
        return Step(True, None, findings, asked, (len(asked), total), level)
    return Step(False, remaining[0], findings, asked, (len(asked), total), level)
