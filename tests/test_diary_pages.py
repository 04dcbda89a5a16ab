"""A long diary is shown a page at a time, newest first, in the terminal and on the web."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from diary_support import add_episode, new_diary
from unknot.cli import app
from unknot.diary.checkins import add_checkin
from unknot.diary.db import reading, writing
from unknot.diary.patterns import build_patterns, history, patterns
from unknot.diary.repository import assessment_factors, list_episodes
from unknot.diary.schemas import CheckinIn, parse
from unknot.web.app import create_app
from unknot.web.settings import Settings

START = datetime(2025, 1, 1, 8, 0)


def fill(tmp_path: Path, count: int = 45) -> str:
    engine, url = new_diary(tmp_path)
    for i in range(count):
        began = START + timedelta(days=3 * i)
        add_episode(
            engine,
            started_at=began.isoformat(),
            ended_at=(began + timedelta(days=1)).isoformat(),
            regions=["lower_back"],
            peak_pain=i % 11,
            triggers=["lifting"] if i % 2 else [],
            tried=[{"remedy": "heat", "helped": i % 3 == 0}],
        )
    engine.dispose()
    return url


def test_cli_list_pages_newest_first(tmp_path: Path) -> None:
    url = fill(tmp_path)
    runner = CliRunner()
    first = runner.invoke(app, ["diary", "list", "--db-url", url, "--format", "json"])
    second = runner.invoke(
        app, ["diary", "list", "--db-url", url, "--format", "json", "--page", "3"]
    )
    whole = runner.invoke(app, ["diary", "list", "--db-url", url, "--format", "json", "--all"])
    assert first.exit_code == second.exit_code == whole.exit_code == 0
    one, three, every = (json.loads(r.stdout) for r in (first, second, whole))
    assert one["total"] == 45 and len(one["episodes"]) == 20
    assert [e["id"] for e in one["episodes"]] == list(range(45, 25, -1))
    assert [e["id"] for e in three["episodes"]] == list(range(5, 0, -1))
    assert len(every["episodes"]) == 45
    assert sum(m["episodes"] for m in one["per_month"]) == 45
    text = runner.invoke(app, ["diary", "list", "--db-url", url])
    assert "Episodes 1-20 of 45" in text.stdout and "--page 2" in text.stdout


def test_cli_list_refuses_a_page_below_one(tmp_path: Path) -> None:
    url = fill(tmp_path, 2)
    result = CliRunner().invoke(app, ["diary", "list", "--db-url", url, "--page", "0"])
    assert result.exit_code == 2 and "--page" in result.output


def test_web_diary_pages(tmp_path: Path) -> None:
    url = fill(tmp_path)
    with TestClient(create_app(Settings(secret_key="k", database_url=url))) as client:
        first = client.get("/diary")
        last = client.get("/diary?page=3")
        beyond = client.get("/diary?page=99")
        bad = client.get("/diary?page=0")
    assert first.status_code == 200 and "Page 1 of 3" in first.text
    assert 'href="/diary/episodes/45"' in first.text
    assert 'href="/diary/episodes/25"' not in first.text and "Older episodes" in first.text
    assert 'href="/diary/episodes/1"' in last.text and "Newer episodes" in last.text
    assert "Page 3 of 3" in beyond.text  # past the end: the last page
    assert bad.status_code == 422


def test_patterns_from_the_database_match_the_pure_patterns(tmp_path: Path) -> None:
    url = fill(tmp_path)
    from unknot.diary.db import open_diary

    engine = open_diary(url)
    now = START + timedelta(days=400)
    with reading(engine) as session:
        from_sql = patterns(session, now)
        from_objects = build_patterns(
            list_episodes(session), assessment_factors(session), now.date()
        )
        page = history(session, now, limit=10, offset=10)
    assert from_sql == from_objects
    assert [e.id for e in page.episodes] == list(range(35, 25, -1)) and page.total == 45


def test_the_fast_open_knows_the_newest_migration() -> None:
    from unknot.diary.db import HEAD_REVISION, known_revisions

    assert known_revisions()[1] == HEAD_REVISION


def test_the_terminal_list_read_with_sqlite3_is_the_diarys_own_page(tmp_path: Path) -> None:
    """`diary list` reads a current SQLite diary without SQLAlchemy: the same page."""
    from unknot.cli.diary_list import quick_page
    from unknot.diary.db import open_diary

    url = fill(tmp_path)
    engine = open_diary(url)
    with writing(engine) as session:  # a check-in raises one episode's worst pain
        add_checkin(session, 44, parse(CheckinIn, {"at": "2025-05-10T10:00", "pain": 10,
                                                   "feeling": "worse"}))
    today = (START + timedelta(days=400)).date()
    for limit, offset in ((20, 0), (20, 40), (None, 0), (5, 100)):
        quick = quick_page(url, limit, offset, today)
        with reading(engine) as session:
            full = history(session, datetime.combine(today, START.time()), limit=limit,
                           offset=offset)
        assert quick is not None
        assert (quick.note, quick.total, quick.offset) == (full.note, full.total, full.offset)
        assert [(m.month, m.episodes) for m in quick.per_month] == [
            (m.month, m.episodes) for m in full.per_month[-12:]  # the months the list shows
        ]
        fields = ("id", "started_at", "ended_at", "regions", "triggers", "worst_pain", "level",
                  "checkin_count")
        assert [tuple(getattr(e, f) for f in fields) for e in quick.episodes] == [
            tuple(getattr(e, f) for f in fields) for e in full.episodes
        ]
    assert quick_page(url.replace("sqlite:///", "sqlite+pysqlite:///"), 20, 0) is None


def test_the_terminal_list_of_an_empty_diary_and_of_one_not_yet_current(tmp_path: Path) -> None:
    from unknot.cli.diary_list import quick_page
    from unknot.diary.db import open_diary

    engine, url = new_diary(tmp_path)
    page = quick_page(url, 20, 0)
    assert page is not None and page.total == 0 and page.episodes == [] and page.per_month == []
    from alembic import command

    from unknot.diary.db import alembic_config

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "r0004")  # as an older Unknot left it
    engine.dispose()
    assert quick_page(url, 20, 0) is None  # opened (and migrated) by the diary package
    result = CliRunner().invoke(app, ["diary", "list", "--db-url", url])
    assert result.exit_code == 0 and "No episodes recorded yet." in result.stdout
    open_diary(url).dispose()
    assert quick_page(url, 20, 0) is not None


# --- The doctor summary on the web: every total over the year, its list a page at a time


def fill_year(tmp_path: Path, count: int = 120, older: int = 3) -> tuple[str, datetime]:
    """``count`` episodes over the last months (one a day and a half), ``older`` before the
    summary's year; every fifth with a check-in. Returns the URL and the newest's start."""
    engine, url = new_diary(tmp_path)
    now = datetime.now().replace(microsecond=0)
    for i in range(older):
        began = now - timedelta(days=500 + i)
        add_episode(engine, started_at=began.isoformat(), ended_at=(began + timedelta(hours=9))
                    .isoformat(), regions=["neck"], peak_pain=3)
    newest = now
    for i in range(count):
        began = now - timedelta(hours=36 * (count - i))
        newest = began
        detail = add_episode(
            engine,
            started_at=began.isoformat(),
            ended_at=(began + timedelta(hours=20)).isoformat(),
            regions=["lower_back"],
            peak_pain=i % 11,
            triggers=["lifting"] if i % 2 else [],
            tried=[{"remedy": "heat", "helped": i % 3 == 0}],
        )
        if i % 5 == 0:
            with writing(engine) as session:
                add_checkin(session, detail.id, parse(CheckinIn, {
                    "at": (began + timedelta(hours=2)).isoformat(), "pain": 10,
                    "feeling": "worse"}))
    engine.dispose()
    return url, newest


def listed_ids(html: str) -> list[int]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    section = soup.find("section", attrs={"aria-labelledby": "sepisodes-heading"})
    assert section is not None
    return [int(row.find("td").get_text()) for row in section.select("tbody tr")]


def words(html: str) -> str:
    from bs4 import BeautifulSoup

    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_web_summary_lists_the_newest_episodes_and_pages_to_older_ones(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    url, _ = fill_year(tmp_path)  # episodes 1-3 older than a year, 4-123 in the year
    seen: list[int] = []
    with TestClient(create_app(Settings(secret_key="k", database_url=url))) as client:
        first = client.get("/diary/summary")
        assert first.status_code == 200
        text = words(first.text)
        assert listed_ids(first.text)[0] == 123  # the newest episode, first
        assert "120 episodes began since" in text  # how many the period has
        assert "This page lists 1 to 50 of them, newest first." in text
        assert "The PDF and the export hold the full list." in text
        assert "120 pain scores out of 10" in text  # the chart: the whole year, not the page
        assert "3 earlier episode(s) not shown." in text
        response = first
        while True:  # follow "Older episodes" to the end
            ids = listed_ids(response.text)
            seen += ids
            older = BeautifulSoup(response.text, "html.parser").find("a", string="Older episodes")
            if older is None:
                break
            response = client.get(str(older["href"]))
            assert response.status_code == 200
        last = words(response.text)
        assert "Page 3 of 3." in last and "Newer episodes" in last
        assert "This page lists 101 to 120 of them, newest first." in last
        beyond = client.get("/diary/summary?page=99")
    assert seen == list(range(123, 3, -1))  # every episode of the year once, newest first
    assert listed_ids(beyond.text) == list(range(23, 3, -1))  # past the end: the last page


@pytest.mark.parametrize("value", ["0", "-1", "x", "1.5", "100001", ""])
def test_web_summary_refuses_a_bad_page_naming_it(tmp_path: Path, value: str) -> None:
    url, _ = fill_year(tmp_path, count=2, older=0)
    with TestClient(create_app(Settings(secret_key="k", database_url=url))) as client:
        response = client.get(f"/diary/summary?page={value}")
    assert response.status_code == 422
    assert "page" in words(response.text)


def test_the_summary_page_says_what_the_whole_summary_says(tmp_path: Path) -> None:
    """The web page's overview, chart, latest episode, triage and due checkpoints are the
    summary's (which the PDF and Markdown print): only its episode list comes in pages."""
    from unknot.diary.charts import diary_series
    from unknot.diary.db import open_diary
    from unknot.diary.summary import build_summary, build_summary_page, to_markdown

    url, _ = fill_year(tmp_path)
    engine = open_diary(url)
    now = datetime.now()
    with reading(engine) as session:
        full = build_summary(session, now=now)
        pages = [build_summary_page(session, page=n, per_page=50, now=now) for n in (1, 2, 3)]
    one = pages[0]
    assert [e for p in pages for e in p.episodes] == full.episodes
    assert [p.page for p in pages] == [1, 2, 3] and {p.pages for p in pages} == {3}
    for p in pages:
        assert (p.latest, p.triage, p.patterns, p.due, p.earlier_count, p.since) == (
            full.latest, full.triage, full.patterns, full.due, full.earlier_count, full.since
        )
        assert p.period_count == len(full.episodes) == 120
        assert diary_series(p.charted) == diary_series(full.episodes)
    assert one.latest is not None and one.latest.id == 123
    markdown = to_markdown(full)  # the full list stays in the printable summary
    assert "| 123 |" in markdown and "| 4 |" in markdown
