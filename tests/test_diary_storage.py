"""Storage: migrations, backups, damaged and newer databases, crashes, two writers."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from diary_support import add_episode, new_diary
from unknot.diary.db import (
    DiaryStorageError,
    alembic_config,
    default_url,
    known_revisions,
    open_diary,
    reading,
    resolve_url,
    writing,
)
from unknot.diary.models import Base, CheckinRow, EpisodeRow
from unknot.diary.repository import list_episodes


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_diary_gets_every_table_in_wal_mode(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master")}
    assert {"episodes", "checkins", "tried", "triage", "alembic_version"} <= tables


def test_the_migrations_build_exactly_the_schema_the_models_describe(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), Base.metadata) == []
        assert MigrationContext.configure(conn).get_current_revision() == known_revisions()[1]


def test_migrating_an_older_diary_backs_it_up_first_and_keeps_its_data(tmp_path: Path) -> None:
    engine, url = new_diary(tmp_path)
    add_episode(engine, started_at="2024-05-01 08:00", regions=["neck"], peak_pain=4)
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "r0001")
    engine.dispose()

    reopened = open_diary(url)
    backups = list(tmp_path.glob("diary.sqlite3.backup-r0001-*"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as old:
        assert old.execute("SELECT version_num FROM alembic_version").fetchone() == ("r0001",)
        assert old.execute("SELECT count(*) FROM episodes").fetchone() == (1,)
    with reading(reopened) as session:
        assert [e.regions for e in list_episodes(session)] == [["neck"]]


def test_opening_an_up_to_date_diary_makes_no_backup(tmp_path: Path) -> None:
    _, url = new_diary(tmp_path)
    open_diary(url)
    assert not list(tmp_path.glob("*.backup-*"))


def test_a_damaged_file_gets_a_clear_message_and_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "diary.sqlite3"
    path.write_bytes(b"this is not a database\n" * 200)
    before = digest(path)
    with pytest.raises(DiaryStorageError, match="damaged or is not a SQLite database"):
        open_diary(f"sqlite:///{path}")
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["diary.sqlite3"]


def test_a_diary_with_damaged_pages_is_refused_and_untouched(tmp_path: Path) -> None:
    engine, url = new_diary(tmp_path)
    for i in range(40):
        add_episode(engine, started_at=f"2024-01-{1 + i % 28:02d} 08:00", notes="x" * 900)
    engine.dispose()
    path = tmp_path / "diary.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 3 : page * 3 + 600] = b"\xff" * 600  # scribble over a page
    path.write_bytes(bytes(data))
    before = digest(path)
    with pytest.raises(DiaryStorageError, match="damaged"):
        open_diary(url)
    assert digest(path) == before


def test_a_diary_from_a_newer_unknot_is_refused_and_untouched(tmp_path: Path) -> None:
    engine, url = new_diary(tmp_path)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'r9999'")
    engine.dispose()
    path = tmp_path / "diary.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = digest(path)
    with pytest.raises(DiaryStorageError, match="newer version of Unknot"):
        open_diary(url)
    assert digest(path) == before


def test_another_programs_database_is_not_taken_over(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
    before = digest(path)
    with pytest.raises(DiaryStorageError, match="not an Unknot diary"):
        open_diary(f"sqlite:///{path}")
    assert digest(path) == before


def test_the_url_comes_from_the_option_then_the_environment_then_the_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UNKNOT_DATABASE_URL", "sqlite:////tmp/from-env.db")
    assert resolve_url("sqlite:////tmp/given.db") == "sqlite:////tmp/given.db"
    assert resolve_url(None) == "sqlite:////tmp/from-env.db"
    monkeypatch.delenv("UNKNOT_DATABASE_URL")
    assert resolve_url(None) == default_url()
    assert default_url().startswith("sqlite:///") and default_url().endswith("diary.sqlite3")


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    engine, _ = new_diary(tmp_path)
    with pytest.raises(RuntimeError), writing(engine) as session:
        session.add(EpisodeRow(uid="u1", started_at=sqlite3_dt(), regions=[], triggers=[],
                               notes="", peak_pain=3))
        session.flush()
        raise RuntimeError("power cut in the middle")
    with reading(engine) as session:
        assert session.scalars(select(EpisodeRow)).all() == []


def sqlite3_dt() -> object:
    from datetime import datetime

    return datetime(2024, 1, 1, 8, 0)


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta
    from unknot.diary.db import open_diary, writing
    from unknot.diary.models import CheckinRow, EpisodeRow

    engine = open_diary(sys.argv[1])
    tag, count, per = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    start = datetime(2020, 1, 1)
    for i in range(count):
        uid = f"{tag}-{i}"
        with writing(engine) as session:
            row = EpisodeRow(uid=uid, started_at=start + timedelta(days=i), regions=["neck"],
                             triggers=[], notes="n" * 200, peak_pain=5)
            row.checkins = [
                CheckinRow(uid=f"{uid}-{j}", at=start + timedelta(days=i, hours=j % 20),
                           pain=j % 11, feeling="same", danger_signs={}, notes="c" * 100)
                for j in range(per)
            ]
            session.add(row)
        print(uid, flush=True)  # only after the commit returned
    """
)


def run_writer(url: str, tag: str, count: int, per: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, url, tag, str(count), str(per)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_writer_killed_mid_write_leaves_every_committed_entry_intact(tmp_path: Path) -> None:
    engine, url = new_diary(tmp_path)
    engine.dispose()
    per = 60
    writer = run_writer(url, "w", 100_000, per)
    assert writer.stdout is not None
    committed = [writer.stdout.readline().strip() for _ in range(15)]
    os.kill(writer.pid, signal.SIGKILL)  # while it is inside its next transaction
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    committed += [line.strip() for line in writer.stdout if line.strip()]

    with sqlite3.connect(tmp_path / "diary.sqlite3") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    reopened = open_diary(url)
    with reading(reopened) as session:
        uids = set(session.scalars(select(EpisodeRow.uid)))
        per_episode = {
            e.uid: len(e.checkins) for e in session.scalars(select(EpisodeRow))
        }
    assert set(committed) <= uids  # every reported commit survived
    assert set(per_episode.values()) == {per}  # and no transaction is there by halves


def test_two_processes_can_write_at_the_same_time(tmp_path: Path) -> None:
    engine, url = new_diary(tmp_path)
    writers = [run_writer(url, tag, 25, 5) for tag in ("cli", "web")]
    for w in writers:
        _, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
    with reading(engine) as session:
        uids = set(session.scalars(select(EpisodeRow.uid)))
        assert len(session.scalars(select(CheckinRow.id)).all()) == 50 * 5
    assert uids == {f"{tag}-{i}" for tag in ("cli", "web") for i in range(25)}
