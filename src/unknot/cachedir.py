"""Where Unknot keeps what it can rebuild at any time (compiled knowledge, help text).

Nothing personal is kept here: the diary lives in the data folder. Deleting the
folder is always safe. ``UNKNOT_CACHE_DIR`` chooses another folder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Collection
from typing import IO, Any


def cache_dir() -> str:
    """The cache folder: the platform's user cache folder for ``unknot``.

    On Linux this is what platformdirs answers (``$XDG_CACHE_HOME/unknot`` or
    ``~/.cache/unknot``), worked out here without importing it, because the
    start-up of ``unknot --help`` reads it; elsewhere platformdirs is asked.
    """
    chosen = os.environ.get("UNKNOT_CACHE_DIR")
    if chosen:
        return chosen
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
        return os.path.join(base, "unknot")
    from platformdirs import user_cache_dir

    return user_cache_dir("unknot", appauthor=False)


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (another process may be reading)."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def read_stored(path: str, fmt: str, key: str, names: Collection[str]) -> dict[str, Any] | None:
    """The values kept by :func:`store` under ``fmt`` and ``key``, or None.

    None when the file is missing, cut short, foreign, of another format or key,
    or holds other names: the caller then rebuilds, never trusting a stale file.
    """
    import pickle

    try:
        with open(path, "rb") as fh:
            stored = pickle.load(fh)
    except Exception:  # unreadable, truncated or foreign: rebuild, never trust
        return None
    if not (isinstance(stored, tuple) and len(stored) == 3):
        return None
    stored_fmt, stored_key, values = stored
    if stored_fmt != fmt or stored_key != key or not isinstance(values, dict):
        return None
    return values if set(values) == set(names) else None


def store(
    path: str,
    fmt: str,
    key: str,
    values: dict[str, Any],
    pickler: Callable[[IO[bytes]], Any] | None = None,
) -> None:
    """Keep ``values`` for :func:`read_stored`, whole or not at all, and remove the
    older files of the same kind (``<kind>-<hash>.pickle`` beside it).

    Failing is harmless (a read-only home, something that will not pickle): the
    next start builds again, only slower.
    """
    import io
    import pickle

    try:
        buffer = io.BytesIO()
        chosen = pickler(buffer) if pickler else pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        chosen.dump((fmt, key, values))
        write_atomically(path, buffer.getvalue())
        folder, name = os.path.split(path)
        kind = name.split("-", 1)[0]
        for old in os.listdir(folder):
            if old != name and old.startswith(f"{kind}-") and old.endswith(".pickle"):
                os.unlink(os.path.join(folder, old))
    except Exception:
        pass
