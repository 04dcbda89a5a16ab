"""``unknot validate``: run a file of cases and report safety and accuracy."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from .app import app, fail


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
) -> None:
    """Check the assessment against cases; exits 1 if any case is under-triaged."""
    from ..engine.findings import FindingsError
    from ..validation import CaseError, load_cases, run_cases
    from .inputs import InputError, read_data_file

    try:
        cases = load_cases(read_data_file(case_file))
        report = run_cases(cases, interview=interview)
    except (InputError, CaseError) as exc:
        raise fail(str(exc)) from None
    except FindingsError as exc:
        raise fail(f"finding '{exc.field}' {exc.message}") from None

    if as_json:
        typer.echo(json.dumps(report.to_dict(), indent=2))
    else:
        _print_report(report.to_dict())
    if report.under_triaged:
        raise typer.Exit(1)


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
