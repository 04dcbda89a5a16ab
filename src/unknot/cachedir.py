"""Where Unknot keeps what it can rebuild at any time (compiled knowledge, help text).

Nothing personal is kept here: the diary lives in the data folder. Deleting the
folder is always safe. ``UNKNOT_CACHE_DIR`` chooses another folder.
"""

from __future__ import annotations

import os
import sys


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
