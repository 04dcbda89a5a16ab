"""The diary on disk: private files, delete-all that leaves nothing, full and read-only disks."""

from __future__ import annotations

import errno
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from typer.testing import CliRunner

from diary_support import add_episode, check_in
from unknot.cli import app as cli
from unknot.diary import db as diary_db
from unknot.diary.db import (
    DiaryDiskFull,
    DiaryReadOnly,
    alembic_config,
    open_diary,
    reading,
)
from unknot.diary.repository import list_episodes
from unknot.web import Settings, create_app

MARKER = "zebra-kumquat-7731"  # a note no file should hold after delete-all
runner = CliRunner()


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{folder / 'diary.sqlite3'}")
    return folder


def diary(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, ["diary", *args])
    return result.exit_code, result.output


def every_file(folder: Path) -> Iterator[Path]:
    return (p for p in folder.rglob("*") if p.is_file())


def holding_marker(folder: Path) -> list[str]:
    """Every file under ``folder`` with the marker anywhere in its bytes (any common encoding)."""
    needles = [MARKER.encode(enc) for enc in ("utf-8", "utf-16-le", "utf-16-be")]
    return [
        str(p.relative_to(folder))
        for p in every_file(folder)
        if any(n in p.read_bytes() for n in needles)
    ]


def fill_diary(url: str) -> Engine:
    """A diary holding the marker in episodes, check-ins, a migration backup and the WAL."""
    engine = open_diary(url)
    for day in range(1, 4):
        episode = add_episode(
            engine, started_at=f"2024-05-0{day} 08:00", notes=f"{MARKER} episode {day}"
        )
        check_in(engine, episode.id, at=f"2024-05-0{day} 18:00", pain=3, feeling="same",
                 notes=f"{MARKER} check-in {day}")
    with engine.begin() as conn:  # an older schema, so opening it again makes a backup
        command.downgrade(alembic_config(conn), "r0001")
    engine.dispose()
    engine = open_diary(url)
    add_episode(engine, started_at="2024-05-09 08:00", notes=f"{MARKER} after the backup")
    return engine


def test_the_marker_test_can_find_what_it_looks_for(data_dir: Path) -> None:
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    assert diary("export", "-o", str(data_dir / "export.json"))[0] == 0
    found = holding_marker(data_dir)
    assert any(name.startswith("diary.sqlite3.backup-") for name in found)
    assert "export.json" in found and any(n.startswith("diary.sqlite3") for n in found)


def test_cli_delete_all_leaves_no_byte_of_the_notes_under_the_data_folder(data_dir: Path) -> None:
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    assert diary("export", "-o", str(data_dir / "export.json"))[0] == 0
    assert diary("export", "--format", "csv", "-o", str(data_dir / "csv"))[0] == 0
    assert diary("summary", "-o", str(data_dir / "summary.md"))[0] == 0
    assert diary("summary", "--format", "html", "-o", str(data_dir / "summary.html"))[0] == 0
    code, out = diary("delete-all", "--yes")
    assert code == 0, out
    assert "6 backup or export file(s)" in out  # the backup, json, 2 csv, markdown, html
    assert holding_marker(data_dir) == []
    assert diary("info", "--format", "json")[1].count('": 0') == 2  # episodes, check-ins


@pytest.mark.parametrize("how", ["page", "api"])
def test_web_delete_all_leaves_no_byte_of_the_notes(data_dir: Path, how: str) -> None:
    url = f"sqlite:///{data_dir / 'diary.sqlite3'}"
    fill_diary(url).dispose()
    with TestClient(create_app(Settings(secret_key="s", database_url=url))) as client:
        for page in ("/diary", "/diary/summary"):  # the app has its connections open
            assert client.get(page).status_code == 200
        assert MARKER in client.get("/diary/episodes/1").text
        created = client.post(
            "/api/diary/episodes", json={"started_at": "2024-06-01T08:00", "notes": MARKER}
        )
        assert created.status_code == 201
        if how == "api":
            response = client.delete("/api/diary", params={"confirm": "yes"})
        else:
            from bs4 import BeautifulSoup

            form = BeautifulSoup(client.get("/diary/delete").text, "html.parser")
            token = form.find("input", attrs={"name": "csrf_token"})
            assert token is not None
            fields = {"csrf_token": str(token["value"]), "confirm": "yes"}
            response = client.post("/diary/delete", data=fields)
        assert response.status_code == 200
        assert holding_marker(data_dir) == []  # while the app is still running
        assert client.get("/api/diary/episodes").json() == []
    assert holding_marker(data_dir) == []


