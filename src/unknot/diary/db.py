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
- Private: the diary, its write-ahead log, backups and the files Unknot writes
  for the person (exports, summaries, reminders) are created readable by their
  owner only (0600), in folders only they can enter (0700).
- A full disk and a read-only disk raise :class:`DiaryDiskFull` and
  :class:`DiaryReadOnly`, each with its own message; the transaction is rolled
  back, so what was saved before stays as it was.
- :func:`erase_everything` deletes every entry and leaves nothing behind: the
  file is vacuumed, the write-ahead log emptied, and the backups and the files
  Unknot wrote for the person are removed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import sqlite3
import time
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

from .location import DB_FILENAME as DB_FILENAME
from .location import ENV_VAR as ENV_VAR
from .location import HEAD_REVISION as HEAD_REVISION
from .location import default_url as default_url
from .location import resolve_url as resolve_url

BUSY_TIMEOUT_MS = 15_000
_SQLITE_HEADER = b"SQLite format 3\x00"
_WRITE = "unknot_write"
_PG_MIGRATION_LOCK = 0x756E6B6E  # any fixed number; "unkn"
FILE_MODE = 0o600
DIR_MODE = 0o700
#: Beside a SQLite diary: the files Unknot wrote for the person, removed by delete-all.
MADE_FILES_SUFFIX = ".made-files"


class DiaryStorageError(RuntimeError):
    """The diary's database cannot be used; the message says why and what to do."""


class DiaryUrlError(DiaryStorageError):
    """The database URL is not one Unknot can use (bad input, not a storage problem)."""


class DiaryDiskFull(DiaryStorageError):
    """The disk is full: nothing was saved, what was saved before is intact."""


class DiaryReadOnly(DiaryStorageError):
    """The disk or the file is read-only: nothing was saved, nothing was changed."""


_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_CANTOPEN = 13, 8, 14


def storage_problem(exc: BaseException, where: str = "the diary") -> DiaryStorageError | None:
    """A clear DiaryStorageError for a full or read-only disk behind ``exc``, else None."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = getattr(current, "orig", None) or current.__cause__ or current.__context__
    for problem in seen:
        code = getattr(problem, "sqlite_errorcode", None)
        text = str(problem).lower()
        full = isinstance(problem, OSError) and problem.errno in (errno.ENOSPC, errno.EDQUOT)
        read_only = isinstance(problem, OSError) and problem.errno == errno.EROFS
        if isinstance(problem, sqlite3.Error):
            full = full or (code is not None and code & 0xFF == _SQLITE_FULL)
            full = full or "database or disk is full" in text
            read_only = read_only or (code is not None and code & 0xFF == _SQLITE_READONLY)
            read_only = read_only or "readonly database" in text
        if full:
            return DiaryDiskFull(
                f"The disk that holds {where} is full, so this was not saved. Everything "
                "saved before is safe. Free some space on the disk, then try again."
            )
        if read_only:
            return DiaryReadOnly(
                f"{where} is on a read-only disk (or the file is read-only), so this was not "
                "saved. Everything saved before is safe. Make it writable, or choose another "
                "place with --db-url, then try again."
            )
    return None


# --- Private files ---------------------------------------------------------------


def private_folder(folder: Path, *, ours: bool = False) -> None:
    """Create ``folder`` (and parents) for the owner only; tighten it if it is ``ours``."""
    folder.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    if ours and folder.stat().st_mode & 0o077:
        folder.chmod(DIR_MODE)


def private_file(path: Path) -> None:
    """Make sure ``path`` exists and only its owner can read it (0600)."""
    if not path.exists():
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE))
    _tighten(path)


def _tighten(path: Path) -> None:
    """An existing file Unknot made: readable by its owner only (best effort)."""
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(FILE_MODE)
    except OSError:
        pass  # a read-only disk: reading still works, writing will say why not


def write_private(path: Path, data: bytes, url: str | None = None) -> None:
    """Write a file for the person (an export, a summary) readable by them only,
    and note it so that delete-all can remove it (``url``: the diary it came from)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    _tighten(path)
    _note_made_file(path, data, url)


def made_files_list(url: str | None = None) -> Path:
    """Where the list of files Unknot wrote for this diary is kept."""
    path = sqlite_path(resolve_url(url))
    if path is None:
        path = sqlite_path(default_url())
        assert path is not None
    return path.with_name(path.name + MADE_FILES_SUFFIX)


