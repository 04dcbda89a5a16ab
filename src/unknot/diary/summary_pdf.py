"""The doctor summary as a PDF, with fpdf2 (pure Python, built-in fonts).

The built-in fonts cover Latin-1 only, so text is folded to it first (a dash
for a long dash, '?' for what has no Latin-1 form). The charts are the same
SVG as in the HTML page, drawn by fpdf2.
"""

from __future__ import annotations

import io
import re
import unicodedata

from .charts import describe, diary_series, episode_series, svg_chart
from .summary import (
    CHECKIN_HEADERS,
    EPISODE_HEADERS,
    Summary,
    checkin_rows,
    episode_row,
    overview_lines,
)

_TEXT_ONLY = re.compile(r"<(title|desc)\b[^>]*>.*?</\1>", re.DOTALL)
_FOLD = {"–": "-", "—": "-", "‘": "'", "’": "'", "“": '"', "”": '"', "…": "...", "•": "-"}


def latin1(text: str) -> str:
    """Text the built-in PDF fonts can show."""
    text = "".join(_FOLD.get(ch, ch) for ch in text)
    text = unicodedata.normalize("NFKC", text)
    return text.encode("latin-1", "replace").decode("latin-1")


def render_pdf(s: Summary, *, compress: bool = True) -> bytes:
    """The PDF's bytes; ``compress=False`` leaves the text readable in the file."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title("Back spasm diary: summary for a doctor")
    pdf.set_creator("Unknot")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    def heading(text: str, size: int = 13) -> None:
        pdf.ln(3)
        pdf.set_font("Helvetica", "B", size)
        pdf.multi_cell(width, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def para(text: str, style: str = "") -> None:
        pdf.set_font("Helvetica", style, 10)
        pdf.multi_cell(width, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)

    def chart(svg: str, caption: str) -> None:
        if pdf.will_page_break(62):
            pdf.add_page()
        # fpdf2 draws shapes and text, not <title>/<desc>; the caption says it in words
        drawable = _TEXT_ONLY.sub("", svg)
        pdf.image(io.BytesIO(drawable.encode("utf-8")), w=width * 0.95)
        para(caption, "I")

    def table(headers: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> None:
        pdf.set_font("Helvetica", "", 8)
        with pdf.table(
            col_widths=widths, headings_style=FontFace(emphasis="BOLD"), line_height=4.5,
            text_align="LEFT", padding=1,
        ) as tbl:
            for row in [headers, *rows]:
                cells = tbl.row()
                for cell in row:
                    cells.cell(latin1(cell))
        pdf.set_font("Helvetica", "", 10)

    heading("Back spasm diary: summary for a doctor", 16)
    para(f"Made by Unknot on {s.generated:%d %B %Y}.")
    para(s.disclaimer, "I")

    heading("Overview")
    for line in overview_lines(s.patterns):
        para(f"- {line}")
    across = diary_series(s.episodes)
    chart(svg_chart(across, chart_id="diary-chart"), describe(across))

    if s.due:
        heading("Due now")
        for d in s.due:
            para(f"{d.title}: {d.reason} {d.text}", "B" if d.kind == "red_flag" else "")

    period = f"since {s.since:%d %b %Y}" if s.since else "all"
    heading(f"Episodes ({period})")
    if s.episodes:
        rows = [episode_row(e) for e in s.episodes]
        table(EPISODE_HEADERS, rows, (6, 18, 14, 22, 12, 20, 14, 40))
    else:
        para("No episodes in this period.")
    if s.earlier_count:
        para(f"{s.earlier_count} earlier episode(s) are in the diary but not listed.")

    if s.latest is not None:
        heading(f"Course of the latest episode (#{s.latest.id})")
        series = episode_series(s.latest)
        chart(svg_chart(series, chart_id="episode-chart"), describe(series))
        if s.latest.checkins:
            table(CHECKIN_HEADERS, checkin_rows(s.latest), (22, 12, 16, 40, 16))

    heading("Triage history")
    if s.triage:
        rows = [
            [f"{t.at:%d %b %Y}", f"{t.episode_id}", t.source, t.level_title,
             "; ".join(t.concerns) or "-"]
            for t in s.triage
        ]
        table(["When", "Episode", "From", "Result", "Concerns"], rows, (18, 10, 14, 30, 48))
    else:
        para("No triage results recorded in this period.")
    pdf.ln(4)
    para(s.disclaimer, "I")
    return bytes(pdf.output())
