"""Assessments as JSON, fast: orjson, with the parts that repeat kept as ready JSON.

Most of an assessment's answer is plan text from the knowledge files: the
relief plan's phases, the prevention plan, the checkpoints. The engine shares
those parts between assessments (frozen tuples, made once per combination of
the findings and dates they depend on), so their JSON is made once per tuple
and reused as an ``orjson.Fragment``.
Dates are written as ISO strings and sets as sorted lists, as ``to_dict`` does.

``compact=True`` leaves out the plan's long texts (each advice item keeps its
id, title, cautions, exercises and sources; each checkpoint its id, title and
date): what a caller that shows the level, the concerns and a list of what to
do needs. The web API answers so unless asked for the full plan.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

import orjson
from pydantic import BaseModel

_CACHE_SIZE = 8192  # ready fragments kept; the engine shares far fewer objects than this
_FULL: dict[int, tuple[object, orjson.Fragment]] = {}
_COMPACT: dict[int, tuple[object, orjson.Fragment]] = {}


def _fallback(value: Any) -> Any:
    if isinstance(value, BaseModel):  # its fields, in order (the engine and Pydantic keep them so)
        return value.__dict__
    if isinstance(value, set | frozenset):
        return sorted(value)
    raise TypeError(type(value).__name__)


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(obj: object) -> tuple[str, ...]:
    """The field names of a result (a dataclass or a Pydantic model), found once per class."""
    kind = type(obj)
    known = _NAMES.get(kind)
    if known is not None:
        return known
    if is_dataclass(obj):
        names = tuple(f.name for f in fields(obj))
    elif getattr(kind, "model_fields", None) is not None:
        names = tuple(kind.model_fields)  # type: ignore[attr-defined]
    else:
        raise TypeError(kind.__name__)
    _NAMES[kind] = names
    return names


def _short(item: Any) -> dict[str, Any]:
    """A plan part as the compact answer has it: its brief model's fields (results.py owns
    that shape; no long texts, but the cautions and the sources), a phase's items shortened."""
    out = {name: getattr(item, name) for name in type(item).brief_fields}
    if "items" in out:
        out["items"] = [_short(i) for i in out["items"]]
    return out


def _fragment(
    shared: tuple[Any, ...], cache: dict[int, tuple[object, orjson.Fragment]], shorten: bool
) -> orjson.Fragment:
    """The JSON of a shared, immutable tuple of results, made once."""
    hit = cache.get(id(shared))
    if hit is not None and hit[0] is shared:
        return hit[1]
    value: Any = [_short(i) for i in shared] if shorten else shared
    made = orjson.Fragment(orjson.dumps(value, default=_fallback))
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[id(shared)] = (shared, made)  # holding the tuple keeps its id from being reused
    return made


def assessment_fields(assessment: object, *, compact: bool = False) -> dict[str, Any]:
    """The assessment's fields, ready for ``orjson.dumps`` (plan parts as fragments)."""
    cache = _COMPACT if compact else _FULL
    if isinstance(assessment, BaseModel):
        out = dict(assessment.__dict__)
    else:
        out = {name: getattr(assessment, name) for name in _names(assessment)}
    for name in ("relief_plan", "prevention_plan", "checkpoints"):
        value = out.get(name)
        if isinstance(value, tuple):
            out[name] = _fragment(value, cache, compact)
    return out


def assessment_json(assessment: object, *, compact: bool = False) -> bytes:
    """The assessment as JSON bytes (the ``to_dict`` shape, or its compact form)."""
    return orjson.dumps(assessment_fields(assessment, compact=compact), default=_fallback)


def assessment_dict(assessment: object) -> dict[str, Any]:
    """The assessment as plain JSON-ready data (dates as strings, sets as sorted lists)."""
    data: dict[str, Any] = orjson.loads(assessment_json(assessment))
    return data

