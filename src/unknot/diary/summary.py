"""A summary for a doctor: episodes, course, triage history, what helped.

:func:`build_summary` gathers it once (:class:`Summary`); it is then rendered
as Markdown, HTML (Jinja2, with the pain charts inline as SVG) here, or as PDF
by :func:`.summary_pdf.render_pdf` (fpdf2,
pure Python). Medicines appear by class only, never with a dose, and every
rendering says that Unknot is not a diagnosis.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from ..knowledge import load_knowledge
from .charts import describe, diary_series, episode_series, svg_chart, terminal_plot
from .checkpoints import DueCheckpoint, due_now
from .patterns import Patterns, patterns
from .repository import PainPoint
from .schemas import Episode, EpisodeDetail, Output
from .wording import lasted_text

if TYPE_CHECKING:
    from jinja2 import Environment
from .wording import places as places


class TriageLine(Output):
    at: datetime
    episode_id: int
    source: str
    level: str
    level_title: str
    concerns: list[str]


class Summary(Output):
    generated: date
    since: date | None
    episodes: list[Episode]
    earlier_count: int
    latest: EpisodeDetail | None
    triage: list[TriageLine]
    patterns: Patterns
    due: list[DueCheckpoint]
    disclaimer: str


def triage_since(session: Session, start: datetime | None) -> list[TriageLine]:
    """The triage results of the episodes begun since ``start`` (all if None), newest first."""
    import orjson
    from sqlalchemy import Text, select, type_coerce

    from .models import EpisodeRow, TriageRow

    t = TriageRow.__table__.c
    e = EpisodeRow.__table__.c
    query = select(
        t.at, t.episode_id, t.source, t.level, t.level_title, type_coerce(t.concerns, Text)
    ).join(EpisodeRow.__table__, e.id == t.episode_id)
    query = query.order_by(e.started_at, e.id, t.id)  # as the episodes are listed
    if start is not None:
        query = query.where(e.started_at >= start)
    lines = []
    for at, episode_id, source, level, title, concerns in session.execute(query):
        found = orjson.loads(concerns) if isinstance(concerns, str | bytes) else concerns
        lines.append(
            TriageLine(
                at=at,
                episode_id=episode_id,
                source=source,
                level=level,
                level_title=title or level,
                concerns=[str(c.get("title", c.get("id", ""))) for c in found or []],
            )
        )
    return sorted(lines, key=lambda line: line.at, reverse=True)


def _period(months: int, now: datetime | None) -> tuple[datetime, date | None, datetime | None]:
    """(now, the period's first day, its first moment): ``months`` back from today (0: all)."""
    now = now or datetime.now()
    since = now.date() - timedelta(days=round(months * 30.44)) if months > 0 else None
    return now, since, datetime.combine(since, datetime.min.time()) if since else None


def build_summary(session: Session, *, months: int = 12, now: datetime | None = None) -> Summary:
    """Everything the summary shows; ``months`` limits the episode list (0: all)."""
    from .repository import count_episodes, get_episode, list_episodes

    now, since, start = _period(months, now)
    # only the months shown are read; the patterns and counts come from SQL, and
    # only the latest episode is read with its check-ins
    shown = list_episodes(session, since=start)
    kb = load_knowledge()
    return Summary(
        generated=now.date(),
        since=since,
        episodes=list(reversed(shown)),
        earlier_count=count_episodes(session) - len(shown),
        latest=get_episode(session, shown[-1].id) if shown else None,
        triage=triage_since(session, start),
        patterns=patterns(session, now),
        due=due_now(session, now),
        disclaimer=" ".join(kb.disclaimer.split()),
    )


SUMMARY_PER_PAGE = 50
"""Episodes on a page of the summary on the web (the PDF and the export list them all)."""


class SummaryPage(Output):
    """The summary as the web page shows it: the same overview, chart, latest episode,
    triage history and checkpoints as :class:`Summary`, over the whole period, but one
    page of its episode list (``episodes``, newest first). Not a :class:`Summary`: the
    PDF and the Markdown list every episode of the period."""

    generated: date
    since: date | None
    episodes: list[Episode]
    period_count: int
    earlier_count: int
    page: int
    pages: int
    offset: int
    charted: list[PainPoint]
    latest: EpisodeDetail | None
    triage: list[TriageLine]
    patterns: Patterns
    due: list[DueCheckpoint]
    disclaimer: str


def build_summary_page(
    session: Session,
    *,
    page: int = 1,
    per_page: int = SUMMARY_PER_PAGE,
    months: int = 12,
    now: datetime | None = None,
) -> SummaryPage:
    """What the summary page shows: ``page`` of the period's episodes, newest first (past
    the last page: the last), and the rest as :func:`build_summary` gives it (the
    patterns' totals counted in SQL; the chart from one light row per episode)."""
    from .repository import count_episodes, count_since, get_episode, list_episodes, pain_points

    now, since, start = _period(months, now)
    period_count = count_since(session, start)
    pages = max(1, -(-period_count // per_page))
    page = min(page, pages)
    offset = (page - 1) * per_page
    shown = list_episodes(session, since=start, newest_first=True, limit=per_page, offset=offset)
    newest = shown[:1] if page == 1 else list_episodes(
        session, since=start, newest_first=True, limit=1
    )
    kb = load_knowledge()
    return SummaryPage.model_construct(  # each part is already one of the diary's own models
        generated=now.date(),
        since=since,
        episodes=shown,
        period_count=period_count,
        earlier_count=count_episodes(session) - period_count,
        page=page,
        pages=pages,
        offset=offset,
        charted=pain_points(session, start),
        latest=get_episode(session, newest[0].id) if newest else None,
        triage=triage_since(session, start),
        patterns=patterns(session, now),
        due=due_now(session, now),
        disclaimer=" ".join(kb.disclaimer.split()),
    )


# --- Shared wording --------------------------------------------------------------


def days_text(episode: Episode) -> str:
    return lasted_text(episode.started_at, episode.ended_at)


def num(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def overview_lines(p: Patterns) -> list[str]:
    """The overview as sentences, the same in every format."""
    lines = [p.note, f"Duration: {p.duration_note}"]
    d, w = p.duration_days, p.worst_pain
    if d.count:
        lines[-1] += f" Median {num(d.median)} days, longest {num(d.highest)} days."
    if w.count:
        lines.append(
            f"Worst pain per episode: median {num(w.median)}/10, highest {num(w.highest)}/10."
        )
    lines += [
        f"What helped: {p.helped_note}",
        f"Triggers: {p.trigger_note}",
        f"Lifestyle factors: {p.factor_note}",
    ]
    return lines


def sign_text(signs: dict[str, Any]) -> str:
    """Danger signs in words: 'weakness in the legs (one leg)'."""
    kb = load_knowledge()
    out = []
    for name, value in signs.items():
        label = kb.findings[name].label if name in kb.findings else name.replace("_", " ")
        out.append(label if value is True else f"{label} ({str(value).replace('_', ' ')})")
    return ", ".join(out) or "-"


def checkin_rows(e: EpisodeDetail) -> list[list[str]]:
    return [
        [f"{c.at:%d %b %H:%M}", f"{c.pain}/10", c.feeling, sign_text(c.danger_signs),
         (c.triage_level or "-").replace("_", " ")]
        for c in e.checkins
    ]


CHECKIN_HEADERS = ["When", "Pain", "Feeling", "New warning signs", "Triage"]


NOTES_TITLE = "Notes in the person's own words"


def note_lines(s: Summary) -> list[tuple[str, str]]:
    """The person's notes, as (where, text): each listed episode's, then the latest
    episode's check-ins'. The same in every format."""
    out = [
        (f"Episode #{e.id}, began {e.started_at:%d %b %Y}", " ".join(e.notes.split()))
        for e in s.episodes
        if e.notes.strip()
    ]
    if s.latest is not None:
        out += [
            (f"Check-in {c.at:%d %b %Y %H:%M} (episode #{s.latest.id})", " ".join(c.notes.split()))
            for c in s.latest.checkins
            if c.notes.strip()
        ]
    return out


def tried_text(episode: Episode) -> str:
    marks = {True: "helped", False: "did not help", None: "not sure"}
    return "; ".join(f"{t.label} ({marks[t.helped]})" for t in episode.tried) or "-"


def episode_row(e: Episode) -> list[str]:
    return [
        f"{e.id}",
        f"{e.started_at:%d %b %Y}",
        days_text(e),
        places(e.regions),
        "-" if e.worst_pain is None else f"{e.worst_pain}/10",
        places(e.triggers),
        (e.level or "-").replace("_", " "),
        tried_text(e),
    ]


EPISODE_HEADERS = ["#", "Began", "Lasted", "Where", "Worst pain", "Trigger", "Triage", "Tried"]


def _md_table(headers: list[str], rows: list[list[str]]) -> list[str]:
    def clean(cell: str) -> str:
        return cell.replace("|", "/").replace("\n", " ")

    out = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(clean(c) for c in row) + " |" for row in rows]
    return out


def to_markdown(s: Summary) -> str:
    """The summary as Markdown (prints well, pastes into a message)."""
    lines = [
        "# Back spasm diary: summary for a doctor",
        "",
        f"_Made by Unknot on {s.generated:%d %B %Y}. {s.disclaimer}_",
        "",
        "## Overview",
        "",
        *(f"- {line}" for line in overview_lines(s.patterns)),
        "",
    ]
    if s.due:
        lines += ["## Due now", ""]
        lines += [f"- **{d.title}** {d.reason} {d.text}" for d in s.due]
        lines.append("")
    period = f"since {s.since:%d %b %Y}" if s.since else "all"
    lines += [f"## Episodes ({period})", ""]
    if s.episodes:
        lines += _md_table(EPISODE_HEADERS, [episode_row(e) for e in s.episodes])
    else:
        lines.append("No episodes in this period.")
    if s.earlier_count:
        lines += ["", f"{s.earlier_count} earlier episode(s) are in the diary but not listed."]
    lines.append("")
    if s.latest is not None:
        lines += [f"## Course of the latest episode (#{s.latest.id})", "", "```"]
        lines += [terminal_plot(episode_series(s.latest), width=50), "```", ""]
        if s.latest.checkins:
            lines += _md_table(CHECKIN_HEADERS, checkin_rows(s.latest))
            lines.append("")
    notes = note_lines(s)
    if notes:
        lines += [f"## {NOTES_TITLE}", ""]
        lines += [f"- **{where}:** {text}" for where, text in notes]
        lines.append("")
    lines += ["## Triage history", ""]
    if s.triage:
        rows = [
            [f"{t.at:%d %b %Y}", f"{t.episode_id}", t.source, t.level_title,
             "; ".join(t.concerns) or "-"]
            for t in s.triage
        ]
        lines += _md_table(["When", "Episode", "From", "Result", "Concerns"], rows)
    else:
        lines.append("No triage results recorded in this period.")
    lines += ["", f"_{s.disclaimer}_", ""]
    return "\n".join(lines)


@cache
def _templates() -> Environment:
    """The summary's Jinja2 environment, made (and its template compiled) once."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("unknot.diary", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )


def to_html(s: Summary) -> str:
    """The summary as a standalone, printable HTML page with inline SVG charts."""
    from markupsafe import Markup

    across = diary_series(s.episodes)
    charts: dict[str, Any] = {"diary": Markup(svg_chart(across, chart_id="diary-chart"))}
    if s.latest is not None:
        series = episode_series(s.latest)
        charts["latest"] = Markup(svg_chart(series, chart_id="episode-chart"))
    return _templates().get_template("summary.html.j2").render(
        s=s, charts=charts, headers=EPISODE_HEADERS, rows=[episode_row(e) for e in s.episodes],
        describe_diary=describe(across), overview=overview_lines(s.patterns),
        checkin_headers=CHECKIN_HEADERS, notes=note_lines(s), notes_title=NOTES_TITLE,
        checkin_rows=checkin_rows(s.latest) if s.latest else [],
    )
