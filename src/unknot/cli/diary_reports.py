"""``unknot diary`` commands that make files or move data: summary, reminders,
export, import, delete-all, info."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from ..bounds import MAX_ID, MAX_MONTHS
from .app import fail
from .diary_common import (
    DbUrl,
    ExportFormat,
    Format,
    FormatOpt,
    SummaryFormat,
    _emit,
    _engine,
    _write,
    diary_app,
    handled,
)

OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file; - or nothing prints it."),
]


def _to_stdout(output: Path | None) -> bool:
    return output is None or str(output) == "-"


@diary_app.command()
def summary(
    fmt: Annotated[
        SummaryFormat, typer.Option("--format", help="markdown, html or pdf.")
    ] = SummaryFormat.markdown,
    output: OutputOpt = None,
    months: Annotated[
        int,
        typer.Option(
            "--months", min=0, max=MAX_MONTHS, help="Episodes from the last N months (0: all)."
        ),
    ] = 12,
    db_url: DbUrl = None,
) -> None:
    """A summary for your doctor: episodes, course, triage history, what helped."""
    from ..diary.db import reading
    from ..diary.summary import build_summary, to_html, to_markdown
    from ..diary.summary_pdf import render_pdf

    if fmt is SummaryFormat.pdf and output is None:
        raise fail("--output: a PDF needs a file to go to, e.g. --output summary.pdf (- prints it)")
    with handled(), reading(_engine(db_url)) as session:
        data = build_summary(session, months=months)
    if fmt is SummaryFormat.pdf:
        content = render_pdf(data)
    else:
        content = (to_html(data) if fmt is SummaryFormat.html else to_markdown(data)).encode()
    if output is None:
        typer.echo(content.decode())
        return
    _write(output, content, db_url)
    if not _to_stdout(output):
        typer.echo(f"Summary written to {output}")


@diary_app.command()
def reminders(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="The .ics file to write; - prints it.")
    ],
    episode: Annotated[
        int | None,
        typer.Option("--episode", help="Episode whose checkpoints to add.", min=1, max=MAX_ID),
    ] = None,
    routine: Annotated[
        bool, typer.Option("--routine/--no-routine", help="Add the prevention routine.")
    ] = True,
    tz: Annotated[
        str | None,
        typer.Option(
            "--tz", help="Your time zone, e.g. Europe/London (default: this computer's)."
        ),
    ] = None,
    db_url: DbUrl = None,
) -> None:
    """Calendar reminders (.ics): your checkpoints and the prevention routine.

    At most three reminders a day, ending with the episode (or after two weeks
    without one).
    """
    from ..diary.db import reading
    from ..diary.reminders import BadTimeZone, EmptyCalendar, reminders_calendar
    from ..diary.repository import current_episode, get_episode

    with handled(), reading(_engine(db_url)) as session:
        chosen = get_episode(session, episode) if episode else current_episode(session)
    try:
        content = reminders_calendar(chosen, routine=routine, tz=tz)
    except BadTimeZone as exc:
        raise fail(f"--tz: {exc}") from None
    except EmptyCalendar as exc:
        raise fail(f"{exc} No file was written.") from None
    _write(output, content, db_url)
    if _to_stdout(output):
        return
    what = []
    if chosen is not None and chosen.ended_at is None:
        what.append(f"the checkpoints of episode {chosen.id}")
    if routine:
        what.append("the prevention routine")
    contents = " and ".join(what) or "nothing"
    typer.echo(f"Wrote {output} with {contents}; import it in your calendar app.")


@diary_app.command("export")
def export_(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="json (everything) or csv (spreadsheets).")
    ] = ExportFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="File for JSON (- or nothing prints it); folder for CSV."
        ),
    ] = None,
    db_url: DbUrl = None,
) -> None:
    """Export everything: JSON to import again, or CSV files for a spreadsheet."""
    from ..diary.db import reading
    from ..diary.export import export_csv, export_json

    with handled(), reading(_engine(db_url)) as session:
        if fmt is ExportFormat.json:
            text = export_json(session)
            files = {}
        else:
            if output is None or str(output) == "-":
                raise fail(
                    "--output: CSV export makes two files, so it needs a folder for "
                    "episodes.csv and checkins.csv (use --format json to print)"
                )
            files = export_csv(session)
    if fmt is ExportFormat.json:
        if output is None:
            typer.echo(text, nl=False)
        else:
            _write(output, text.encode("utf-8"), db_url)
            if not _to_stdout(output):
                typer.echo(f"Exported to {output}")
        return
    assert output is not None
    from ..diary.db import private_folder

    try:
        private_folder(output)
    except OSError as exc:
        raise fail(f"{output}: cannot create the folder ({exc.strerror or exc})") from None
    for name, content in files.items():
        _write(output / name, content.encode("utf-8"), db_url)
    typer.echo(f"Exported {', '.join(files)} to {output}")


@diary_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="A JSON file made by `unknot diary export`.")],
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
) -> None:
    """Import an export file; episodes already in the diary are skipped."""
    from ..diary.db import writing
    from ..diary.export import import_data
    from .inputs import InputError

    with handled():
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{file}: file not found") from None
        except IsADirectoryError:
            raise InputError(f"{file}: is a folder, not a diary export") from None
        except RecursionError:
            raise InputError(f"{file}: not a diary export (nested too deeply)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{file}: not a diary export ({type(exc).__name__})") from None
        if not isinstance(data, dict):
            raise InputError(f"{file}: not a diary export (expected a JSON object)")
        engine = _engine(db_url)
        with writing(engine) as session:
            report = import_data(session, data)
    if _emit(fmt, report.model_dump(mode="json")):
        return
    typer.echo(
        f"Imported {report.episodes_added} episode(s) and {report.checkins_added} check-in(s); "
        f"{report.episodes_skipped} already in the diary were skipped."
    )


@diary_app.command("delete-all")
def delete_all(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask (for scripts).")] = False,
    keep_exports: Annotated[
        bool,
        typer.Option(
            "--keep-exports", help="Keep the files Unknot exported (a copy you mean to keep)."
        ),
    ] = False,
    db_url: DbUrl = None,
) -> None:
    """Delete every episode and check-in in the diary, its backups, and the files Unknot
    exported from it (unless --keep-exports). Nothing of them is left. Cannot be undone."""
    from ..diary.db import describe, erase_everything, made_files, resolve_url

    if not yes:
        where = describe(resolve_url(db_url))
        typer.echo(f"This deletes every episode and check-in in {where}. It cannot be undone.")
        exported = made_files(db_url)
        if exported and not keep_exports:
            typer.echo(
                f"It also deletes {len(exported)} file(s) Unknot exported, e.g. {exported[0]} "
                "(to keep them, use --keep-exports)."
            )
        answer = typer.prompt("Type 'delete' to confirm", default="", show_default=False)
        if answer.strip().lower() != "delete":
            typer.echo("Nothing was deleted.")
            raise typer.Exit(1)
    with handled():
        counts = erase_everything(_engine(db_url), db_url, keep_exports=keep_exports)
    typer.echo(
        f"Deleted {counts['episodes']} episode(s) and {counts['checkins']} check-in(s), "
        f"and {counts['files']} backup or export file(s) Unknot had made."
    )
    if counts["kept"]:
        why = "as asked" if keep_exports else "because they were changed since Unknot wrote them"
        typer.echo(
            f"{counts['kept']} exported file(s) were kept {why}: they still hold diary entries, "
            "so delete them yourself when you no longer need them."
        )


@diary_app.command()
def info(fmt: FormatOpt = Format.text, db_url: DbUrl = None) -> None:
    """Where the diary is kept, and how much is in it."""
    from sqlalchemy import func, select

    from ..diary.db import describe, known_revisions, reading, resolve_url
    from ..diary.models import CheckinRow, EpisodeRow

    with handled(), reading(_engine(db_url)) as session:
        data = {
            "database": describe(resolve_url(db_url)),
            "schema": known_revisions()[1],
            "episodes": session.scalar(select(func.count(EpisodeRow.id))) or 0,
            "checkins": session.scalar(select(func.count(CheckinRow.id))) or 0,
        }
    if _emit(fmt, data):
        return
    for key, value in data.items():
        typer.echo(f"{key}: {value}")
