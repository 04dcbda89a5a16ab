"""``unknot validate``: run a file of cases and report safety and accuracy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, fail

if TYPE_CHECKING:
    from ..intake.scoring import FindingScore
    from ..validation import Case


@app.command()
def validate(
    case_file: Annotated[
        Path, typer.Argument(help="YAML/JSON list of cases (id, findings, expect).")
    ],
    interview: Annotated[
        bool,
        typer.Option("--interview", help="Play each case through the adaptive interview."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
    text: Annotated[
        bool,
        typer.Option(
            "--text",
            help="Read each case's narrative with the free-text intake instead of its findings, "
            "and report finding-level precision and recall.",
        ),
    ] = False,
) -> None:
    """Check the assessment against cases; exits 1 if any case is under-triaged."""
    from ..engine.findings import FindingsError
    from ..validation import CaseError, load_cases, run_cases
    from .inputs import InputError, read_data_file

    scores: list[FindingScore] = []
    try:
        cases = load_cases(read_data_file(case_file))
        if text:
            cases, scores = _read_narratives(cases)
        report = run_cases(cases, interview=interview)
    except (InputError, CaseError) as exc:
        raise fail(str(exc)) from None
    except FindingsError as exc:
        raise fail(f"finding '{exc.field}' {exc.message}") from None

    data = report.to_dict()
    if text:
        from ..intake.scoring import total

        for row, score in zip(data["cases"], scores, strict=True):
            row["findings"] = score.to_dict()
        data["totals"]["findings"] = total(scores).to_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2))
    else:
        _print_report(data)
        if text:
            _print_finding_scores(data)
    if report.under_triaged:
        raise typer.Exit(1)


def _read_narratives(cases: list[Case]) -> tuple[list[Case], list[FindingScore]]:
    """Each case with its findings read from its narrative, and how well they were read."""
    from dataclasses import replace

    from ..engine import validate_findings
    from ..intake import extract_findings
    from ..intake.scoring import score
    from ..knowledge import load_knowledge
    from ..validation import CaseError

    kb = load_knowledge()
    read: list[Case] = []
    scores: list[FindingScore] = []
    for case in cases:
        if not case.narrative.strip():
            raise CaseError(f"case {case.id}: no narrative to read (--text needs one per case)")
        try:
            expected = validate_findings(case.findings, kb)
        except ValueError as exc:
            raise CaseError(f"case {case.id}: {exc}") from None
        try:
            extraction = extract_findings(case.narrative)
        except ValueError as exc:
            raise CaseError(f"case {case.id}: narrative {exc}") from None
        scores.append(score(extraction.findings, expected))
        read.append(replace(case, findings=dict(extraction.findings)))
    return read, scores


def _print_finding_scores(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="Findings read from each narrative")
    for col in ("case", "precision", "recall", "missed", "read but not in the case"):
        table.add_column(col)
    for row in data["cases"]:
        f = row["findings"]
        table.add_row(
            row["id"],
            f"{f['precision']:.0%}",
            f"{f['recall']:.0%}",
            ", ".join(f["missing"]) or "-",
            ", ".join(f["extra"]) or "-",
        )
    console.print(table)
    t = data["totals"]["findings"]
    console.print(
        f"findings: precision {t['precision']:.1%} ({t['found']}/{t['read']})  "
        f"recall {t['recall']:.1%} ({t['found']}/{t['expected']})"
    )


def _print_report(data: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(title="Cases")
    for col in ("case", "expected", "got", "result", "missing concerns", "missing factors"):
        table.add_column(col)
    show_screens = any(r.get("screens") is not None for r in data["cases"])
    if show_screens:
        table.add_column("screens")
    for row in data["cases"]:
        cells = [
            row["id"],
            row["expected"],
            row["level"],
            row["verdict"].upper() if row["verdict"] == "under-triaged" else row["verdict"],
            ", ".join(row["missing_concerns"]) or "-",
            ", ".join(row["missing_factors"]) or "-",
        ]
        if show_screens:
            cells.append(str(row["screens"]))
        table.add_row(*cells)
    console.print(table)
    t = data["totals"]
    console.print(
        f"cases: {t['cases']}  safe (not under-triaged): {t['safe']}/{t['cases']}  "
        f"exact: {t['exact']}/{t['cases']}  over-triaged: {t['over_triaged']}  "
        f"under-triaged: {t['under_triaged']}"
    )
    concerns = f"{t['concerns_found']}/{t['concerns_expected']}"
    factors = f"{t['factors_found']}/{t['factors_expected']}"
    console.print(
        f"concern recall: {t['concern_recall']:.1%} ({concerns})  "
        f"factor recall: {t['factor_recall']:.1%} ({factors})"
    )
    if t.get("median_screens_self_care") is not None:
        console.print(
            f"screens asked: median {t['median_screens']} overall, "
            f"median {t['median_screens_self_care']} for self-care cases"
        )
    by_level = t.get("interview_by_level") or {}
    if by_level:
        table = Table(title="Interview before the result, by expected level")
        for col in ("level", "cases", "median screens", "median items", "max screens", "max items"):
            table.add_column(col)
        for level, row in by_level.items():
            table.add_row(
                level,
                str(row["cases"]),
                f"{row['median_screens']:g}",
                f"{row['median_items']:g}",
                str(row["max_screens"]),
                str(row["max_items"]),
            )
        console.print(table)
        console.print(f"habits screen before the result: {t['habits_before_result']} case(s)")