def _read_made_files(ledger: Path) -> dict[str, str]:
    try:
        data = json.loads(ledger.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _note_made_file(path: Path, data: bytes, url: str | None) -> None:
    try:
        ledger = made_files_list(url)
        private_folder(ledger.parent)
        made = _read_made_files(ledger)
        made[str(path.resolve())] = hashlib.sha256(data).hexdigest()
        fd = os.open(ledger, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(made, handle)
    except OSError:
        pass  # the file itself was written; only the note of it is missing


def remove_made_files(url: str | None = None) -> tuple[int, list[Path]]:
    """Remove the files Unknot wrote for this diary that still hold what it wrote.

    Returns (how many were removed, the ones kept because they were changed since).
    """
    ledger = made_files_list(url)
    removed, kept = 0, []
    for name, digest in _read_made_files(ledger).items():
        path = Path(name)
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() == digest:
                path.unlink()
                removed += 1
            else:
                kept.append(path)
        except FileNotFoundError:
            continue
        except OSError:
            kept.append(path)
    ledger.unlink(missing_ok=True)
    return removed, kept


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
    private_file(target)
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
    try:
        where = describe(url)
        path = sqlite_path(url)
    except (SQLAlchemyError, ValueError):
        raise DiaryUrlError(
            "--db-url / UNKNOT_DATABASE_URL is not a database URL; use e.g. "
            "sqlite:///path/to/diary.sqlite3 or postgresql://user@host/dbname"
        ) from None
    if path is not None and path.is_dir():
        raise DiaryUrlError(
            f"--db-url / UNKNOT_DATABASE_URL names a folder ({path}); "
            f"name a file in it, e.g. sqlite:///{path / DB_FILENAME}"
        )
    current = False
    if path is not None:
        revision = _preflight_sqlite(path)
        current = revision == HEAD_REVISION
        if not current:
            _check_revision(revision, str(path))
        try:
            private_folder(path.parent, ours=url == default_url())
            private_file(path)
            for extra in ("-wal", "-shm"):
                side = path.with_name(path.name + extra)
                if side.exists():
                    _tighten(side)
        except OSError as exc:
            problem = storage_problem(exc, f"the diary {path}")
            if problem is not None:
                raise problem from None
            reason = exc.strerror or type(exc).__name__
            raise DiaryStorageError(f"Cannot create the diary at {path}: {reason}") from None
    try:
        engine = create_engine(url)
    except (SQLAlchemyError, ImportError, ValueError) as exc:
        reason = " ".join(str(exc).split())[:200]
        raise DiaryUrlError(f"Cannot use the database URL {where}: {reason}") from None
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
            problem = storage_problem(exc, f"the diary {where}")
            if problem is not None:
                raise problem from None
            raise DiaryStorageError(f"Cannot open the diary at {where}: {exc}") from exc
    return engine


@contextmanager
def _storage_errors(engine: Engine) -> Iterator[None]:
    try:
        yield
    except (SQLAlchemyError, OSError) as exc:
        problem = storage_problem(exc, f"the diary {describe(str(engine.url))}")
        if problem is not None:
            raise problem from None
        raise


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session for reading; nothing it does is committed."""
    with _storage_errors(engine), Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def writing(engine: Engine) -> Iterator[Session]:
    """A session whose work is committed as one transaction, or not at all.

    A full or read-only disk raises DiaryDiskFull or DiaryReadOnly; the
    transaction is rolled back, so nothing already saved is touched.
    """
    bind = engine.execution_options(**{_WRITE: True})
    with (
        _storage_errors(engine),
        Session(bind, expire_on_commit=False) as session,
        session.begin(),
    ):
        yield session


def forget_deleted(engine: Engine) -> None:
    """After deleting: rewrite the file and empty the write-ahead log, so that
    deleted entries do not linger there (SQLite only; other databases manage their own)."""
    if engine.dialect.name != "sqlite":
        return
    with _storage_errors(engine):
        raw = engine.raw_connection()  # outside any transaction: VACUUM needs that
        try:
            cursor = raw.cursor()
            cursor.execute("VACUUM")
            # Another connection reading at this moment keeps the log: try again briefly.
            for _ in range(50):
                busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                if not busy or busy[0] == 0:
                    break
                time.sleep(0.1)
            else:
                raise DiaryStorageError(
                    "The diary was emptied, but another program kept its log file open. "
                    "Close other Unknot windows, then delete everything again."
                )
            cursor.close()
        finally:
            raw.close()


def remove_backups(engine: Engine) -> int:
    """Remove the copies made before migrations; returns how many."""
    path = sqlite_path(str(engine.url))
    if path is None:
        return 0
    removed = 0
    for backup in path.parent.glob(f"{path.name}.backup-*"):
        backup.unlink(missing_ok=True)
        removed += 1
    return removed


def made_files(url: str | None = None) -> list[Path]:
    """The files Unknot wrote for this diary that are still there."""
    return [p for p in map(Path, _read_made_files(made_files_list(url))) if p.exists()]


def erase_everything(
    engine: Engine, url: str | None = None, *, keep_exports: bool = False
) -> dict[str, int]:
    """Delete every entry and leave nothing of them behind on this machine.

    In one transaction every row goes; then the file is rebuilt (VACUUM) and the
    write-ahead log emptied, the backups made before migrations are removed, and
    so are the files Unknot wrote for the person (exports, summaries, reminders)
    that still hold what it wrote (unless ``keep_exports``: a copy the person
    means to keep). Returns counts of episodes, check-ins, files removed and kept.
    """
    from .repository import delete_everything

    with writing(engine) as session:
        counts = delete_everything(session)
    forget_deleted(engine)
    with _storage_errors(engine):
        backups = remove_backups(engine)
        if keep_exports:
            made, kept = 0, made_files(url if url is not None else str(engine.url))
        else:
            made, kept = remove_made_files(url if url is not None else str(engine.url))
    return {**counts, "files": backups + made, "kept": len(kept)}


def table_names(engine: Engine) -> list[str]:
    return sorted(inspect(engine).get_table_names())
