"""A long diary is shown a page at a time, newest first, in the terminal and on the web."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

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
