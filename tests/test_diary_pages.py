"""A long diary is shown a page at a time, newest first, in the terminal and on the web."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from diary_support import add_episode, new_diary
from unknot.cli import app
from unknot.diary.db import reading
from unknot.diary.patterns import build_patterns, history, patterns
from unknot.diary.repository import assessment_factors, list_episodes
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
