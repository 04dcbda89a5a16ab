"""Pain over time, for one episode and across episodes.

Two renderings of the same :class:`Series`: a compact plot for the terminal
(five lines of block characters, plain text) and an SVG for the web app and
reports, built as a string with a ``<title>`` and ``<desc>`` that say in words
what the chart shows, so screen readers get it too.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol
from xml.sax.saxutils import escape

from .schemas import EpisodeDetail, Output

PAIN_MAX = 10


class Point(Output):
    at: datetime
    pain: int
    label: str = ""


class Series(Output):
    """Points to plot, oldest first; ``connect`` draws a line through them."""

    title: str
    points: list[Point]
    connect: bool = True


def episode_series(episode: EpisodeDetail) -> Series:
    """An episode's pain: the worst pain recorded at its start, then each check-in."""
    points = []
    if episode.peak_pain is not None:
        points.append(Point(at=episode.started_at, pain=episode.peak_pain, label="at the start"))
    points += [
        Point(at=c.at, pain=c.pain, label=f"check-in, {c.feeling}") for c in episode.checkins
    ]
    return Series(title=f"Pain during episode {episode.id}", points=points, connect=True)


class Charted(Protocol):
    """What the chart across episodes reads of one (an :class:`Episode`, or a light row)."""

    @property
    def id(self) -> int: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def worst_pain(self) -> int | None: ...


def diary_series(episodes: Sequence[Charted]) -> Series:
    """The worst pain of every episode, at the date it began."""
    points = [
        Point(at=e.started_at, pain=e.worst_pain, label=f"episode {e.id}")
        for e in sorted(episodes, key=lambda e: (e.started_at, e.id))
        if e.worst_pain is not None
    ]
    return Series(title="Worst pain of each episode", points=points, connect=False)


def describe(series: Series) -> str:
    """One or two sentences saying what the chart shows."""
    pts = series.points
    if not pts:
        return "No pain scores recorded yet."
    worst = max(pts, key=lambda p: p.pain)
    text = (
        f"{len(pts)} pain score{'s' if len(pts) != 1 else ''} out of 10 from "
        f"{pts[0].at:%d %b %Y} to {pts[-1].at:%d %b %Y}. "
        f"Highest {worst.pain} on {worst.at:%d %b %Y}; latest {pts[-1].pain}."
    )
    return text


# --- Terminal --------------------------------------------------------------------

_ROWS = 5  # each row stands for two points of pain
_FULL, _HALF = "█", "▄"


def _columns(series: Series, width: int) -> list[int | None]:
    pts = series.points
    cols: list[int | None] = [None] * width
    start, end = pts[0].at, pts[-1].at
    span = (end - start).total_seconds() or 1.0
    for p in pts:
        i = 0 if len(pts) == 1 else round((p.at - start).total_seconds() / span * (width - 1))
        current = cols[i]
        cols[i] = p.pain if current is None else max(current, p.pain)
    return cols


def terminal_plot(series: Series, width: int = 60) -> str:
    """A five-line block chart (highest pain per column), with the axis and the dates."""
    if not series.points:
        return f"{series.title}\n  {describe(series)}"
    width = max(10, width)
    cols = _columns(series, width)
    lines = [series.title]
    for row in range(_ROWS, 0, -1):
        top = row * 2
        cells = []
        for value in cols:
            if value is None:
                cells.append(" ")
            elif value >= top:
                cells.append(_FULL)
            elif value == top - 1:
                cells.append(_HALF)
            else:
                cells.append(" ")
        axis = {_ROWS: "10", 3: " 5"}.get(row, "  ")
        lines.append(f"{axis} |{''.join(cells)}")
    lines.append("   +" + "-" * width)
    first, last = series.points[0].at, series.points[-1].at
    left, right = f"{first:%d %b %Y}", f"{last:%d %b %Y}"
    gap = max(1, width - len(left) - len(right) + 1)
    lines.append("    " + left + (" " * gap + right if last != first else ""))
    lines.append("  " + describe(series))
    return "\n".join(lines)


# --- SVG -------------------------------------------------------------------------

_W, _H = 640, 260
_LEFT, _RIGHT, _TOP, _BOTTOM = 44, 16, 36, 40


def svg_chart(series: Series, *, chart_id: str = "pain-chart") -> str:
    """The series as a standalone, accessible SVG document (a string)."""
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    inner_w, inner_h = _W - _LEFT - _RIGHT, _H - _TOP - _BOTTOM
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" role="img" aria-labelledby="{title_id} {desc_id}" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="{title_id}">{escape(series.title)}</title>',
        f'<desc id="{desc_id}">{escape(describe(series))}</desc>',
        f'<rect x="0" y="0" width="{_W}" height="{_H}" fill="#ffffff"/>',
        f'<text x="{_LEFT}" y="20" font-size="14" fill="#111">{escape(series.title)}</text>',
    ]

    def y_of(pain: float) -> float:
        return _TOP + inner_h - pain / PAIN_MAX * inner_h

    for tick in range(0, PAIN_MAX + 1, 2):
        y = y_of(tick)
        out.append(
            f'<line x1="{_LEFT}" x2="{_W - _RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#e3e3e3"/>'
            f'<text x="{_LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" fill="#444">{tick}</text>'
        )
    out.append(
        f'<text x="12" y="{_TOP + inner_h / 2:.0f}" fill="#444" text-anchor="middle" '
        f'transform="rotate(-90 12 {_TOP + inner_h / 2:.0f})">pain (0-10)</text>'
    )
    pts = series.points
    if pts:
        start, end = pts[0].at, pts[-1].at
        span = (end - start).total_seconds()

        def x_of(at: datetime) -> float:
            if span == 0:
                return _LEFT + inner_w / 2
            return _LEFT + (at - start).total_seconds() / span * inner_w

        for at in ([start] if span == 0 else [start, start + (end - start) / 2, end]):
            anchor = "start" if at == start and span else "end" if at == end and span else "middle"
            out.append(
                f'<text x="{x_of(at):.1f}" y="{_H - 14}" text-anchor="{anchor}" fill="#444">'
                f"{at:%d %b %Y}</text>"
            )
        coords = [(x_of(p.at), y_of(p.pain)) for p in pts]
        if series.connect and len(coords) > 1:
            line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
            out.append(f'<polyline points="{line}" fill="none" stroke="#1f6fb2" stroke-width="2"/>')
        radius = 3.5 if len(pts) <= 200 else 2
        for p, (x, y) in zip(pts, coords, strict=True):
            tip = f"{p.at:%d %b %Y %H:%M}: pain {p.pain}" + (f" ({p.label})" if p.label else "")
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="#1f6fb2">'
                f"<title>{escape(tip)}</title></circle>"
            )
    else:
        out.append(
            f'<text x="{_W / 2:.0f}" y="{_H / 2:.0f}" text-anchor="middle" fill="#444">'
            "No pain scores recorded yet.</text>"
        )
    out.append("</svg>")
    return "\n".join(out)
