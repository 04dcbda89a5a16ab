"""The Typer application every CLI module registers its commands on.

Heavy imports (the engine, pydantic, spaCy, SQLAlchemy) stay inside command
functions so that ``unknot --help`` starts fast.
"""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer.core import TyperGroup


class OneLineErrors(TyperGroup):
    """Usage errors (a wrong option, a value of the wrong type) as one line on stderr,
    ``Error: ...`` naming the option and what is allowed, exit code 2, like the
    errors the commands report themselves."""

    def main(  # type: ignore[override]
        self,
        args: Any = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        from typer import _click as click

        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare `unknot`: the help
                typer.echo(exc.ctx.get_help() if exc.ctx else exc.format_message())
                sys.exit(exc.exit_code)
            where = f" (see '{exc.ctx.command_path} --help')" if exc.ctx else ""
            typer.echo(f"Error: {' '.join(exc.format_message().split())}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.exceptions.ClickException as exc:
            typer.echo(f"Error: {' '.join(exc.format_message().split())}", err=True)
            sys.exit(exc.exit_code)
        except typer.Abort:
            typer.echo("Aborted.", err=True)
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


app = typer.Typer(
    cls=OneLineErrors,
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


def _show_version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"unknot {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Show the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
) -> None:
    """Unknot: self-care and triage for back muscle spasms. Not a diagnosis."""
