"""``unknot assess``: the interview in the terminal, or findings from a file.

Exit status: 0 a result; 2 bad input; 3 (``--text`` only) the result is
provisional: some safety questions are unanswered or said with doubt, or the
words could not be read. The result printed then names those questions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, fail

if TYPE_CHECKING:
    from ..engine.results import Assessment
    from ..intake import Extraction
    from ..knowledge import Knowledge


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


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


def render(
    assessment: Assessment,
    fmt: Format,
    extraction: Extraction | None = None,
    *,
    full: bool = False,
) -> None:
    """Print an assessment in the chosen format (with what was read from the text, if any)."""
    if fmt is Format.json:  # the assessment document, as the API and the diary keep it
        if extraction is not None:
            assessment = assessment.with_words(extraction.subject, extraction.evidence)
        typer.echo(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
        return
    from ..knowledge import load_knowledge
    from ..report import assessment_markdown  # only for text and Markdown

    kb = load_knowledge()
    extra = read_back_markdown(extraction, kb) if extraction is not None else ""
    if fmt is Format.markdown:
        text = assessment_markdown(assessment, kb, full=full)
        typer.echo(text + ("\n" + extra if extra else ""))
        return
    from .terminal import print_assessment

    print_assessment(assessment, full=full, extra_markdown=extra)


PROVISIONAL_EXIT = 3
"""Exit status of ``assess --text`` when the result is not complete (documented in --help)."""

UNREAD_REASON = "Unknot did not recognise anything in these words."


def safe_assess(
    findings: dict[str, Any],
    region: str | None,
    today: date | None,
    doubtful: Iterable[str] = (),
) -> Assessment:
    """Assess through the engine's safe entry: any unexpected failure is the seek-care result."""
    from ..engine import run

    return run(findings, region=region, today=today, doubtful=doubtful)


def read_back_markdown(extraction: Extraction, kb: Knowledge) -> str:
    """What Unknot read from the person's words, each with the words it came from."""
    from ..engine.findings import to_jsonable

    values = to_jsonable(extraction.findings)
    who = "" if extraction.subject == "self" else f" (about your {extraction.subject})"
    out = [f"## What Unknot read from your words{who}", ""]
    if not values:
        out.append("Nothing Unknot knows about: answer the questions, or use the interview.")
    for name, value in values.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        words = "; ".join(f'"{w}"' for w in extraction.evidence.get(name, []))
        out.append(f"- {kb.findings[name].label}: {shown} (from {words})")
    for name in sorted(extraction.doubtful):
        out.append(
            f"- You mentioned {kb.findings[name].label}, but it sounded uncertain. "
            "It is counted as present to be safe: please check it."
        )
    return "\n".join(out) + "\n"


def read_text(text: str) -> str:
    """The text given with --text (``-`` reads standard input), or InputError."""
    import sys

    from ..intake import MAX_CHARS
    from .inputs import InputError

    words = sys.stdin.read() if text == "-" else text
    if not words.strip():
        raise InputError("--text is empty: describe what happened in your own words")
    if len(words) > MAX_CHARS:
        raise InputError(
            f"--text is too long ({len(words)} characters): describe it in at most {MAX_CHARS}"
        )
    return words


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
    import sys

    return sys.stdin.isatty()


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
    """``--text``: read the findings from the person's words, then assess them.

    Signs said with doubt count as present (as on the web); words that could
    not be read give the unread result. A result that is not complete ends
    with exit status 3 after naming the unanswered safety questions.
    """
    from ..engine import failed_assessment, unread_assessment
    from .inputs import InputError

    try:
        words = read_text(text)
    except InputError as exc:
        raise fail(str(exc)) from None
    try:
        from ..intake import extract_findings

        extraction = extract_findings(words)
        if getattr(extraction, "read", True):
            result = safe_assess(extraction.findings, region, day, extraction.doubtful)
        else:
            reason = getattr(extraction, "unread_reason", None) or UNREAD_REASON
            result = unread_assessment(str(reason), region)
    except Exception as exc:  # never show nothing; never echo the person's words
        render(
            failed_assessment(f"could not read the text ({exc.__class__.__name__})", region),
            fmt,
            full=full,
        )
        raise typer.Exit(PROVISIONAL_EXIT) from None
    if not result.complete and _interactive() and fmt is Format.text:
        result = ask_unanswered(result, extraction, region, day) or result
    render(result, fmt, extraction, full=full)
    if not result.complete:
        raise typer.Exit(PROVISIONAL_EXIT)


def ask_unanswered(
    result: Assessment, extraction: Extraction, region: str | None, day: date | None
) -> Assessment | None:
    """At a terminal: confirm the doubtful signs, then ask the unanswered safety
    questions (one checklist with "None of these"), then assess again.

    Returns the new assessment (it may still be provisional if some were left
    unanswered), or None to keep the one given.
    """
    from .interview import ask_open_safety

    findings = dict(extraction.findings) if getattr(extraction, "read", True) else {}
    doubtful = tuple(sorted(extraction.doubtful)) if findings else ()
    findings, doubtful = ask_open_safety(findings, doubtful)
    return safe_assess(findings, region, day, doubtful)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    from ..bounds import check_day

    try:
        return check_day(date.fromisoformat(value))
    except ValueError as exc:
        reason = str(exc) if str(exc).startswith("must") else "must be a date like 2026-03-01"
        raise fail(f"--today {reason}, got {value[:40]!r}") from None
