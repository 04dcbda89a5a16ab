"""Printing the diary's results in the terminal (Rich tables and panels)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from ..diary.summary import days_text, num, places, sign_text, tried_text
from .diary_list import print_history

if TYPE_CHECKING:
    from ..diary.checkins import CheckinResult
    from ..diary.checkpoints import DueCheckpoint
    from ..diary.patterns import Patterns
    from ..diary.schemas import Episode, EpisodeDetail

__all__ = [
    "days_text", "print_checkin", "print_detail", "print_due", "print_episode", "print_history",
]

NOT_A_DIAGNOSIS = "Unknot is not a diagnosis. If you are worried, get medical help."
_LEVEL_STYLE = {"emergency": "bold white on red", "urgent": "bold red", "soon": "bold yellow"}


def _console() -> Console:
    return Console(highlight=False)


def print_episode(e: Episode) -> None:
    c = _console()
    ended = f"ended {e.ended_at:%d %b %Y %H:%M}" if e.ended_at else "still open"
    c.print(f"[bold]Episode {e.id}[/]: began {e.started_at:%d %b %Y %H:%M}, {ended}")
    c.print(f"  where: {escape(places(e.regions))}   trigger: {escape(places(e.triggers))}")
    worst = "-" if e.worst_pain is None else f"{e.worst_pain}/10"
    level = (e.level or "not assessed").replace("_", " ")
    c.print(f"  worst pain: {worst}   triage: {level}   lasted: {days_text(e)}")
    c.print(f"  tried: {escape(tried_text(e))}")
    if e.notes:
        c.print(f"  notes: {escape(e.notes)}")


def print_detail(e: EpisodeDetail) -> None:
    from ..diary.charts import episode_series, terminal_plot

    print_episode(e)
    c = _console()
    c.print()
    c.print(escape(terminal_plot(episode_series(e))))
    if e.checkins:
        table = Table("When", "Pain", "Feeling", "New warning signs", "Triage", title="Check-ins")
        for ci in e.checkins:
            signs = sign_text(ci.danger_signs)
            table.add_row(
                f"{ci.at:%d %b %H:%M}", f"{ci.pain}/10", ci.feeling, escape(signs),
                (ci.triage_level or "-").replace("_", " "),
            )
        c.print(table)
    if e.triage:
        table = Table("When", "From", "Result", "Concerns", title="Triage history")
        for t in e.triage:
            concerns = "; ".join(str(x.get("title", x.get("id"))) for x in t.concerns) or "-"
            table.add_row(f"{t.at:%d %b %Y}", t.source, t.level_title or t.level, escape(concerns))
        c.print(table)


def print_due(due: Sequence[DueCheckpoint]) -> None:
    c = _console()
    for d in due:
        style = "red" if d.kind == "red_flag" else "yellow"
        where = f" (episode {d.episode_id})" if d.episode_id else ""
        c.print(
            Panel(
                f"{escape(d.reason)}\n\n[bold]What to do:[/] {escape(d.text)}",
                title=f"Due{where}: {escape(d.title)}",
                border_style=style,
            )
        )
    if due:
        c.print(NOT_A_DIAGNOSIS)


def print_checkin(result: CheckinResult) -> None:
    c = _console()
    ci = result.checkin
    c.print(f"Check-in saved for episode {ci.episode_id}: pain {ci.pain}/10, {ci.feeling}.")
    if result.retriaged and result.assessment is not None:
        a = result.assessment
        style = _LEVEL_STYLE.get(str(a.get("level")), "bold")
        title, headline = escape(str(a.get("level_title"))), escape(str(a.get("headline")))
        lines = [f"[{style}]{title}[/]: {headline}"]
        for concern in a.get("concerns", []):
            why = escape(str(concern.get("why")))
            lines.append(f"- {escape(str(concern.get('title')))}: {why}")
        lines.append(f"Emergency number: {escape(str(a.get('emergency_number')))}")
        c.print(
            Panel(
                "\n".join(lines),
                title="You reported a new warning sign: triage was run again at once",
                border_style="red",
            )
        )
        c.print(escape(str(a.get("disclaimer", NOT_A_DIAGNOSIS))))
    print_due(result.due)


def print_patterns(p: Patterns) -> None:
    c = _console()
    c.print(f"[bold]Patterns[/]  {escape(p.note)}")
    d, w = p.duration_days, p.worst_pain
    c.print(f"Duration: {escape(p.duration_note)}")
    if d.count:
        c.print(f"  median {num(d.median)} days, mean {num(d.mean)}, longest {num(d.highest)}")
    if w.count:
        c.print(f"Worst pain: median {num(w.median)}/10, highest {num(w.highest)}/10")
    c.print(f"What helped: {escape(p.helped_note)}")
    for r in p.what_helped:
        c.print(f"  {escape(r.label)}: {escape(r.note)}")
    c.print(f"Triggers: {escape(p.trigger_note)}")
    for t in p.triggers[:5]:
        c.print(f"  {escape(t.label)}: {t.episodes}")
    c.print(f"Lifestyle factors: {escape(p.factor_note)}")
    for f in p.factors[:5]:
        c.print(f"  {escape(f.label)}: {f.episodes}")
    c.print(NOT_A_DIAGNOSIS)
