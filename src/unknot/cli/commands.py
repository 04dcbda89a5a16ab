"""The Typer app with its commands, each command's module imported when it is used.

Every command is registered on the one Typer app (:data:`app`) by its module
(:data:`COMMAND_MODULES`). :func:`main` imports only the module of the command
used and runs a lean copy of the app that turns only that command into Click
(see :func:`lean_app`); ``from unknot.cli import app`` gives the app with every
command. The ``unknot`` command starts in :mod:`unknot.start`.
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Sequence

import typer
from typer.main import get_command_name
from typer.models import CommandInfo, TyperInfo

from .app import app

#: The modules that register each command or group, in the overview's order.
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "assess": ("assess",),
    "diary": ("diary", "diary_reports"),
    "knowledge": ("knowledge",),
    "validate": ("validate",),
    "web": ("web",),
}
_ORDER = ("assess", "diary", "diary_reports", "knowledge", "validate", "web")


def load(command: str | None = None) -> typer.Typer:
    """The app with ``command``'s module(s) imported, or every command's (None or unknown)."""
    for name in COMMAND_MODULES.get(command or "", _ORDER):
        importlib.import_module(f"{__package__}.{name}")
    return app


def _like_app() -> typer.Typer:
    lean = typer.Typer(
        cls=app.info.cls,  # the app's own group class (one-line errors)
        name=app.info.name,
        help=app.info.help,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
    )
    lean.registered_callback = app.registered_callback
    return lean


def _stub() -> None:  # pragma: no cover - listed in the overview, never run
    """Placeholder."""


def lean_app(args: Sequence[str]) -> typer.Typer:
    """The app with only what this command line uses turned into Click commands.

    Typer builds every command's options from its signature before running any,
    which costs more than the rest of ``unknot --help``. A command line naming a
    command gets an app with just that command (so its options, help and errors
    are the full app's); one naming none (the overview, ``--help``, a typo) gets
    every command as a name and its help text only.
    """
    wanted = next((a for a in args if not a.startswith("-")), None)
    load(wanted)
    commands = {
        info.name or get_command_name(getattr(info.callback, "__name__", "")): info
        for info in app.registered_commands
    }
    groups = {
        info.name or (info.typer_instance.info.name if info.typer_instance else None): info
        for info in app.registered_groups
    }
    lean = _like_app()
    if wanted in commands:
        lean.registered_commands = [commands[wanted]]
    elif wanted in groups:
        lean.registered_groups = [groups[wanted]]
    else:
        for name, info in commands.items():
            text = info.help or inspect.getdoc(info.callback) or ""
            lean.registered_commands.append(
                CommandInfo(name=name, callback=_stub, help=text, hidden=info.hidden)
            )
        for group_name, group in groups.items():
            sub = group.typer_instance
            group_text = str(group.help or (sub.info.help if sub else None) or "")
            stub_group = typer.Typer(rich_markup_mode=None, add_completion=False)
            stub_group.command("-")(_stub)
            lean.registered_groups.append(
                TyperInfo(stub_group, name=group_name, help=group_text, hidden=group.hidden)
            )
    return lean


def overview_help(prog_name: str) -> str:
    """The text ``unknot --help`` prints."""
    group = typer.main.get_command(lean_app(["--help"]))
    ctx = group.make_context(prog_name, [], resilient_parsing=True)
    return ctx.get_help()


def main() -> None:
    """The ``unknot`` command. Every error it expects is one line and exit 2 (bad
    input) or 1 (storage); anything else is still one line, never a traceback."""
    try:
        lean_app(sys.argv[1:])()
    except Exception as exc:
        from .quick import UNEXPECTED

        typer.echo(UNEXPECTED.format(kind=type(exc).__name__), err=True)
        sys.exit(1)


__all__ = ["COMMAND_MODULES", "app", "lean_app", "load", "main", "overview_help"]
