"""The ``unknot`` command's entry point, kept small so that start-up is quick.

``unknot --help`` prints the overview kept in the cache folder when it was made
from the CLI's very files for this terminal width: Typer, the engine and the
commands are not even imported. ``unknot assess --text ...`` is run without
Typer when :func:`unknot.cli.quick.run` can read its options (it leaves any
other line to Typer), and so is ``unknot diary list ...``
(:func:`unknot.cli.diary_list.run`). Anything else, or a cache that does not match, goes
through Typer (:func:`unknot.cli.main`), which imports only the command used.
"""

from __future__ import annotations

import os
import sys

_HELP_FILE = "cli-help.txt"


def _columns() -> int:
    """The terminal width as ``shutil.get_terminal_size`` (and so Click) reads it."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


def _help_key(prog_name: str) -> str:
    """What the overview depends on: Unknot's and Python's versions, the CLI's files, the width."""
    from . import __version__

    here = os.path.join(os.path.dirname(__file__), "cli")
    parts = [__version__, sys.version, prog_name, str(min(_columns(), 80))]
    for name in sorted(os.listdir(here)):
        if name.endswith(".py"):
            st = os.stat(os.path.join(here, name))
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _cached_overview(prog_name: str) -> str | None:
    from .cachedir import cache_dir

    try:
        with open(os.path.join(cache_dir(), _HELP_FILE), encoding="utf-8") as fh:
            key, _, text = fh.read().partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    return text if key == _help_key(prog_name) and text else None


def _save_overview(prog_name: str, text: str) -> None:
    from .cachedir import cache_dir, write_atomically

    try:
        data = f"{_help_key(prog_name)}\n{text}".encode()
        write_atomically(os.path.join(cache_dir(), _HELP_FILE), data)
    except OSError:
        pass  # no cache folder: the next --help is built again, only slower


def main() -> None:
    args = sys.argv[1:]
    prog_name = os.path.basename(sys.argv[0])
    if args == ["--version"]:
        from . import __version__

        sys.stdout.write(f"unknot {__version__}\n")
        return
    if args == ["--help"] and prog_name in ("unknot", "unknot.exe"):
        text = _cached_overview(prog_name)
        if text is None:
            from .cli import overview_help

            text = overview_help(prog_name)
            _save_overview(prog_name, text)
        sys.stdout.write(text + "\n")
        return
    if args[:1] == ["assess"]:
        from .cli.quick import run

        code = run(args[1:])
        if code is not None:
            sys.exit(code)
    if args[:2] == ["diary", "list"]:
        from .cli.diary_list import run as list_episodes

        code = list_episodes(args[2:])
        if code is not None:
            sys.exit(code)
    from .cli import main as cli_main

    cli_main()
