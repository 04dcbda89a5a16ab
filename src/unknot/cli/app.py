"""The Typer application every CLI module registers its commands on.

Heavy imports (the engine, pydantic, spaCy, SQLAlchemy) stay inside command
functions so that ``unknot --help`` starts fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="unknot",
    help=(
        "Unknot: self-care and triage for back muscle spasms. "
        "Not a diagnosis: if you are worried, get medical help."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help and errors: Rich's help formatting (rich.markdown,
    # rich.traceback, markdown_it) cost more than the rest of ``unknot --help``.
    rich_markup_mode=None,
)

EXIT_BAD_INPUT = 2


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    """Print a clear one-line error to stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code)


@app.callback()
def _root() -> None:
    """Unknot: self-care and triage for back muscle spasms. Not a diagnosis."""
