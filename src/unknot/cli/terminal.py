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


def print_assessment(a: Assessment, *, full: bool = False, extra_markdown: str = "") -> None:
    """The level first, as a banner in words (not colour alone), then what to do now.

    Compact by default, so that the level stays on screen; ``full`` adds every
    section. What is said, and in which order, comes from :mod:`unknot.present`.
    """
    from ..present import present
    from ..report.markdown import section_markdown

    p = present(a)
    f = p.first
    console = _console()
    title = f"{f.title.upper()}{' (PROVISIONAL)' if f.provisional else ''}"
    console.print(
        Panel(
            f"{title}\n{f.headline}",
            style=LEVEL_STYLE.get(f.level or "", "bold"),
            title="Unknot result",
        )
    )
    if f.provisional and f.unanswered:
        more = f" (and {f.more_unanswered} more)" if f.more_unanswered else ""
        console.print(f"[bold]Provisional.[/bold] Not answered yet{more}:")
        for u in f.unanswered:
            console.print(f"  - {u}")
    if f.doubt:
        console.print(f.doubt)
    console.print(f.why)
    for reason in f.reasons:
        console.print(f"  - {reason}")
    console.print("[bold]What to do now[/bold]")
    for step in f.do_now:
        console.print(f"  - {step}")
    console.print("Call: " + ", ".join(f"{c.number} ({c.label})" for c in f.calls))
    if f.call_now_if:
        console.print(f"[bold]Call {p.emergency_number} now if you get:[/bold]")
        for sign in f.call_now_if:
            console.print(f"  - {sign}")
    if full:
        body = [line for s in p.sections for line in section_markdown(s)]
        console.print(Markdown("\n".join(body)))
    elif p.sections:
        names = "; ".join(s.title.split(" (")[0] for s in p.sections)
        console.print(f"[dim]More ({names}): run again with --full.[/dim]")
    if extra_markdown:
        console.print(Markdown(extra_markdown))
    console.print(f"[dim]{f.disclaimer}[/dim]")


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
