"""Opening the diary's database: where it is, checks, migrations, sessions.

- Where: ``--db-url`` or ``UNKNOT_DATABASE_URL``, else a SQLite file in the
  platform's user data directory. A PostgreSQL URL works with the same code.
- Before anything is written, a SQLite file is checked read-only: a file that is
  not a database, is damaged, or was made by a newer Unknot raises
  :class:`DiaryStorageError` and is left exactly as it was.
- Migrations (Alembic, shipped in ``migrations/``) run on open; an existing
  SQLite file is copied to ``<name>.backup-<revision>-<time>`` first.
- SQLite runs in WAL mode with a busy timeout, and every write takes the write
  lock when it begins (``BEGIN IMMEDIATE``), so the CLI and the web app can
  write at the same time without failing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

ENV_VAR = "UNKNOT_DATABASE_URL"
DB_FILENAME = "diary.sqlite3"
BUSY_TIMEOUT_MS = 15_000
_SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE = "unknot_write"
_PG_MIGRATION_LOCK = 0x756E6B6E  # any fixed number; "unkn"


class DiaryStorageError(RuntimeError):
    """The diary's database cannot be used; the message says why and what to do."""


def default_url() -> str:
    """The SQLite file in the user data directory (created when first used)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{Path(user_data_dir('unknot', appauthor=False)) / DB_FILENAME}"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: given, else ``UNKNOT_DATABASE_URL``, else the default file."""
    return url or os.environ.get(ENV_VAR) or default_url()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None (in-memory, or another database)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database or "")


def describe(url: str) -> str:
    """The URL without a password, safe to show."""
    return make_url(url).render_as_string(hide_password=True)


# --- Migrations ------------------------------------------------------------------


def alembic_config(connection: Connection | None = None) -> Any:
    from alembic.config import Config

    cfg = Config()
    location = resources.files("unknot.diary").joinpath("migrations")
    cfg.set_main_option("script_location", str(location))
    cfg.attributes["connection"] = connection
    return cfg


# The newest migration's id (a test checks it against the migrations): a SQLite
# diary already at it is opened without loading Alembic, which costs more than
# the rest of a diary command's start-up.
HEAD_REVISION = "r0003"


def known_revisions() -> tuple[set[str], str]:
    """(every revision this version of Unknot knows, the newest one)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head()
    assert head is not None
    return {rev.revision for rev in script.walk_revisions()}, head


def _check_revision(revision: str | None, where: str) -> None:
    known, _ = known_revisions()
    if revision is not None and revision not in known:
        raise DiaryStorageError(
            f"The diary at {where} was made by a newer version of Unknot (schema {revision}). "
            "Update Unknot to open it. The file was left untouched."
        )


def _preflight_sqlite(path: Path) -> str | None:
    """Check an existing file read-only; return its schema revision (None if new)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    with path.open("rb") as fh:
        header = fh.read(len(_SQLITE_HEADER))
    damaged = (
        f"The diary file {path} is damaged or is not a SQLite database, so Unknot "
        "cannot open it. It was left untouched; restore a backup or move it aside."
    )
    if header != _SQLITE_HEADER:
        raise DiaryStorageError(damaged)
    try:
        with closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as conn:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            check = conn.execute("PRAGMA quick_check").fetchone()
            if not check or check[0] != "ok":
                raise DiaryStorageError(damaged)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" in tables:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                return str(row[0]) if row else None
    except sqlite3.DatabaseError as exc:
        raise DiaryStorageError(damaged) from exc
    if tables - {"sqlite_sequence"}:
        raise DiaryStorageError(
            f"{path} is a SQLite database but not an Unknot diary. It was left untouched; "
            "choose another file with --db-url."
        )
    return None


def backup_sqlite(path: Path, revision: str) -> Path:
    """Copy the database (consistently, with the SQLite backup API) before migrating."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.backup-{revision}-{stamp}")
    with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def migrate(engine: Engine) -> Path | None:
    """Bring the schema to the newest revision; returns the backup made, if any."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    path = sqlite_path(str(engine.url))
    backup = None
    with engine.execution_options(**{_WRITE: True}).begin() as conn:
        if conn.dialect.name == "postgresql":  # one migrator at a time (SQLite: BEGIN IMMEDIATE)
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        current = MigrationContext.configure(conn).get_current_revision()
        _check_revision(current, describe(str(engine.url)))
        _, head = known_revisions()
        if current == head:
            return None
        if current is not None and path is not None:
            backup = backup_sqlite(path, current)
        command.upgrade(alembic_config(conn), "head")
    return backup


# --- Engine and sessions -----------------------------------------------------------


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy, not the driver, opens transactions
        cursor = dbapi_conn.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA secure_delete = ON")  # deleted entries are overwritten
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        write = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_diary(url: str | None = None, *, migrate_schema: bool = True) -> Engine:
    """Open (creating if needed) the diary database and bring its schema up to date.

    Raises DiaryStorageError with a clear message when it cannot be used.
    """
    url = resolve_url(url)
    where = describe(url)
    path = sqlite_path(url)
    current = False
    if path is not None:
        revision = _preflight_sqlite(path)
        current = revision == HEAD_REVISION
        if not current:
            _check_revision(revision, str(path))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DiaryStorageError(f"Cannot create the folder for the diary: {exc}") from exc
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        raise DiaryStorageError(f"Cannot use the database URL {where}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        _sqlite_setup(engine)
    if migrate_schema and not current:
        try:
            migrate(engine)
        except DiaryStorageError:
            engine.dispose()
            raise
        except (SQLAlchemyError, OSError) as exc:
            engine.dispose()
            raise DiaryStorageError(f"Cannot open the diary at {where}: {exc}") from exc
    return engine


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed as one transaction, or not at all."""
    bind = engine.execution_options(**{_WRITE: True})
    with Session(bind, expire_on_commit=False) as session, session.begin():
        yield session


def forget_deleted(engine: Engine) -> None:
    """After deleting: rewrite the file and empty the write-ahead log, so that
    deleted entries do not linger there (SQLite only; other databases manage their own)."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()  # outside any transaction: VACUUM needs that
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
