"""The interview and the result in a terminal, with Rich.

The interview logic is the engine's (``engine.interview``); this module only
asks each screen and reads the answers back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

from ..engine.findings import FindingsError
from ..engine.interview import next_step
from ..engine.results import Assessment
from ..knowledge.models import QuestionField, Screen

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self_care": "bold white on dark_green",
}
BACK = "b"


def _console() -> Console:
    return Console(highlight=False)


def print_assessment(a: Assessment, markdown_text: str) -> None:
    """The level first, as a banner in words (not colour alone), then the details."""
    console = _console()
    console.print(
        Panel(
            f"{a.level_title.upper()}\n{a.headline}",
            style=LEVEL_STYLE.get(a.level or "", "bold"),
            title="Unknot result",
        )
    )
    body = markdown_text.split("\n", 3)[-1]  # the banner already shows the heading
    console.print(Markdown(body))


def _numbers(raw: str, count: int) -> list[int]:
    picks = []
    for part in raw.replace(" ", ",").split(","):
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= count:
            raise ValueError(f"type numbers from 1 to {count}, separated by commas")
        picks.append(int(part) - 1)
    return picks


def _ask_field(console: Console, fld: QuestionField) -> Any:
    """One field; returns the answer value, or BACK."""
    while True:
        if fld.kind in ("checklist", "multi"):
            options = (
                [(i.id, i.text) for i in fld.items]
                if fld.kind == "checklist"
                else list(fld.choices.items())
            )
            for n, (_, text) in enumerate(options, 1):
                console.print(f"  [bold]{n:>2}[/bold]. {text}")
            raw = console.input(
                "  Numbers that apply, separated by commas (Enter for none, b to go back): "
            ).strip()
        elif fld.kind == "choice":
            options = list(fld.choices.items())
            console.print(f"  {fld.text}")
            for n, (_, text) in enumerate(options, 1):
                console.print(f"  [bold]{n}[/bold]. {text}")
            raw = console.input("  Number (Enter to skip, b to go back): ").strip()
        else:
            unit = f" ({fld.unit})" if fld.unit and fld.unit not in fld.text else ""
            raw = console.input(f"  {fld.text}{unit} (Enter to skip, b to go back): ").strip()
            if raw.lower() == BACK:
                return BACK
            return raw or None
        if raw.lower() == BACK:
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
        return keys


def _ask_screen(
    console: Console, screen: Screen, progress: tuple[int, int]
) -> dict[str, Any] | str:
    console.rule(f"[bold]{screen.title}[/bold]  ({progress[0] + 1} of about {progress[1]})")
    if screen.help:
        console.print(f"[dim]{screen.help}[/dim]")
    answer: dict[str, Any] = {}
    for fld in screen.fields:
        value = _ask_field(console, fld)
        if value == BACK:
            return BACK
        answer[fld.id] = value
    return answer


def run_interview(
    prefilled: Mapping[str, Any] | None = None, to_confirm: Iterable[str] = ()
) -> dict[str, Any]:
    """Ask screen after screen until the engine says done; return the findings."""
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
            return step.findings
        assert step.screen is not None
        got = _ask_screen(console, step.screen, step.progress)
        if got == BACK:
            if order:
                answers.pop(order.pop())
            continue
        assert isinstance(got, dict)
        answers[step.screen.id] = got
        try:
            next_step(answers, prefilled, confirm)
        except FindingsError as exc:
            console.print(
                f"  [red]{exc.field.split('.')[-1]}: {exc.message}. Please try again.[/red]"
            )
            answers.pop(step.screen.id)
            continue
        order.append(step.screen.id)
