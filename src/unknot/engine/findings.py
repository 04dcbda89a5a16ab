"""Check and normalise a person's findings against the catalogue.

Input may come from JSON, YAML, a form or the interview. Output is a plain dict
with bools, numbers, enum strings and frozensets, ready for the rules. Anything
that does not fit raises :class:`FindingsError` naming the field and what is
allowed: the surfaces turn it into exit code 2 or a 422.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..knowledge import Knowledge
from ..knowledge.models import FindingSpec

_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}


class FindingsError(ValueError):
    """One bad finding: ``field`` and a message saying what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


def allowed(spec: FindingSpec) -> str:
    """A short description of what a finding accepts."""
    if spec.type == "bool":
        return "true or false"
    if spec.type == "enum":
        return "one of " + ", ".join(spec.values)
    if spec.type == "set":
        return "a list of any of " + ", ".join(spec.values)
    kind = "a whole number" if spec.type == "int" else "a number"
    if spec.min is not None and spec.max is not None:
        return f"{kind} from {spec.min:g} to {spec.max:g}"
    return kind


def normalise_value(spec: FindingSpec, value: Any) -> Any:
    """One finding's value in canonical form, or FindingsError."""
    name = spec.name
    if spec.type == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
            return value.strip().lower() in _TRUE
        raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
    if spec.type == "enum":
        if isinstance(value, str) and value in spec.values:
            return value
        raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
    if spec.type == "set":
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple | set | frozenset):
            raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
        bad = [v for v in items if v not in spec.values]
        if bad:
            raise FindingsError(name, f"unknown value(s) {bad}; allowed: {', '.join(spec.values)}")
        return frozenset(items)
    # int / number
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}") from None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):  # NaN, Infinity, 1e309
        raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
    if spec.type == "int":
        if isinstance(value, float) and not value.is_integer():
            raise FindingsError(name, f"must be {allowed(spec)}, got {value!r}")
        value = int(value)
    if (spec.min is not None and value < spec.min) or (spec.max is not None and value > spec.max):
        shown = repr(value) if len(str(value)) <= 20 else "a number out of range"
        raise FindingsError(name, f"must be {allowed(spec)}, got {shown}")
    return value


def validate_findings(raw: Any, kb: Knowledge) -> dict[str, Any]:
    """Validate a mapping of finding name -> value. ``None`` values mean unknown."""
    if not isinstance(raw, Mapping):
        raise FindingsError("findings", "must be an object mapping finding names to values")
    out: dict[str, Any] = {}
    for name, value in raw.items():
        spec = kb.findings.get(str(name))
        if spec is None or spec.group == "derived":
            raise FindingsError(str(name), "is not a known finding (see findings.yaml)")
        if value is None:
            continue
        out[spec.name] = normalise_value(spec, value)
    return out


def to_jsonable(findings: Mapping[str, Any]) -> dict[str, Any]:
    """Findings as JSON-friendly values (sets become sorted lists)."""
    return {k: sorted(v) if isinstance(v, frozenset | set) else v for k, v in findings.items()}
