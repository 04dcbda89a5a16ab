"""The doctor summary as a PDF, with fpdf2 (pure Python).

- Text is set in DejaVu Sans, shipped in ``unknot/fonts`` under its licence
  and embedded (subset) in the file, so every script the diary may hold
  prints: "Łódź", "Ærøskøbing", "Ελένη".
- A heading never ends a page: it moves to the next page with the start of
  what it introduces (:meth:`_Doc.heading` asks for room for both).
- Tables are laid out by this module, not by fpdf2's table: column widths are
  fixed, each cell is wrapped once with cached word widths and drawn with
  plain text calls. A year of a 10,000-episode diary (about 1,000 rows) takes
  well under a second this way; ``benchmarks/bench_pdf.py`` measures it.
- The charts are the same SVG as in the HTML page, drawn by fpdf2.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

from ..fonts import DEJAVU_SANS
from .charts import describe, diary_series, episode_series, svg_chart
from .summary import (
    CHECKIN_HEADERS,
    EPISODE_HEADERS,
    NOTES_TITLE,
    Summary,
    checkin_rows,
    episode_row,
    note_lines,
    overview_lines,
)

_TEXT_ONLY = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)
_DOT = re.compile(
    r'<circle cx="(?P<x>[\d.]+)" cy="(?P<y>[\d.]+)" r="(?P<r>[\d.]+)" '
    r'fill="(?P<fill>#[0-9a-fA-F]{3,6})"\s*(?:/>|>\s*</circle>)'
)
#: Above this many dots a chart's dots are drawn as one path of small diamonds:
#: fpdf2 draws each circle as four arcs, which for a year of episodes takes longer
#: than the rest of the PDF.
MANY_DOTS = 150
FONT = "DejaVu"
BODY, SMALL = 10.0, 8.0  # point sizes
LINE, SMALL_LINE = 5.0, 3.6  # mm
PAD = 1.0  # mm inside table cells
MM_PER_PT = 25.4 / 72


class _Doc:
    """A few layout helpers around one fpdf2 document."""

    def __init__(self, compress: bool) -> None:
        from fpdf import FPDF

        pdf = FPDF(format="A4")
        for style, path in DEJAVU_SANS.items():
            pdf.add_font(FONT, style, str(path))
        pdf.set_compression(compress)
        pdf.set_title("Back spasm diary: summary for a doctor")
        pdf.set_creator("Unknot")
        pdf.set_lang("en")
        pdf.set_auto_page_break(auto=True, margin=15)
        pdf.add_page()
        pdf.set_font(FONT, "", BODY)
        self.pdf = pdf
        self.width = float(pdf.epw)
        self._widths: dict[tuple[str, float, str], float] = {}

    # --- text ------------------------------------------------------------------

    def heading(self, text: str, size: float = 13, keep: float = 20) -> None:
        """A heading, moved to a new page unless ``keep`` mm of what follows fit under it."""
        pdf = self.pdf
        if pdf.will_page_break(3 + 7 + keep):
            pdf.add_page()
        else:
            pdf.ln(3)
        pdf.set_font(FONT, "B", size)
        pdf.multi_cell(self.width, 7, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", BODY)

    def para(self, text: str, style: str = "", *, keep_lines: int = 1) -> None:
        """A paragraph, wrapped here (fpdf2's multi_cell re-measures every character)."""
        pdf = self.pdf
        pdf.set_font(FONT, style, BODY)
        lines = self.wrap(text, self.width, style, BODY)
        if pdf.will_page_break(min(keep_lines, len(lines)) * LINE):
            pdf.add_page()
        baseline = BODY * MM_PER_PT * 0.8 + (LINE - BODY * MM_PER_PT) / 2
        for line in lines:
            if pdf.will_page_break(LINE):
                pdf.add_page()
            y = float(pdf.get_y())
            pdf.text(float(pdf.l_margin), y + baseline, line)
            pdf.set_xy(pdf.l_margin, y + LINE)
        pdf.set_font(FONT, "", BODY)

    def labelled(self, label: str, text: str) -> None:
        """A bold label line kept on one page with the first lines of its text."""
        if self.pdf.will_page_break(3 * LINE):
            self.pdf.add_page()
        self.para(label, "B")
        self.para(text, keep_lines=2)
        self.pdf.ln(1)

    def chart(self, svg: str, caption: str) -> None:
        if self.pdf.will_page_break(62):
            self.pdf.add_page()
        # fpdf2 draws shapes and text, not <title>/<desc>; the caption says it in words
        drawable = _dots_as_one_path(_TEXT_ONLY.sub("", svg))
        # the chart's labels in the embedded font too, not the PDF's built-in Helvetica
        drawable = drawable.replace('font-family="sans-serif"', f'font-family="{FONT}"')
        self.pdf.image(io.BytesIO(drawable.encode("utf-8")), w=self.width * 0.95)
        self.para(caption, "I")

    # --- tables ----------------------------------------------------------------

    def _word(self, word: str, style: str, size: float) -> float:
        key = (word, size, style)
        width = self._widths.get(key)
        if width is None:
            width = float(self.pdf.get_string_width(word))
            self._widths[key] = width
        return width

    def wrap(self, text: str, width: float, style: str = "", size: float = SMALL) -> list[str]:
        """``text`` broken into lines no wider than ``width`` mm (long words are split).

        The font (style and size) must be the one set on the document.
        """
        lines: list[str] = []
        space = self._word(" ", style, size)
        current, used = "", 0.0
        for word in text.split() or [""]:
            w = self._word(word, style, size)
            while w > width and len(word) > 1:  # a word wider than the column
                cut = len(word)
                while cut > 1 and self._word(word[:cut], style, size) > width:
                    cut = max(1, int(cut * width / self._word(word[:cut], style, size)) - 1)
                if current:
                    lines.append(current)
                lines.append(word[:cut])
                current, used = "", 0.0
                word = word[cut:]
                w = self._word(word, style, size)
            if current and used + space + w > width:
                lines.append(current)
                current, used = word, w
            else:
                current = f"{current} {word}" if current else word
                used = used + space + w if used else w
        lines.append(current)
        return lines

    def table(self, headers: Sequence[str], rows: Sequence[Sequence[str]],
              weights: Sequence[float]) -> None:
        """A ruled table with the header row repeated on every page; rows never split."""
        pdf = self.pdf
        total = sum(weights)
        widths = [self.width * w / total for w in weights]
        baseline = SMALL * MM_PER_PT * 0.8

        def draw(cells: Sequence[str], bold: bool) -> None:
            style = "B" if bold else ""
            pdf.set_font(FONT, style, SMALL)
            wrapped = [self.wrap(c, w - 2 * PAD, style) for c, w in zip(cells, widths, strict=True)]
            height = max(len(lines) for lines in wrapped) * SMALL_LINE + 2 * PAD
            if not bold and pdf.will_page_break(height):
                pdf.add_page()
                draw(headers, True)
                pdf.set_font(FONT, style, SMALL)
            x, y = float(pdf.l_margin), float(pdf.get_y())
            if bold:  # a shaded header band; rows are ruled below (one line, not a box per cell)
                pdf.rect(x, y, self.width, height, style="F")
            for lines, w in zip(wrapped, widths, strict=True):
                for i, line in enumerate(lines):
                    if line:
                        pdf.text(x + PAD, y + PAD + i * SMALL_LINE + baseline, line)
                x += w
            pdf.line(pdf.l_margin, y + height, pdf.l_margin + self.width, y + height)
            pdf.set_xy(pdf.l_margin, y + height)

        pdf.set_draw_color(160)
        pdf.set_fill_color(235)
        pdf.set_line_width(0.2)
        draw(headers, True)
        for row in rows:
            draw(row, False)
        pdf.set_font(FONT, "", BODY)
        pdf.ln(2)

    def first_row_height(self, rows: Sequence[Sequence[str]]) -> float:
        """Room a heading should keep for the header row and the first row of a table."""
        return 2 * (3 * SMALL_LINE + 2 * PAD) if rows else LINE


def _dots_as_one_path(svg: str) -> str:
    """Many circles -> one path of diamonds per colour (same places, same size)."""
    if svg.count("<circle") <= MANY_DOTS:
        return svg
    shapes: dict[str, list[str]] = {}

    def take(m: re.Match[str]) -> str:
        x, y, r = float(m["x"]), float(m["y"]), float(m["r"]) * 1.2
        shapes.setdefault(m["fill"], []).append(
            f"M{x:.1f} {y - r:.1f}l{r:.1f} {r:.1f}l{-r:.1f} {r:.1f}l{-r:.1f} {-r:.1f}z"
        )
        return ""

    svg = _DOT.sub(take, svg)
    paths = "".join(f'<path d="{"".join(d)}" fill="{fill}"/>' for fill, d in shapes.items())
    return svg.replace("</svg>", paths + "</svg>")


def render_pdf(s: Summary, *, compress: bool = True) -> bytes:
    """The PDF's bytes; ``compress=False`` leaves the drawing commands readable."""
    doc = _Doc(compress)

    doc.heading("Back spasm diary: summary for a doctor", 16)
    doc.para(f"Made by Unknot on {s.generated:%d %B %Y}.")
    doc.para(s.disclaimer, "I")

    doc.heading("Overview")
    for line in overview_lines(s.patterns):
        doc.para(f"• {line}")
    across = diary_series(s.episodes)
    doc.chart(svg_chart(across, chart_id="diary-chart"), describe(across))

    if s.due:
        doc.heading("Due now")
        for d in s.due:
            doc.para(f"{d.title}: {d.reason} {d.text}", "B" if d.kind == "red_flag" else "")

    period = f"since {s.since:%d %b %Y}" if s.since else "all"
    rows = [episode_row(e) for e in s.episodes]
    doc.heading(f"Episodes ({period})", keep=doc.first_row_height(rows))
    if rows:
        doc.table(EPISODE_HEADERS, rows, (9, 17, 13, 21, 11, 19, 13, 40))
    else:
        doc.para("No episodes in this period.")
    if s.earlier_count:
        doc.para(f"{s.earlier_count} earlier episode(s) are in the diary but not listed.")

    if s.latest is not None:
        doc.heading(f"Course of the latest episode (#{s.latest.id})", keep=62)
        series = episode_series(s.latest)
        doc.chart(svg_chart(series, chart_id="episode-chart"), describe(series))
        if s.latest.checkins:
            doc.table(CHECKIN_HEADERS, checkin_rows(s.latest), (22, 12, 16, 40, 16))

    notes = note_lines(s)
    if notes:
        doc.heading(NOTES_TITLE, keep=2 * LINE)
        for where, text in notes:
            doc.labelled(where, text)

    triage: list[list[Any]] = [
        [f"{t.at:%d %b %Y}", f"{t.episode_id}", t.source, t.level_title,
         "; ".join(t.concerns) or "-"]
        for t in s.triage
    ]
    doc.heading("Triage history", keep=doc.first_row_height(triage))
    if triage:
        doc.table(["When", "Episode", "From", "Result", "Concerns"], triage, (18, 10, 14, 30, 48))
    else:
        doc.para("No triage results recorded in this period.")
    doc.pdf.ln(4)
    doc.para(s.disclaimer, "I")
    return bytes(doc.pdf.output())
