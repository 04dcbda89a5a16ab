"""The summary for a doctor, in Markdown, HTML and PDF."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from diary_support import add_episode, check_in, new_diary
from unknot.diary.db import reading
from unknot.diary.summary import Summary, build_summary, to_html, to_markdown
from unknot.diary.summary_pdf import _Doc, render_pdf
from unknot.engine import assess

NOW = datetime.now().replace(microsecond=0)


def summary(tmp_path: Path, months: int = 12) -> object:
    engine, _ = new_diary(tmp_path)
    long_ago = NOW - timedelta(days=700)
    add_episode(engine, started_at=long_ago, ended_at=long_ago + timedelta(days=3),
                regions=["neck"], peak_pain=4)
    first = assess({"location": ["lower_back"], "trigger": ["lifting"]}).to_dict()
    ep = add_episode(engine, started_at=NOW - timedelta(days=4), regions=["lower_back"],
                     peak_pain=7, triggers=["lifting"], assessment=first,
                     tried=[{"remedy": "heat", "helped": True},
                            {"remedy": "nsaid", "helped": False}])
    check_in(engine, ep.id, at=NOW - timedelta(days=2), pain=6, feeling="same")
    check_in(engine, ep.id, at=NOW, pain=7, feeling="worse", danger_signs={"fever": True})
    with reading(engine) as session:
        return build_summary(session, months=months)


def test_markdown_has_the_course_triage_history_what_helped_and_the_disclaimer(
    tmp_path: Path,
) -> None:
    text = to_markdown(summary(tmp_path))  # type: ignore[arg-type]
    assert text.startswith("# Back spasm diary: summary for a doctor")
    assert "not a diagnosis" in text
    assert "## Due now" in text and "At any time: a new warning sign" in text
    assert "| lower back | 7/10 | lifting | urgent |" in text
    assert "a fever or high temperature" in text  # the sign in words
    assert "Spinal" in text or "infection" in text  # the concern from the re-run triage
    assert "1 earlier episode(s)" in text  # the one from two years ago is counted, not listed
    assert not re.search(r"\d+\s?mg\b", text)  # medicines by class, never a dose


def test_months_zero_lists_every_episode(tmp_path: Path) -> None:
    text = to_markdown(summary(tmp_path, months=0))  # type: ignore[arg-type]
    assert "earlier episode" not in text and "| neck |" in text


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.svg_titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_title = tag == "title" and "svg" in self.tags

    def handle_data(self, data: str) -> None:
        if self._in_title and data.strip():
            self.svg_titles.append(data.strip())
            self._in_title = False


def test_html_is_a_page_with_accessible_inline_charts(tmp_path: Path) -> None:
    page = to_html(summary(tmp_path))  # type: ignore[arg-type]
    parsed = Collect()
    parsed.feed(page)
    assert parsed.tags.count("svg") == 2 and "table" in parsed.tags
    assert "Worst pain of each episode" in parsed.svg_titles
    for svg in re.findall(r"<svg.*?</svg>", page, re.DOTALL):
        ET.fromstring(svg)
    assert 'lang="en"' in page and "not a diagnosis" in page


def test_notes_and_names_are_escaped_in_html(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    add_episode(engine, started_at=NOW - timedelta(days=1), notes="<script>alert(1)</script>")
    with reading(engine) as session:
        page = to_html(build_summary(session))
    assert "<script>" not in page


def _pdf_text(data: bytes) -> list[str]:
    """The text of each page, as a PDF reader extracts it."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_pdf_is_a_real_pdf_with_the_disclaimer(tmp_path: Path) -> None:
    data = render_pdf(summary(tmp_path))  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    text = "\n".join(_pdf_text(data))
    assert "not a diagnosis" in text and "summary for a doctor" in text
    assert "a fever or high temperature" in text


def _with_notes(tmp_path: Path) -> Summary:
    engine, _ = new_diary(tmp_path)
    ep = add_episode(engine, started_at=NOW - timedelta(days=3), regions=["lower_back"],
                     notes="Carried boxes up four floors in Łódź; Ærøskøbing next week.")
    check_in(engine, ep.id, at=NOW - timedelta(hours=2), pain=4, feeling="better",
             notes="Ελένη says the warm shower helped – better today")
    with reading(engine) as session:
        return build_summary(session)


def test_the_pdf_embeds_a_unicode_font_and_keeps_the_persons_notes(tmp_path: Path) -> None:
    data = render_pdf(_with_notes(tmp_path))
    text = "\n".join(_pdf_text(data))
    assert "Łódź" in text and "Ærøskøbing" in text and "Ελένη" in text
    assert "–" in text  # not folded to "-"
    assert "Notes in the person's own words" in text
    fonts = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object()  # the TrueType program is in the file
            fonts.add(str(font["/BaseFont"]))
    assert fonts and all("DejaVu" in f for f in fonts)


def test_markdown_and_html_have_the_notes_too(tmp_path: Path) -> None:
    s = _with_notes(tmp_path)
    assert "Łódź" in to_markdown(s) and "Ελένη" in to_markdown(s)
    assert "Łódź" in to_html(s) and "Ελένη" in to_html(s)


def test_a_heading_that_would_end_a_page_moves_to_the_next_with_its_text() -> None:
    doc = _Doc(compress=False)
    while not doc.pdf.will_page_break(20):  # fill the page until 20 mm are left
        doc.para("A line of the person's record.")
    page = doc.pdf.page_no()
    doc.heading("Triage history", keep=15)
    assert doc.pdf.page_no() == page + 1
    assert doc.pdf.get_y() < 40  # at the top of the new page, not at the foot of the old


HEADINGS = ("Overview", "Due now", "Episodes (", "Course of the latest episode",
            "Notes in the person's own words", "Triage history")


@pytest.mark.parametrize("episodes", [3, 9, 14, 22])
def test_no_page_ends_with_a_heading(tmp_path: Path, episodes: int) -> None:
    engine, _ = new_diary(tmp_path)
    for i in range(episodes):
        start = NOW - timedelta(days=5 * (episodes - i))
        add_episode(engine, started_at=start, ended_at=start + timedelta(days=2),
                    regions=["lower_back"], peak_pain=5, notes=f"Note {i}: Łódź " * (i % 4))
    with reading(engine) as session:
        data = render_pdf(build_summary(session))
    for page in _pdf_text(data)[:-1]:
        last = page.strip().splitlines()[-1]
        assert not last.startswith(HEADINGS), f"page ends with the heading {last!r}"


def test_a_long_word_in_a_table_is_split_to_fit_its_column() -> None:
    doc = _Doc(compress=False)
    doc.pdf.set_font("DejaVu", "", 8)
    lines = doc.wrap("Bardzo" * 20 + " ból", 20)
    assert len(lines) > 2 and all(doc.pdf.get_string_width(line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "Bardzo" * 20 + "ból"  # nothing lost
