"""A submitted HTML screen: checked field by field, turned into answers.

A bad value never ends the interview: it comes back on the same screen with
what is allowed, the other answers kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ...engine.findings import FindingsError, normalise_value
from ...knowledge import Knowledge
from ...knowledge.models import FindingSpec, QuestionField, Screen

CHOOSE = "Please choose from the options shown."
NONE_WITH_OTHERS = 'You ticked "None of these" and something else. Please choose one or the other.'


def allowed_number(spec: FindingSpec | None) -> str:
    """'a whole number from 0 to 10' and the like, from the finding's catalogue entry."""
    kind = "a whole number" if spec is not None and spec.type == "int" else "a number"
    if spec is None or spec.min is None or spec.max is None:
        return kind
    return f"{kind} from {spec.min:g} to {spec.max:g}"


def _number(fld: QuestionField, raw: str, kb: Knowledge) -> tuple[Any, str | None]:
    spec = kb.findings.get(fld.finding or "")
    problem = f"Please enter {allowed_number(spec)}, or leave it empty to skip."
    text = raw.strip().replace(",", ".")
    if not text:
        return None, None
    try:
        number = float(text)
    except ValueError:
        return raw, problem
    value: Any = int(number) if number.is_integer() else number
    if spec is not None:
        try:
            normalise_value(spec, value)
        except FindingsError:
            return raw, problem
    return value, None


def parse_form(
    screen: Screen, form: Mapping[str, Any], getlist: Callable[[str], list[Any]], kb: Knowledge
) -> tuple[dict[str, Any], dict[str, str]]:
    """A submitted screen -> (answers for it, problems by field id).

    On a problem, the answers hold what was typed, to show it again.
    """
    values: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for fld in screen.fields:
        name = f"field.{fld.id}"
        if fld.kind in ("checklist", "multi"):
            picked = [str(v) for v in getlist(name)]
            values[fld.id] = picked
            allowed = [i.id for i in fld.items] if fld.kind == "checklist" else list(fld.choices)
            if any(v not in allowed for v in picked):
                problems[fld.id] = CHOOSE
            nones = {i.id for i in fld.items if i.none}
            if nones & set(picked) and len(picked) > 1:
                problems[fld.id] = NONE_WITH_OTHERS
        elif fld.kind == "choice":
            raw = form.get(name)
            values[fld.id] = str(raw) if raw not in (None, "") else None
            if values[fld.id] is not None and values[fld.id] not in fld.choices:
                problems[fld.id] = CHOOSE
        else:
            values[fld.id], problem = _number(fld, str(form.get(name) or ""), kb)
            if problem:
                problems[fld.id] = problem
    return values, problems


def values_from_findings(screen: Screen, findings: Mapping[str, Any]) -> dict[str, Any]:
    """What a screen's inputs should show for findings already known (e.g. from free text)."""
    out: dict[str, Any] = {}
    for fld in screen.fields:
        if fld.kind == "checklist":
            ticked = []
            for item in fld.items:
                known = findings.get(item.finding or "")
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


def summarise(screen: Screen, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(question, answer) pairs for the 'your answers so far' list."""
    rows = []
    for fld in screen.fields:
        value = values.get(fld.id)
        if fld.kind == "checklist":
            texts = [i.text for i in fld.items if i.id in (value or [])]
            rows.append((fld.text, "; ".join(texts) or "not answered"))
        elif fld.kind == "multi":
            chosen = [fld.choices.get(v, v) for v in value or []]
            rows.append((fld.text, ", ".join(chosen) or "not answered"))
        elif fld.kind == "choice":
            rows.append((fld.text, fld.choices.get(value or "", "not answered")))
        elif isinstance(value, int | float):
            rows.append((fld.text, f"{value:g}"))
        else:
            rows.append((fld.text, "not answered"))
    return rows
