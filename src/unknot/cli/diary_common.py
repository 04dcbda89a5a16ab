"""What every ``unknot diary`` command shares: the command group, the output
formats and options, and the translation of the diary's errors into exit codes.

The commands themselves live in :mod:`.diary` (episodes and check-ins) and
:mod:`.diary_reports` (files and data); both build on this module alone.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .app import app, fail

if TYPE_CHECKING:
    from sqlalchemy import Engine

diary_app = typer.Typer(
    help=(
        "Your back spasm diary: episodes, check-ins, checkpoints, patterns, charts, "
        "a summary for your doctor, reminders, export and import. Kept on this machine."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,  # plain help: formatting it with Rich costs more than the rest
)
app.add_typer(diary_app, name="diary")


class Format(StrEnum):
    text = "text"
    json = "json"


class SummaryFormat(StrEnum):
    markdown = "markdown"
    html = "html"
    pdf = "pdf"


class ExportFormat(StrEnum):
    json = "json"
    csv = "csv"


DbUrl = Annotated[
    str | None,
    typer.Option(
        "--db-url",
        envvar="UNKNOT_DATABASE_URL",
        help="Database URL (default: a SQLite file in your user data folder). "
        "Also read from UNKNOT_DATABASE_URL; postgresql://... works too.",
        show_default=False,
    ),
]
FormatOpt = Annotated[Format, typer.Option("--format", help="text, or json for scripts.")]

# --- Plumbing ----------------------------------------------------------------------


@contextmanager
def handled() -> Iterator[None]:
    """Turn the diary's errors into clear messages and exit codes."""
    from sqlalchemy.exc import OperationalError

    from ..diary.db import DiaryStorageError, DiaryUrlError
    from ..diary.repository import EpisodeNotFound
    from ..diary.schemas import DiaryInputError
    from .inputs import InputError

    try:
        yield
    except DiaryInputError as exc:
        raise fail(f"{exc.field}: {exc.message}. Nothing was saved.") from None
    except (EpisodeNotFound, InputError) as exc:
        raise fail(str(exc)) from None
    except DiaryUrlError as exc:
        raise fail(str(exc)) from None
    except DiaryStorageError as exc:
        raise fail(str(exc), 1) from None
    except OperationalError as exc:
        reason = str(exc.orig) if exc.orig else type(exc).__name__
        raise fail(f"the diary could not be written ({reason}); nothing was saved", 1) from None


def _engine(db_url: str | None) -> Engine:
    from ..diary.db import open_diary

    return open_diary(db_url)


def _emit(fmt: Format, data: Any) -> bool:
    """Print JSON if asked; returns True when it did."""
    if fmt is not Format.json:
        return False
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
    return True


def _write(path: Path, data: bytes, db_url: str | None = None) -> None:
    """Write a file for the person (0600); ``-`` means standard output."""
    import sys

    from ..diary.db import storage_problem, write_private

    if str(path) == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_private(path, data, db_url)
    except OSError as exc:
        problem = storage_problem(exc, str(path))
        if problem is not None:
            raise fail(f"{path}: {problem}", 1) from None
        raise fail(f"{path}: cannot write ({exc.strerror or type(exc).__name__})") from None
