"""``unknot assess``: the interview in the terminal, or findings from a file.

Exit status: 0 a result; 2 bad input; 3 (``--text`` only) the result is
provisional: some safety questions are unanswered or said with doubt, or the
words could not be read. The result printed then names those questions.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, fail
from .quick import Format, ask_unanswered, assess_text, interactive, render, safe_assess

if TYPE_CHECKING:
    from ..engine.results import Assessment


RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        envvar="UNKNOT_REGION",
        help="Region for the emergency number: uk, us, ca, eu, ie, in, au, nz "
        "(default: all common numbers).",
    ),
]


FullOpt = Annotated[
    bool, typer.Option("--full", help="Show every section of the result, not just what to do now.")
]


@app.command()
def assess(
    findings: Annotated[
        Path | None,
        typer.Option(
            "--findings",
            "-f",
            help="JSON or YAML object of findings (names as in findings.yaml); - for stdin.",
        ),
    ] = None,
    text: Annotated[
        str | None,
        typer.Option(
            "--text",
            "-t",
            help="What happened, in your own words; - reads standard input.",
        ),
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    region: RegionOpt = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Date to plan from (YYYY-MM-DD); default today.")
    ] = None,
    full: FullOpt = False,
) -> None:
    """Is this serious, why did it happen, what to do: an assessment of a back spasm.

    Without --findings or --text, runs the interview in the terminal.

    Exit status: 0 a result; 2 bad input; 3 with --text when the result is
    provisional (safety questions unanswered or said with doubt, or the words
    could not be read): the result names the questions still to answer.
    """
    from ..engine.findings import FindingsError
    from .inputs import InputError, findings_object, read_data_file

    day = _parse_day(today)
    if findings is not None and text is not None:
        raise fail("use either --findings or --text, not both")
    if text is not None:
        _assess_text(text, fmt, region, day, full=full)
        return
    try:
        if findings is None:
            _interview(fmt, region, day)
            return
        raw = findings_object(read_data_file(findings), findings)
        result = safe_assess(raw, region, day)
    except InputError as exc:
        raise fail(str(exc)) from None
    except FindingsError as exc:
        raise fail(f"finding '{exc.field}' {exc.message}") from None
    render(result, fmt, full=full)


def _interview(fmt: Format, region: str | None, day: date | None) -> None:
    """The interview in the terminal, the result, then the optional why-step."""
    from .interview import ask_why, run_interview

    interactive = _interactive()
    prefilled, confirm = _story() if interactive else ({}, [])
    step, answers = run_interview(prefilled, confirm)
    render(safe_assess(step.findings, region, day, step.doubtful), fmt)
    if not interactive or fmt is not Format.text:
        return
    why = ask_why(step, answers, prefilled, confirm)
    if why is not None:
        _print_why(safe_assess(why.findings, region, day, why.doubtful))


def _print_why(result: Assessment) -> None:
    """The factors and prevention plan, refined by the why-step's answers."""
    from rich.console import Console
    from rich.markdown import Markdown

    lines = ["## Why it may have happened", ""]
    lines += [f"- **{f.title}**: {f.why} {f.what_to_do}" for f in result.factors]
    if not result.factors:
        lines.append("- Nothing in your answers points to a clear cause.")
    if result.prevention_plan:
        lines += ["", "## Stopping it coming back", ""]
        lines += [f"- **{p.title}**: {p.text}" for p in result.prevention_plan]
    Console(highlight=False).print(Markdown("\n".join(lines)))


def _interactive() -> bool:
    """A person at a terminal (not a script piping answers in)."""
    return interactive()


def _story() -> tuple[dict[str, Any], list[str]]:
    """Open the interview with "Tell me what happened"; the person may skip it.

    Returns the findings read from the story, to skip those questions, and the
    danger signs read with doubt, for the interview to confirm.
    """
    words = typer.prompt(
        "Tell me what happened, in your own words (or press Enter to skip)",
        default="",
        show_default=False,
    )
    if not words.strip():
        return {}, []
    try:
        from ..intake import extract_findings

        extraction = extract_findings(words)
    except Exception:  # never block the interview: it will simply ask everything
        typer.echo("Unknot could not read that, so it will ask its questions instead.")
        return {}, []
    return dict(extraction.findings), sorted(extraction.doubtful)


def _assess_text(
    text: str, fmt: Format, region: str | None, day: date | None, *, full: bool = False
) -> None:
    """``--text``: read the findings from the person's words, then assess them
    (:func:`unknot.cli.quick.assess_text`); a result that is not complete ends
    with exit status 3 after naming the unanswered safety questions."""
    from .inputs import InputError

    try:
        code = assess_text(
            text, fmt, region, day, full=full, at_terminal=_interactive, ask=ask_unanswered
        )
    except InputError as exc:
        raise fail(str(exc)) from None
    if code:
        raise typer.Exit(code)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    from ..bounds import check_day

    try:
        return check_day(date.fromisoformat(value))
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("must") else "must be a date like 2026-03-01"
        raise fail(f"--today {reason}, got {value[:40]!r}") from None
