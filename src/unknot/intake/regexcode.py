"""Compiled regexes that can be kept in a cache and loaded without compiling again.

``re.compile`` parses a pattern (``re._parser``), turns it into the regex
engine's code (``re._compiler``) and hands that to ``_sre.compile``; the first
two steps are nearly all its cost (about 2 ms for a long lexicon pattern).
``precompile`` runs them once and keeps the arguments of the last step;
``restore`` makes the same ``re.Pattern`` from them in microseconds.
This leans on CPython's own regex internals, so the arguments are only ever
read back by the same Python (its exact version is in the cache key), and
``_sre.compile`` checks the code before it accepts it; anything unexpected
falls back to ``re.compile``.
"""

from __future__ import annotations

import importlib
import re
from array import array
from typing import Any

Code = tuple[Any, ...]

try:  # Python 3.11+
    _parser: Any = importlib.import_module("re._parser")
    _compiler: Any = importlib.import_module("re._compiler")
    _sre: Any = importlib.import_module("_sre")
except ImportError:  # pragma: no cover - another Python: compile as usual
    _parser = _compiler = _sre = None


def precompile(pattern: str, flags: int = 0) -> Code:
    """What ``restore`` needs to make ``re.compile(pattern, flags)``.

    Raises ``re.error`` for a bad pattern, as ``re.compile`` does.
    """
    if _sre is None:  # pragma: no cover
        re.compile(pattern, flags)
        return (pattern, flags, None)
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    ops = array("I", code).tobytes()  # one small blob to store, not thousands of ints
    engine = (int(flags | parsed.state.flags), ops, parsed.state.groups - 1, groupindex,
              tuple(indexgroup))
    return (pattern, int(flags), engine)


def restore(code: Code) -> re.Pattern[str]:
    """The compiled regex of a ``precompile`` answer (compiled afresh if need be)."""
    pattern, flags, args = code
    if args is not None and _sre is not None:
        try:
            all_flags, ops, groups, groupindex, indexgroup = args
            compiled: re.Pattern[str] = _sre.compile(
                pattern, all_flags, array("I", ops).tolist(), groups, groupindex, indexgroup
            )
            return compiled
        except Exception:  # noqa: BLE001 - another Python's code, or damaged: compile it
            pass
    return re.compile(pattern, flags)


def compile_kept(pattern: str, flags: int = 0) -> tuple[re.Pattern[str], Code]:
    """``re.compile`` that also gives what a cache keeps to restore it."""
    code = precompile(pattern, flags)
    return restore(code), code