def test_delete_all_keeps_an_export_the_person_changed(data_dir: Path) -> None:
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    mine = data_dir.parent / "my-copy.json"
    assert diary("export", "-o", str(mine))[0] == 0
    mine.write_text(mine.read_text() + "\n")  # the person's own file now
    code, out = diary("delete-all", "--yes")
    assert code == 0 and "changed since Unknot wrote them" in out
    assert mine.exists()


def test_delete_all_can_keep_the_exports_the_person_asked_for(data_dir: Path) -> None:
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    copy = data_dir.parent / "backup.json"
    assert diary("export", "-o", str(copy))[0] == 0
    result = runner.invoke(cli, ["diary", "delete-all"], input="delete\n")
    assert "also deletes 1 file(s) Unknot exported" in result.output
    assert not copy.exists()
    assert diary("import", str(data_dir / "missing.json"))[0] == 2
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    assert diary("export", "-o", str(copy))[0] == 0
    code, out = diary("delete-all", "--yes", "--keep-exports")
    assert code == 0 and "kept as asked" in out and MARKER in copy.read_text()
    assert holding_marker(data_dir) == []


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_file_unknot_makes_is_private(data_dir: Path) -> None:
    fill_diary(f"sqlite:///{data_dir / 'diary.sqlite3'}")
    assert diary("start", "--notes", "x")[0] == 0
    out = data_dir / "out"
    assert diary("export", "-o", str(out / "nested" / "e.json"))[0] != 0  # no such folder
    assert diary("export", "--format", "csv", "-o", str(out))[0] == 0
    assert diary("export", "-o", str(out / "e.json"))[0] == 0
    assert diary("summary", "--format", "pdf", "-o", str(out / "s.pdf"))[0] == 0
    assert diary("reminders", "-o", str(out / "r.ics"))[0] == 0
    assert diary("chart", "--svg", str(out / "c.svg"))[0] == 0
    files = list(every_file(data_dir))
    names = {p.name for p in files}
    assert {"diary.sqlite3", "e.json", "s.pdf", "r.ics", "c.svg", "episodes.csv"} <= names
    assert any(n.startswith("diary.sqlite3.backup-") for n in names)
    assert {p.name: oct(mode(p)) for p in files if mode(p) != 0o600} == {}
    folders = [data_dir, out]
    assert {str(p): oct(mode(p)) for p in folders if mode(p) != 0o700} == {}


