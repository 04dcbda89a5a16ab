"""Where the diary is, and the schema revision this Unknot writes, without SQLAlchemy
(the terminal's episode list reads a current SQLite diary with the standard library)."""

from __future__ import annotations

import os

ENV_VAR = "UNKNOT_DATABASE_URL"
DB_FILENAME = "diary.sqlite3"

# The newest migration's id (a test checks it against the migrations): a SQLite
# diary already at it is opened without loading Alembic, which costs more than
# the rest of a diary command's start-up.
HEAD_REVISION = "r0005"


def default_url() -> str:
    """The SQLite file in the user data directory (created when first used)."""
    from platformdirs import user_data_dir

    return f"sqlite:///{os.path.join(user_data_dir('unknot', appauthor=False), DB_FILENAME)}"


def resolve_url(url: str | None = None) -> str:
    """The URL to use: given, else ``UNKNOT_DATABASE_URL``, else the default file."""
    return url or os.environ.get(ENV_VAR) or default_url()


def plain_sqlite_file(url: str) -> str | None:
    """The file of a plain ``sqlite:///path`` URL (no driver, no query), else None."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url or url == prefix:
        return None
    name = url[len(prefix):]
    return None if name == ":memory:" else name
