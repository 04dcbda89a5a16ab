"""The interview in a terminal, with Rich: the engine's screens, asked one by one.

The order and the defaults are the engine's (:mod:`unknot.engine.interview`):
danger first, ending at the first yes; the other safety questions; the
episode; safety questions left open asked once more; then the result. The
optional "Why did this happen?" step is offered only after the result.

A checklist is answered by its numbers, or by the number of "None of these";
Enter leaves it unanswered (never "no").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.panel import Panel

from ..engine.findings import FindingsError
from ..engine.interview import Step, next_step, open_safety_screen, replay
from ..knowledge.models import QuestionField, Screen

BACK = "b"


def _console() -> Console:
    return Console(highlight=False)


def _numbers(raw: str, count: int) -> list[int]:
    picks = []
    for part in raw.replace(" ", ",").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise ValueError(f"type numbers from 1 to {count}, separated by commas")
        picks.append(int(part) - 1)
    return picks


def _ask_field(console: Console, fld: QuestionField, *, can_go_back: bool = True) -> Any:
    """One field; returns the answer value, or BACK."""
    back = ", b to go back" if can_go_back else ""
    while True:
        if fld.kind in ("checklist", "multi"):
            options = (
                [(i.id, i.text) for i in fld.items]
                if fld.kind == "checklist"
                else list(fld.choices.items())
            )
            console.print(f"  [bold]{fld.text}[/bold]")
            for n, (key, text) in enumerate(options, 1):
                none = fld.kind == "checklist" and any(i.none and i.id == key for i in fld.items)
                console.print(
                    f"  [bold]{n:>2}[/bold]. {'[bold]' + text + '[/bold]' if none else text}"
                )
            hint = "Numbers that apply, separated by commas"
            raw = console.input(f"  {hint} (Enter if you don't know{back}): ").strip()
        elif fld.kind == "choice":
            options = list(fld.choices.items())
            console.print(f"  {fld.text}")
            for n, (_, text) in enumerate(options, 1):
                console.print(f"  [bold]{n}[/bold]. {text}")
            raw = console.input(f"  Number (Enter to skip{back}): ").strip()
        else:
            unit = f" ({fld.unit})" if fld.unit and fld.unit not in fld.text else ""
            raw = console.input(f"  {fld.text}{unit} (Enter to skip{back}): ").strip()
            if can_go_back and raw.lower() == BACK:
                return BACK
            return raw or None
        if can_go_back and raw.lower() == BACK:
            return BACK
        try:
            picks = _numbers(raw, len(options))
        except ValueError as exc:
            console.print(f"  [red]Please {exc}.[/red]")
            continue
        keys = [options[i][0] for i in picks]
        if fld.kind == "choice":
            if len(keys) > 1:
                console.print("  [red]Please choose one number.[/red]")
                continue
            return keys[0] if keys else None
        nones = {i.id for i in fld.items if i.none}
        if nones & set(keys) and len(keys) > 1:
            console.print('  [red]"None of these" goes alone. Please choose again.[/red]')
            continue
        return keys


def _ask_screen(
    console: Console, screen: Screen, progress: tuple[int, int] | None, *, can_go_back: bool = True
) -> dict[str, Any] | str:
    where = f"  ({progress[0] + 1} of about {progress[1]})" if progress else ""
    console.rule(f"[bold]{screen.title}[/bold]{where}")
    if screen.help:
        console.print(f"[dim]{screen.help}[/dim]")
    answer: dict[str, Any] = {}
    for fld in screen.fields:
        value = _ask_field(console, fld, can_go_back=can_go_back)
        if value == BACK:
            return BACK
        answer[fld.id] = value
    return answer


def _checked(
    console: Console,
    answers: dict[str, dict[str, Any]],
    screen_id: str,
    got: dict[str, Any],
    prefilled: Mapping[str, Any] | None,
    confirm: tuple[str, ...],
) -> bool:
    """Keep the screen's answers if the engine accepts them; else say why and drop them."""
    answers[screen_id] = got
    try:
        next_step(answers, prefilled, confirm)
    except FindingsError as exc:
        console.print(f"  [red]{exc.field.split('.')[-1]}: {exc.message}. Please try again.[/red]")
        answers.pop(screen_id)
        return False
    return True


def run_interview(
    prefilled: Mapping[str, Any] | None = None, to_confirm: Iterable[str] = ()
) -> tuple[Step, dict[str, dict[str, Any]]]:
    """Ask screen after screen until the engine says done; return the last step and answers."""
    console = _console()
    console.print(
        Panel(
            "Unknot asks a few questions, the warning signs first. It is not a diagnosis.\n"
            "If you think your life is in danger, stop and call your emergency number now.",
            title="Back spasm check",
        )
    )
    confirm = tuple(to_confirm)
    answers: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    while True:
        step = next_step(answers, prefilled, confirm)
        if step.done:
            return step, answers
        assert step.screen is not None
        got = _ask_screen(console, step.screen, step.progress)
        if got == BACK:
            if order:
                answers.pop(order.pop())
            continue
        assert isinstance(got, dict)
        if _checked(console, answers, step.screen.id, got, prefilled, confirm):
            order.append(step.screen.id)


def ask_why(
    step: Step,
    answers: dict[str, dict[str, Any]],
    prefilled: Mapping[str, Any] | None = None,
    to_confirm: Iterable[str] = (),
) -> Step | None:
    """After the result: offer the optional "Why did this happen?" step; None if declined."""
    if step.why_screen is None or step.emergency_stop:
        return None
    console = _console()
    wanted = console.input(
        "\nWould you like to answer a few questions about why this happened? (y/N): "
    )
    if wanted.strip().lower() not in ("y", "yes"):
        return None
    confirm = tuple(to_confirm)
    while True:
        got = _ask_screen(console, step.why_screen, None, can_go_back=False)
        assert isinstance(got, dict)
        if _checked(console, answers, step.why_screen.id, got, prefilled, confirm):
            return next_step(answers, prefilled, confirm)


def ask_open_safety(
    findings: Mapping[str, Any], doubtful: Iterable[str]
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """After the person's own words: confirm what was said with doubt, then ask the
    safety questions still open, as one checklist with "None of these".

    Returns the findings and the signs still doubtful (counted as present).
    """
    from ..engine.interview import CONFIRM_SCREEN, RECHECK_SCREEN, confirm_screen
    from ..knowledge import load_knowledge

    kb = load_knowledge()
    console = _console()
    to_confirm = tuple(n for n in doubtful if n in findings)
    answers: dict[str, dict[str, Any]] = {}
    screens: list[tuple[str, Screen | None]] = []
    if to_confirm:
        screens.append((CONFIRM_SCREEN, confirm_screen(to_confirm, kb)))
    screens.append((RECHECK_SCREEN, None))
    for screen_id, fixed in screens:
        screen = fixed or open_safety_screen(findings, to_confirm, answers, kb)
        if screen is None:
            continue
        if screen_id == RECHECK_SCREEN:
            console.print(
                "\n[bold]Before the result: a few safety questions your words did not answer."
                "[/bold]"
            )
        while True:
            got = _ask_screen(console, screen, None, can_go_back=False)
            assert isinstance(got, dict)
            if _checked(console, answers, screen_id, got, findings, to_confirm):
                break
    return replay(answers, findings, to_confirm, kb)
