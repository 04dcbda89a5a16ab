"""Command-line surface: translates between the terminal and the engine."""

from __future__ import annotations

from . import assess as _assess  # noqa: F401  (registers commands)
from . import diary as _diary  # noqa: F401
from . import diary_reports as _diary_reports  # noqa: F401
from . import knowledge as _knowledge  # noqa: F401
from . import validate as _validate  # noqa: F401
from . import web as _web  # noqa: F401  (registers commands)
from .app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
