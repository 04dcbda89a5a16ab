"""The interview and free-text intake as the web sees them.

The engine decides which screen comes next (:func:`unknot.engine.interview.next_step`);
this module only checks the shape of what a browser or API client sent, keeps
the answers so far in a signed hidden field (the web interview is stateless),
and turns a step into JSON.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from ..engine.findings import to_jsonable
from ..knowledge import Knowledge
from ..knowledge.models import QuestionField, Screen
from .assessing import assess_or_fail


class IntakeUnavailable(Exception):
    """Free-text intake is not installed in this build."""


# ---------------------------------------------------------------- the engine


def run_step(
    answers: Mapping[str, Mapping[str, Any]],
    prefilled: Mapping[str, Any] | None,
    to_confirm: Iterable[str] = (),
) -> Any:
    """The engine's next step (it validates the answers and raises FindingsError)."""
    from ..engine.interview import next_step

    return next_step(
        {k: dict(v) if isinstance(v, Mapping) else v for k, v in answers.items()},
        prefilled=dict(prefilled) if prefilled else None,
        to_confirm=tuple(to_confirm),
    )


def progress_of(step: Any) -> tuple[int, int]:
    """(answered, total) from the step."""
    answered, total = step.progress
    return int(answered), int(total)


def screen_json(screen: Screen) -> dict[str, Any]:
    return {
        "id": screen.id,
        "title": screen.title,
        "help": screen.help,
        "fields": [
            {
                "id": f.id,
                "kind": f.kind,
                "text": f.text,
                "unit": f.unit,
                "items": [{"id": i.id, "text": i.text} for i in f.items],
                "choices": dict(f.choices),
            }
            for f in screen.fields
        ],
    }


def step_json(step: Any, *, region: str | None, today: date | None) -> dict[str, Any]:
    answered, total = progress_of(step)
    return {
        "done": bool(step.done),
        "screen": screen_json(step.screen) if step.screen is not None and not step.done else None,
        "asked": list(step.asked),
        "progress": {"answered": answered, "total": total},
        "to_confirm": list(getattr(step, "to_confirm", ())),
        "assessment": (
            assess_or_fail(step.findings, region=region, today=today, validated=True)
            if step.done
            else None
        ),
    }


# ---------------------------------------------------------------- forms


def screen_for(screen_id: str, state: InterviewState, kb: Knowledge) -> Screen | None:
    """The full screen with this id (the confirmation screen rebuilt from the state)."""
    from ..engine.interview import CONFIRM_SCREEN, confirm_screen

    if screen_id == CONFIRM_SCREEN:
        names = [n for n in state.to_confirm if n in kb.findings]
        return confirm_screen(names, kb) if names else None
    return next((s for s in kb.screens if s.id == screen_id), None)


def value_problem(fld: QuestionField, value: Any) -> str | None:
    """Why ``value`` does not fit the field, or None."""
    if fld.kind in ("checklist", "multi"):
        allowed = [i.id for i in fld.items] if fld.kind == "checklist" else list(fld.choices)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of " + ", ".join(allowed)
        bad = [v for v in value if v not in allowed]
        return f"unknown {bad}; allowed: {', '.join(allowed)}" if bad else None
    if fld.kind == "choice":
        if value is None or (isinstance(value, str) and value in fld.choices):
            return None
        return "must be one of " + ", ".join(fld.choices) + " or null"
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return None
    return "must be a number or null"


def parse_form(
    screen: Screen, form: Mapping[str, Any], getlist: Any
) -> tuple[dict[str, Any], dict[str, str]]:
    """A submitted screen -> (answers for it, problems by field id)."""
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for fld in screen.fields:
        name = f"field.{fld.id}"
        if fld.kind in ("checklist", "multi"):
            values[fld.id] = [str(v) for v in getlist(name)]
        elif fld.kind == "choice":
            raw = form.get(name)
            values[fld.id] = str(raw) if raw not in (None, "") else None
        else:
            raw = str(form.get(name) or "").strip().replace(",", ".")
            if not raw:
                values[fld.id] = None
                continue
            try:
                number = float(raw)
            except ValueError:
                problems[fld.id] = "Please enter a number, or leave it empty to skip."
                continue
            values[fld.id] = int(number) if number.is_integer() else number
        problem = value_problem(fld, values[fld.id])
        if problem:
            problems[fld.id] = "Please choose from the options shown."
    return values, problems


def values_from_findings(screen: Screen, findings: Mapping[str, Any]) -> dict[str, Any]:
    """What a screen's inputs should show for findings already known (e.g. from free text)."""
    out: dict[str, Any] = {}
    for fld in screen.fields:
        if fld.kind == "checklist":
            ticked = []
            for item in fld.items:
                known = findings.get(item.finding)
                if known is None:
                    continue
                hit = (
                    item.value in known
                    if isinstance(known, list | set | frozenset)
                    else known == item.value
                )
                if hit:
                    ticked.append(item.id)
            if ticked:
                out[fld.id] = ticked
        elif fld.finding and findings.get(fld.finding) is not None:
            known = findings[fld.finding]
            if fld.kind == "multi":
                out[fld.id] = [v for v in known if v in fld.choices]
            elif fld.kind == "choice":
                key = str(known).lower() if isinstance(known, bool) else str(known)
                out[fld.id] = key if key in fld.choices else None
            else:
                out[fld.id] = known
    return out


# ---------------------------------------------------------------- signed state


@dataclass
class InterviewState:
    """Everything the web interview carries from page to page."""

    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    prefilled: dict[str, Any] = field(default_factory=dict)
    to_confirm: list[str] = field(default_factory=list)
    history: list[str] = field(default_factory=list)


class StateSigner:
    """Signs the interview state so that a stale or altered form is noticed."""

    def __init__(self, secret_key: str) -> None:
        self._s = URLSafeSerializer(secret_key, salt="unknot-interview")

    def dumps(self, state: InterviewState) -> str:
        return str(
            self._s.dumps(
                {
                    "a": state.answers,
                    "p": to_jsonable(state.prefilled),
                    "c": state.to_confirm,
                    "h": state.history,
                }
            )
        )

    def loads(self, token: str | None) -> InterviewState | None:
        if not token:
            return InterviewState()
        try:
            raw = self._s.loads(token)
        except BadSignature:
            return None
        if not isinstance(raw, dict):
            return None
        return InterviewState(
            answers=raw.get("a", {}),
            prefilled=raw.get("p", {}),
            to_confirm=raw.get("c", []),
            history=raw.get("h", []),
        )

    def dumps_value(self, value: Any, salt: str) -> str:
        return str(URLSafeSerializer(self._s.secret_keys[-1], salt=salt).dumps(value))

    def loads_value(self, token: str, salt: str) -> Any:
        return URLSafeSerializer(self._s.secret_keys[-1], salt=salt).loads(token)


# ---------------------------------------------------------------- free text


def extraction_of(text: str) -> Any:
    """Run free-text intake (lazily imported: spaCy is heavy)."""
    try:
        intake = importlib.import_module("unknot.intake")
    except ImportError as exc:
        raise IntakeUnavailable from exc
    return intake.extract_findings(text)
