"""``unknot knowledge``: inspect and lint the knowledge base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from .app import app, fail

knowledge_app = typer.Typer(
    help="Inspect and check Unknot's clinical knowledge base.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(knowledge_app, name="knowledge")


@knowledge_app.command("check")
def check(
    against: Annotated[
        Path | None,
        typer.Option(
            "--against", help="Also compare with a finding vocabulary (e.g. a findings.yaml)."
        ),
    ] = None,
) -> None:
    """Lint the knowledge: coverage, citations, worked cases, reachable questions."""
    from ..engine.check import check_knowledge
    from ..intake.lexicon import check_lexicon
    from ..knowledge import KnowledgeError, load_knowledge
    from .inputs import InputError, read_data_file

    try:
        kb = load_knowledge()
        check_lexicon(kb)  # from the files, not the cache: every pattern and example
        vocab = read_data_file(against) if against else None
    except KnowledgeError as exc:
        raise fail(f"knowledge does not load: {exc}", 1) from None
    except InputError as exc:
        raise fail(str(exc)) from None
    problems = check_knowledge(kb, vocab)
    for line in problems:
        typer.echo(f"problem: {line}")
    summary = (
        f"{len(kb.rules)} rules, {len(kb.factors)} factors, {len(kb.screens)} screens, "
        f"{len(kb.relief)} relief and {len(kb.prevention)} prevention items, "
        f"{len(kb.exercises)} exercises, {len(kb.sources)} sources (version {kb.version})"
    )
    if problems:
        typer.echo(f"{len(problems)} problem(s) in {summary}", err=True)
        raise typer.Exit(1)
    typer.echo(f"knowledge OK: {summary}")
