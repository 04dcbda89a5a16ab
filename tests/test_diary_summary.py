"""The summary for a doctor, in Markdown, HTML and PDF."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

from diary_support import add_episode, check_in, new_diary
from unknot.diary.db import reading
from unknot.diary.summary import build_summary, to_html, to_markdown
from unknot.diary.summary_pdf import latin1, render_pdf
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


def test_the_pdf_is_a_real_pdf_with_the_disclaimer(tmp_path: Path) -> None:
    data = render_pdf(summary(tmp_path), compress=False)  # type: ignore[arg-type]
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type /Page\b", data)) >= 1
    assert b"not a diagnosis" in data
    assert b"summary for a doctor" in data


def test_text_outside_latin1_is_folded_for_the_pdf_fonts() -> None:
    assert latin1("pain – worse “today” …") == "pain - worse \"today\" ..."
    assert latin1("ache 😖") == "ache ?"
