"""The interview and the result in a terminal, with Rich.

The interview logic is the engine's (``engine.interview``); this module only
asks each screen and reads the answers back.
"""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

from ..engine.results import Assessment

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self_care": "bold white on dark_green",
}


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
