"""Command-line surface: translates between the terminal and the engine."""

from __future__ import annotations

from . import assess as _assess  # noqa: F401  (registers commands)
from . import diary as _diary  # noqa: F401
from . import knowledge as _knowledge  # noqa: F401
from . import validate as _validate  # noqa: F401
from . import web as _web  # noqa: F401  (registers commands)
from .app import app


def main() -> None:
    """The ``unknot`` command. Every error it expects is one line and exit 2 (bad
    input) or 1 (storage); anything else is still one line, never a traceback."""
    try:
        app()
    except Exception as exc:
        import sys

        import typer

        typer.echo(
            f"Error: Unknot hit a problem it did not expect ({type(exc).__name__}). "
            "Nothing was saved. If you need help with your back now, do not wait: "
            "contact a doctor or your local emergency number.",
            err=True,
        )
        sys.exit(1)


__all__ = ["app", "main"]
