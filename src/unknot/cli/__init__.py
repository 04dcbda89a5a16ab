"""Command-line surface: translates between the terminal and the engine.

The Typer app and its commands are in :mod:`unknot.cli.commands`; this package
imports nothing until one of them is asked for (``from unknot.cli import app``),
so that :mod:`unknot.cli.quick` (``assess --text`` without Typer) starts quickly.
The ``unknot`` command starts in :mod:`unknot.start`.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .commands import app, lean_app, main, overview_help

_LAZY = ("app", "lean_app", "main", "overview_help")


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from . import commands

        value = commands.load() if name == "app" else getattr(commands, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Package(types.ModuleType):
    """``unknot.cli.app`` is both a module and the Typer app this package exports.

    Importing the module would make the package's ``app`` the module (Python sets a
    submodule as an attribute of its package); the app it means stays the Typer app.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "app" and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

__all__ = ["app", "lean_app", "main", "overview_help"]
