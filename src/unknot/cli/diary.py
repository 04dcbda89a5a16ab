"""``unknot diary ...``: the diary in the terminal.

Every command translates options into the diary's Pydantic inputs, calls one
service function in one transaction, and prints the result (``--format json``
for scripts). Bad input exits 2 with a message naming the field and nothing
written; a database that cannot be used exits 1 and is left as it was.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from ..bounds import MAX_ID
from .app import fail
from .diary_common import (
    DbUrl,
    Format,
    FormatOpt,
    _emit,
    _engine,
    _write,
    diary_app,
    handled,
)
from .diary_list import MAX_PAGE, MAX_PER_PAGE

AtOpt = Annotated[
    str | None, typer.Option("--at", help="When (YYYY-MM-DD HH:MM, local time); default now.")
]
WhereOpt = Annotated[
    list[str] | None,
    typer.Option("--where", "-w", help="Body region, e.g. lower_back (repeat for more)."),
]
TriggerOpt = Annotated[
    list[str] | None,
    typer.Option("--trigger", "-t", help="What set it off, e.g. lifting (repeat for more)."),
]
TriedOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--tried",
        help="Something tried, with whether it helped: heat=yes, ice=no, nsaid (not sure yet). "
        "Medicines by class only (nsaid, paracetamol, topical, ...).",
    ),
]
EpisodeArg = Annotated[
    int | None,
    typer.Argument(
        help="Episode number (default: the open episode).", show_default=False, min=1, max=MAX_ID
    ),
]


# --- Plumbing ----------------------------------------------------------------------


def _tried(values: list[str] | None) -> list[dict[str, Any]] | None:
    if values is None:
        return None
    answers = {"yes": True, "y": True, "no": False, "n": False, "": None, "?": None}
    out = []
    for value in values:
        remedy, _, helped = value.partition("=")
        if helped.strip().lower() not in answers:
            raise fail(f"--tried {value}: say yes or no after '=' (e.g. heat=yes), or leave it off")
        out.append({"remedy": remedy.strip(), "helped": answers[helped.strip().lower()]})
    return out


def _signs(values: list[str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for value in values or []:
        name, sep, setting = value.partition("=")
        out[name.strip()] = setting.strip() if sep else True
    return out


def _pick_episode(session: Any, episode: int | None) -> int:
    from ..diary.repository import current_episode

    if episode is not None:
        return episode
    current = current_episode(session)
    if current is None:
        raise fail("episode: no episode is open; give its number (see `unknot diary list`)")
    return current.id


def _print_due(due: list[Any]) -> None:
    from .diary_render import print_due

    print_due(due)


# --- Episodes ------------------------------------------------------------------------


@diary_app.command()
def start(
    at: AtOpt = None,
    where: WhereOpt = None,
    pain: Annotated[int | None, typer.Option("--pain", help="Worst pain so far, 0-10.")] = None,
    trigger: TriggerOpt = None,
    tried: TriedOpt = None,
    notes: Annotated[str, typer.Option("--notes", help="Anything else worth keeping.")] = "",
    end: Annotated[
        str | None, typer.Option("--end", help="When it ended, for a past episode.")
    ] = None,
    findings: Annotated[
        Path | None,
        typer.Option(
            "--findings",
            "-f",
            help="Start from an assessment: a findings file as for `unknot assess`.",
        ),
    ] = None,
    assessment: Annotated[
        Path | None,
        typer.Option("--assessment", help="Start from `unknot assess --format json` output."),
    ] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", envvar="UNKNOT_REGION", help="Region for the emergency number."),
    ] = None,
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
) -> None:
    """Record a new episode (now, or a past one with --at and --end)."""
    from ..diary.checkpoints import due_now
    from ..diary.db import writing
    from ..diary.repository import create_episode
    from ..diary.schemas import EpisodeIn, parse

    with handled():
        data: dict[str, Any] = {
            "started_at": at or datetime.now(),
            "ended_at": end,
            "regions": where or [],
            "peak_pain": pain,
            "triggers": trigger or [],
            "tried": _tried(tried) or [],
            "notes": notes,
        }
        if findings is not None or assessment is not None:
            data = _with_assessment(data, findings, assessment, region, at is None)
        checked = parse(EpisodeIn, data)
        engine = _engine(db_url)
        with writing(engine) as session:
            episode = create_episode(session, checked)
            due = due_now(session, episode_id=episode.id)
    if _emit(fmt, {"episode": episode.model_dump(mode="json"), "due": _dump(due)}):
        return
    from .diary_render import print_episode

    typer.echo(f"Saved as episode {episode.id}.")
    print_episode(episode)
    _print_due(due)


def _with_assessment(
    data: dict[str, Any],
    findings: Path | None,
    assessment: Path | None,
    region: str | None,
    start_now: bool,
) -> dict[str, Any]:
    """Fill an episode from an assessment: its triage result, and where/how bad/trigger."""
    from ..diary.from_assessment import episode_from_assessment
    from ..engine.findings import FindingsError
    from .inputs import InputError, findings_object, read_data_file
    from .quick import safe_assess

    if findings is not None:
        try:
            result = safe_assess(findings_object(read_data_file(findings), findings), region, None)
        except FindingsError as exc:
            raise fail(f"finding '{exc.field}' {exc.message}") from None
        record = result.to_dict()
    else:
        assert assessment is not None
        record = read_data_file(assessment)
        if not isinstance(record, dict) or "level" not in record:
            raise InputError(f"{assessment}: expected the JSON of `unknot assess --format json`")
        if not isinstance(record.get("findings") or {}, dict):
            raise InputError(f"{assessment}: its findings must be an object of finding values")
    return episode_from_assessment(record, data, now=datetime.now(), start_now=start_now)



@diary_app.command()
def checkin(
    pain: Annotated[int, typer.Option("--pain", help="Pain now, 0-10.")],
    feeling: Annotated[
        str, typer.Option("--feeling", help="Since last time: better, same or worse.")
    ],
    episode: EpisodeArg = None,
    danger: Annotated[
        list[str] | None,
        typer.Option(
            "--danger",
            help="A new warning sign, e.g. fever or leg_weakness=one_leg (repeat for more). "
            "Runs the triage again at once.",
        ),
    ] = None,
    notes: Annotated[str, typer.Option("--notes")] = "",
    at: AtOpt = None,
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
) -> None:
    """A daily check-in: pain now, better/same/worse, any new warning sign."""
    from ..diary.checkins import add_checkin
    from ..diary.db import writing
    from ..diary.schemas import CheckinIn, parse

    with handled():
        data = {
            "at": at or datetime.now(),
            "pain": pain,
            "feeling": feeling,
            "danger_signs": _signs(danger),
            "notes": notes,
        }
        checked = parse(CheckinIn, data)
        engine = _engine(db_url)
        with writing(engine) as session:
            result = add_checkin(session, _pick_episode(session, episode), checked)
    if _emit(fmt, result.model_dump(mode="json")):
        return
    from .diary_render import print_checkin

    print_checkin(result)


@diary_app.command()
def end(
    episode: EpisodeArg = None,
    at: AtOpt = None,
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
) -> None:
    """Mark an episode as over."""
    from ..diary.db import writing
    from ..diary.repository import update_episode
    from ..diary.schemas import EpisodeUpdate, parse

    with handled():
        change = parse(EpisodeUpdate, {"ended_at": at or datetime.now()})
        engine = _engine(db_url)
        with writing(engine) as session:
            detail = update_episode(session, _pick_episode(session, episode), change)
    if _emit(fmt, detail.model_dump(mode="json")):
        return
    from .diary_render import days_text

    typer.echo(f"Episode {detail.id} ended after {days_text(detail)}.")


@diary_app.command()
def edit(
    episode: Annotated[int, typer.Argument(help="Episode number.", min=1, max=MAX_ID)],
    start_at: Annotated[str | None, typer.Option("--start", help="When it began.")] = None,
    end_at: Annotated[str | None, typer.Option("--end", help="When it ended.")] = None,
    where: WhereOpt = None,
    pain: Annotated[int | None, typer.Option("--pain", help="Worst pain, 0-10.")] = None,
    trigger: TriggerOpt = None,
    tried: TriedOpt = None,
    notes: Annotated[str | None, typer.Option("--notes", help="Replace the notes.")] = None,
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
) -> None:
    """Change an episode: only the options given are changed (--tried adds or updates)."""
    from ..diary.db import writing
    from ..diary.repository import update_episode
    from ..diary.schemas import EpisodeUpdate, parse

    with handled():
        given = {
            "started_at": start_at,
            "ended_at": end_at,
            "regions": where,
            "peak_pain": pain,
            "triggers": trigger,
            "tried": _tried(tried),
            "notes": notes,
        }
        change = parse(EpisodeUpdate, {k: v for k, v in given.items() if v is not None})
        engine = _engine(db_url)
        with writing(engine) as session:
            detail = update_episode(session, episode, change)
    if _emit(fmt, detail.model_dump(mode="json")):
        return
    from .diary_render import print_episode

    typer.echo(f"Episode {detail.id} updated.")
    print_episode(detail)


# --- Looking back --------------------------------------------------------------------


@diary_app.command("list")
def list_(
    fmt: FormatOpt = Format.text,
    db_url: DbUrl = None,
    page: Annotated[
        int,
        typer.Option("--page", min=1, max=MAX_PAGE, help="Which page, 1 is the newest episodes."),
    ] = 1,
    per_page: Annotated[
        int, typer.Option("--per-page", min=1, max=MAX_PER_PAGE, help="Episodes on a page.")
    ] = 20,
    show_all: Annotated[bool, typer.Option("--all", help="Every episode, on one page.")] = False,
) -> None:
    """History: episodes newest first, a page at a time, and how many began each month."""
    from .diary_list import pager_line, print_history, quick_page

    limit = None if show_all else per_page
    offset = 0 if show_all else (page - 1) * per_page
    result = quick_page(db_url, limit, offset) if fmt is Format.text else None
    if result is None:  # JSON, another database, or a diary to open properly first
        from ..diary.db import reading
        from ..diary.patterns import history

        with handled(), reading(_engine(db_url)) as session:
            full = history(session, limit=limit, offset=offset)
        if _emit(fmt, full.model_dump(mode="json")):
            return
        print_history(full)
        line = pager_line(full, page)
    else:
        print_history(result)
        line = pager_line(result, page)
    if line:
        typer.echo(line)


@diary_app.command()
def show(
    episode: EpisodeArg = None, fmt: FormatOpt = Format.text, db_url: DbUrl = None
) -> None:
    """One episode: details, pain chart, check-ins, triage history, what is due."""
    from ..diary.checkpoints import due_now
    from ..diary.db import reading
    from ..diary.repository import get_episode

    with handled(), reading(_engine(db_url)) as session:
        detail = get_episode(session, _pick_episode(session, episode))
        due = due_now(session, episode_id=detail.id)
    if _emit(fmt, {"episode": detail.model_dump(mode="json"), "due": _dump(due)}):
        return
    from .diary_render import print_detail

    print_detail(detail)
    _print_due(due)


@diary_app.command()
def due(fmt: FormatOpt = Format.text, db_url: DbUrl = None) -> None:
    """Checkpoints your record makes due today, with what to do."""
    from ..diary.checkpoints import due_now
    from ..diary.db import reading

    with handled(), reading(_engine(db_url)) as session:
        result = due_now(session)
    if _emit(fmt, _dump(result)):
        return
    if not result:
        typer.echo("Nothing is due today. Unknot is not a diagnosis: if you are worried, get help.")
    _print_due(result)


@diary_app.command()
def patterns(fmt: FormatOpt = Format.text, db_url: DbUrl = None) -> None:
    """Patterns: how often, how long, how bad, what helped, what came before."""
    from ..diary.db import reading
    from ..diary.patterns import patterns as build

    with handled(), reading(_engine(db_url)) as session:
        result = build(session)
    if _emit(fmt, result.model_dump(mode="json")):
        return
    from .diary_render import print_patterns

    print_patterns(result)


@diary_app.command()
def chart(
    episode: Annotated[
        int | None,
        typer.Argument(help="Episode number (default: every episode's worst pain).",
                       show_default=False, min=1, max=MAX_ID),
    ] = None,
    svg: Annotated[Path | None, typer.Option("--svg", help="Also write the chart as SVG.")] = None,
    width: Annotated[int, typer.Option("--width", min=10, max=200)] = 60,
    db_url: DbUrl = None,
) -> None:
    """Pain over time: for one episode, or across all episodes."""
    from ..diary.charts import diary_series, episode_series, svg_chart, terminal_plot
    from ..diary.db import reading
    from ..diary.repository import get_episode, list_episodes

    with handled(), reading(_engine(db_url)) as session:
        if episode is None:
            series = diary_series(list_episodes(session))
        else:
            series = episode_series(get_episode(session, episode))
    if svg is None or str(svg) != "-":  # --svg - : the SVG alone on standard output
        typer.echo(terminal_plot(series, width=width))
    if svg is not None:
        _write(svg, svg_chart(series).encode("utf-8"), db_url)
        if str(svg) != "-":
            typer.echo(f"SVG written to {svg}")


def _dump(items: list[Any]) -> list[Any]:
    return [i.model_dump(mode="json") for i in items]
