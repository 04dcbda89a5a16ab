"""Charts: the terminal plot and the accessible SVG show the same points."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

from diary_support import episode
from unknot.diary.charts import (
    Point,
    Series,
    diary_series,
    episode_series,
    svg_chart,
    terminal_plot,
)

SVG = "{http://www.w3.org/2000/svg}"
START = datetime(2025, 4, 1, 9, 0)


def course() -> Series:
    pains = [8, 7, 5, 3, 1]
    return Series(title="Pain during episode 1", points=[
        Point(at=START + timedelta(days=i), pain=p) for i, p in enumerate(pains)])


def test_an_episode_series_starts_with_its_peak_then_each_check_in() -> None:
    ep = episode(1, START, peak=8, checkins=(
        (START + timedelta(days=1), 6, "better"), (START + timedelta(days=2), 4, "better")))
    assert [p.pain for p in episode_series(ep).points] == [8, 6, 4]


def test_the_diary_series_is_in_time_order_whatever_order_it_is_given() -> None:
    eps = [episode(2, START + timedelta(days=40), peak=3), episode(1, START, peak=9)]
    assert [p.pain for p in diary_series(eps).points] == [9, 3]


def test_the_svg_is_valid_and_says_what_it_shows_for_screen_readers() -> None:
    root = ET.fromstring(svg_chart(course(), chart_id="c1"))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").text == "Pain during episode 1"  # type: ignore[union-attr]
    desc = root.find(f"{SVG}desc").text or ""  # type: ignore[union-attr]
    assert "5 pain scores" in desc and "Highest 8" in desc and "latest 1" in desc
    assert len(root.findall(f"{SVG}circle")) == 5
    assert root.find(f"{SVG}polyline") is not None


def test_higher_pain_is_drawn_higher_up() -> None:
    root = ET.fromstring(svg_chart(course()))
    ys = [float(c.get("cy", "0")) for c in root.findall(f"{SVG}circle")]
    assert ys == sorted(ys)  # pain falls over the days, so the dots go down the page


def test_text_in_the_svg_is_escaped() -> None:
    series = Series(title="Pain <script>", points=[Point(at=START, pain=3, label="a & b")])
    text = svg_chart(series)
    ET.fromstring(text)
    assert "<script>" not in text


def test_an_empty_series_still_makes_a_chart_that_says_so() -> None:
    text = svg_chart(Series(title="Nothing yet", points=[]))
    assert "No pain scores recorded yet." in text
    assert "No pain scores recorded yet." in terminal_plot(Series(title="x", points=[]))


def test_the_terminal_plot_has_five_rows_and_bar_heights_follow_the_pain() -> None:
    lines = terminal_plot(course(), width=10).splitlines()
    rows = lines[1:6]
    assert all(len(r) == len(rows[0]) for r in rows)
    first_col = [r[4] for r in rows]  # pain 8: rows for 9-10 empty, 7-8 and below full
    assert first_col == [" ", "█", "█", "█", "█"]
    last_col = [r[-1] for r in rows]  # pain 1: only a half block on the lowest row
    assert last_col == [" ", " ", " ", " ", "▄"]
    assert "01 Apr 2025" in lines[7] and "05 Apr 2025" in lines[7]
