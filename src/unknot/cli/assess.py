"""``unknot assess``: the interview in the terminal, or findings from a file."""

from __future__ import annotations

import json
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, fail

if TYPE_CHECKING:
    from ..engine.results import Assessment


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


RegionOpt = Annotated[
    str | None,
    typer.Option(
        "--region",
        envvar="UNKNOT_REGION",
        help="Region for the emergency number: uk, us, ca, eu, ie, au, nz "
        "(default: all common numbers).",
    ),
]


def render(assessment: Assessment, fmt: Format) -> None:
    """Print an assessment in the chosen format."""
    from ..knowledge import load_knowledge
    from ..report import assessment_markdown

    kb = load_knowledge()
    if fmt is Format.json:
        typer.echo(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
        return
    text = assessment_markdown(assessment, kb)
    if fmt is Format.markdown:
        typer.echo(text)
        return
    from .terminal import print_assessment

    print_assessment(assessment, text)


def safe_assess(findings: dict[str, Any], region: str | None, today: date | None) -> Assessment:
    """Assess, turning any unexpected failure into the seek-care result."""
    from ..engine import assess, failed_assessment
    from ..engine.findings import FindingsError

    try:
        return assess(findings, region=region, today=today)
    except FindingsError:
        raise
    except Exception as exc:  # never show nothing: say to seek care
        return failed_assessment(f"internal error ({exc.__class__.__name__})", region)


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
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.text,
    region: RegionOpt = None,
    today: Annotated[
        str | None, typer.Option("--today", help="Date to plan from (YYYY-MM-DD); default today.")
    ] = None,
) -> None:
    """Is this serious, why did it happen, what to do: an assessment of a back spasm.

    Without --findings, runs the interview in the terminal.
    """
    from ..engine.findings import FindingsError
    from .inputs import InputError, findings_object, read_data_file

    day = _parse_day(today)
    try:
        if findings is not None:
            raw = findings_object(read_data_file(findings), findings)
        else:
            from .terminal import run_interview

            raw = run_interview()
        result = safe_assess(raw, region, day)
    except InputError as exc:
        raise fail(str(exc)) from None
    except FindingsError as exc:
        raise fail(f"finding '{exc.field}' {exc.message}") from None
    render(result, fmt)


def _parse_day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail(f"--today must be a date like 2026-03-01, got {value!r}") from None
