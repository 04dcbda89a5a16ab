"""``unknot diary list`` answers as Typer's app does, without importing Typer,
Pydantic or SQLAlchemy for a plain command line on a current SQLite diary."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from diary_support import add_episode, check_in, new_diary
from unknot.cli.diary_list import ListLine, parse

UNKNOT = str(Path(sys.executable).parent / "unknot")
# Typer's path for the same command line: the app itself, as before the quick path
TYPER = "import sys; sys.argv[0] = 'unknot'; from unknot.cli import main; main()"
START = datetime(2025, 1, 1, 8, 0)


def run(command: list[str], **env: str) -> tuple[int, str, str]:
    full_env = {**os.environ, "COLUMNS": "100", **env}
    if "UNKNOT_DATABASE_URL" not in env:
        full_env.pop("UNKNOT_DATABASE_URL", None)
    done = subprocess.run(
        command, capture_output=True, text=True, env=full_env, check=False, stdin=subprocess.DEVNULL
    )
    return done.returncode, done.stdout, done.stderr


@pytest.fixture(scope="module")
def diary_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    engine, url = new_diary(tmp_path_factory.mktemp("list"))
    for i in range(45):
        began = START + timedelta(days=3 * i)
        add_episode(
            engine,
            started_at=began.isoformat(),
            ended_at=None if i == 44 else (began + timedelta(days=1)).isoformat(),
            regions=["lower_back", "neck"] if i % 4 else ["lower_back"],
            peak_pain=i % 11,
            triggers=["lifting"] if i % 2 else [],
        )
    check_in(engine, 45, at=(START + timedelta(days=133)).isoformat(), pain=8, feeling="worse")
    engine.dispose()
    return url


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--page", "2"],
        ["--page=3", "--per-page=7"],
        ["--per-page", "5", "--page", "10"],  # past the end
        ["--all"],
        ["--format", "text", "--page", "2"],
        ["--page", "0"],  # refused: Typer's message, exit 2
        ["--per-page", "10001"],
        ["--page", "x"],
        ["--format", "json", "--per-page", "2"],  # JSON: Typer's path
        ["--help"],
        ["--all", "--all"],
    ],
)
def test_diary_list_answers_as_typer_does(diary_url: str, args: list[str]) -> None:
    line = ["diary", "list", "--db-url", diary_url, *args]
    quick = run([UNKNOT, *line])
    typer_path = run([sys.executable, "-c", TYPER, *line])
    assert quick == typer_path
    assert quick[0] in (0, 2)


def test_the_diary_named_by_the_environment(diary_url: str) -> None:
    quick = run([UNKNOT, "diary", "list", "--per-page", "3"], UNKNOT_DATABASE_URL=diary_url)
    typer_path = run([sys.executable, "-c", TYPER, "diary", "list", "--per-page", "3"],
                     UNKNOT_DATABASE_URL=diary_url)
    assert quick == typer_path
    code, out, _ = quick
    assert code == 0 and "45 episodes recorded, 1 open." in out
    assert "Episodes 1-3 of 45, newest first; older: --page 2" in out
    assert out.index("│ 45 ") < out.index("│ 44 ") < out.index("│ 43 ")  # newest first


def test_a_url_the_quick_reader_leaves_alone_is_still_listed(diary_url: str) -> None:
    other = diary_url.replace("sqlite:///", "sqlite+pysqlite:///")
    quick = run([UNKNOT, "diary", "list", "--db-url", other])
    assert quick == run([sys.executable, "-c", TYPER, "diary", "list", "--db-url", other])
    assert quick[0] == 0 and "45 episodes recorded" in quick[1]


def test_diary_list_imports_no_typer_pydantic_or_sqlalchemy(diary_url: str) -> None:
    code = (
        "import sys; sys.argv = ['unknot', 'diary', 'list', '--db-url', sys.argv[1]]\n"
        "from unknot.start import main\n"
        "try:\n    main()\nexcept SystemExit as exc:\n    code = exc.code\n"
        "heavy = ('typer', 'click', 'pydantic', 'sqlalchemy', 'alembic', 'fastapi',"
        " 'unknot.cli.diary', 'unknot.diary.db')\n"
        "print(code, sorted(m for m in heavy if m in sys.modules), file=sys.stderr)"
    )
    status, out, err = run([sys.executable, "-c", code, diary_url])
    assert status == 0, err
    assert err.strip().splitlines()[-1] == "0 []"
    assert "Episodes 1-20 of 45" in out


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--format", "json"],
        ["--format", "TEXT"],
        ["--page", "0"],
        ["--page", "1000001"],
        ["--page", "+2"],
        ["--page", "2x"],
        ["--page"],
        ["--page", "-1"],
        ["--per-page", "10001"],
        ["--page", "1", "--page", "2"],
        ["--all=yes"],
        ["--db-url", ""],
        ["--db-url", "--all"],
        ["extra"],
        ["--"],
        ["--pag", "2"],
    ],
)
def test_lines_it_cannot_read_for_sure_are_left_to_typer(args: list[str]) -> None:
    assert parse(args) is None


def test_the_options_it_reads() -> None:
    assert parse([]) == ListLine()
    line = ["--page", "3", "--per-page=50", "--format", "text", "--db-url", "sqlite:///x"]
    assert parse(line) == ListLine(page=3, per_page=50, db_url="sqlite:///x")
    assert parse(["--all"]) == ListLine(show_all=True)


def test_a_diary_in_a_folder_with_uri_characters_is_read_as_it_is(tmp_path: Path) -> None:
    from unknot.cli.diary_list import quick_page, read_only_uri

    folder = tmp_path / "my #1 diary 100%"
    folder.mkdir()
    engine, url = new_diary(folder)
    add_episode(engine, started_at=START.isoformat(), regions=["neck"], peak_pain=4)
    engine.dispose()
    assert read_only_uri("/a b/#1 100%/d?.db") == "file:///a b/%231 100%25/d%3f.db?mode=ro"
    page = quick_page(url, 20, 0)
    assert page is not None and [e.id for e in page.episodes] == [1]
    assert run([UNKNOT, "diary", "list", "--db-url", url]) == run(
        [sys.executable, "-c", TYPER, "diary", "list", "--db-url", url]
    )