def test_an_existing_diary_made_readable_by_others_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    open_diary(f"sqlite:///{path}").dispose()
    path.chmod(0o644)
    open_diary(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600


@pytest.mark.parametrize("output", ["-o", "--output"])
@pytest.mark.parametrize(
    ("command", "expect"),
    [
        (["export"], b'"episodes"'),
        (["summary"], b"# "),
        (["summary", "--format", "html"], b"<html"),
        (["summary", "--format", "pdf"], b"%PDF"),
        (["reminders"], b"BEGIN:VCALENDAR"),
    ],
)
def test_dash_means_standard_output(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    command: list[str], expect: bytes, output: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert diary("start", "--notes", "x")[0] == 0
    result = runner.invoke(cli, ["diary", *command, output, "-"])
    assert result.exit_code == 0, result.output
    assert expect in result.stdout_bytes
    assert not (tmp_path / "-").exists()


def test_dash_for_the_chart_prints_only_the_svg(data_dir: Path, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert diary("start", "--pain", "5")[0] == 0
    result = runner.invoke(cli, ["diary", "chart", "--svg", "-"])
    assert result.exit_code == 0 and result.stdout.lstrip().startswith("<svg")
    assert not (tmp_path / "-").exists()


# --- Full and read-only disks ------------------------------------------------------------


def limit_disk(monkeypatch: pytest.MonkeyPatch, pragma: str) -> None:
    """Every connection opened from now on runs ``pragma`` (a full or read-only disk)."""
    real = diary_db._sqlite_setup

    def setup(engine: Engine) -> None:
        real(engine)

        @event.listens_for(engine, "connect")
        def _limit(dbapi_conn: Any, _record: Any) -> None:
            if pragma == "full":
                pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
                dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")
            else:
                dbapi_conn.execute("PRAGMA query_only = 1")

    monkeypatch.setattr(diary_db, "_sqlite_setup", setup)


def saved_notes(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return [r[0] for r in conn.execute("SELECT notes FROM episodes ORDER BY id")]


@pytest.mark.parametrize(
    ("disk", "error", "words"),
    [("full", DiaryDiskFull, "is full"), ("read-only", DiaryReadOnly, "read-only")],
)
def test_a_full_or_read_only_disk_says_so_and_loses_nothing(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch, disk: str, error: type, words: str
) -> None:
    path = data_dir / "diary.sqlite3"
    assert diary("start", "--at", "2024-05-01 08:00", "--notes", "kept")[0] == 0
    limit_disk(monkeypatch, disk)
    code, out = diary("start", "--at", "2024-05-02 08:00", "--notes", "x" * 9000)
    assert code == 1
    assert words in out and "Everything saved before is safe" in out
    assert "damaged" not in out and "Traceback" not in out
    assert len(out.strip().splitlines()) == 1
    with pytest.raises(error):  # the library says the same to every surface
        add_episode(open_diary(f"sqlite:///{path}"), started_at="2024-05-03", notes="y" * 9000)
    monkeypatch.undo()
    assert saved_notes(path) == ["kept"]


@pytest.mark.parametrize(("disk", "words"), [("full", "is full"), ("read-only", "read-only")])
def test_the_web_app_says_the_disk_is_full_or_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, disk: str, words: str
) -> None:
    url = f"sqlite:///{tmp_path / 'diary.sqlite3'}"
    add_episode(open_diary(url), started_at="2024-05-01 08:00", notes="kept")
    limit_disk(monkeypatch, disk)
    with TestClient(create_app(Settings(secret_key="s", database_url=url))) as client:
        body = {"started_at": "2024-05-02T08:00", "notes": "x" * 9000}
        response = client.post("/api/diary/episodes", json=body)
        assert response.status_code == 503
        assert words in response.json()["detail"]
    monkeypatch.undo()
    assert saved_notes(tmp_path / "diary.sqlite3") == ["kept"]


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "is full"), (errno.EROFS, "read-only")]
)
def test_writing_a_file_to_a_full_or_read_only_disk(
    data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    assert diary("start", "--notes", "x")[0] == 0

    def no_room(*_a: Any, **_k: Any) -> None:
        raise OSError(code, "simulated")

    monkeypatch.setattr(diary_db, "write_private", no_room)
    exit_code, out = diary("export", "-o", str(tmp_path / "e.json"))
    assert exit_code == 1 and words in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("code", "words"), [(errno.ENOSPC, "is full"), (errno.EROFS, "read-only")]
)
def test_creating_the_diary_on_a_full_or_read_only_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, words: str
) -> None:
    def refuse(*_a: Any, **_k: Any) -> None:
        raise OSError(code, "simulated")

    monkeypatch.setattr(diary_db, "private_folder", refuse)
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{tmp_path / 'new' / 'd.sqlite3'}")
    exit_code, out = diary("list")
    assert exit_code == 1 and words in out and "damaged" not in out


def test_reading_still_works_after_a_failed_write(data_dir: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    assert diary("start", "--at", "2024-05-01 08:00", "--notes", "kept")[0] == 0
    limit_disk(monkeypatch, "full")
    assert diary("start", "--notes", "z" * 9000)[0] == 1
    engine = open_diary()
    with reading(engine) as session:
        assert [e.notes for e in list_episodes(session)] == ["kept"]
