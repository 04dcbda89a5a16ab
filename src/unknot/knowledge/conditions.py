"""The small condition language used by rules, factors, advice and questions.

A condition is plain YAML data::

    {finding: value}          equals value (for a set finding: contains it)
    {finding: [a, b]}         equals any of them (for a set: contains any)
    {finding: {gte: 3}}       numeric tests: gt, gte, lt, lte
    {finding: {known: true}}  the finding has been answered at all
    {all: [c1, c2]}           every part holds
    {any: [c1, c2]}           at least one part holds
    {not: c}                  c does not hold (an unknown finding counts as
                              absent, so ``not`` of it holds)

A mapping with several findings means all of them. An unknown finding never
satisfies a test, so a rule cannot fire on something nobody said (``not`` is
the one exception, and the rules use it only on findings that are not safety
questions).

:func:`compile_tristate` reads a condition three ways: True (holds), False
(cannot hold whatever the unknown findings turn out to be) or None (depends on
an unanswered finding), to tell which safety questions can still change a result.

Conditions are compiled once at load time into closures. A compiled condition
returns ``None`` when it does not hold, or the tuple of finding names that made
it hold (the evidence shown to the person).
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from typing import Any

from .models import FindingSpec

Evidence = tuple[str, ...]
Findings = Mapping[str, Any]
Compiled = Callable[[Findings], Evidence | None]

_NUMERIC: dict[str, Callable[[Any, Any], bool]] = {
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


class ConditionError(ValueError):
    """A condition refers to an unknown finding or uses a wrong value."""


def findings_used(cond: Any) -> set[str]:
    """Every finding name a condition reads."""
    if not isinstance(cond, Mapping):
        return set()
    names: set[str] = set()
    for key, value in cond.items():
        if key in ("all", "any"):
            for part in value:
                names |= findings_used(part)
        elif key == "not":
            names |= findings_used(value)
        else:
            names.add(key)
    return names


def compile_condition(cond: Any, catalogue: Mapping[str, FindingSpec]) -> Compiled:
    """Check a condition against the finding catalogue and turn it into a function.

    Without ``known`` tests a condition can only hold when one of its findings
    is known, so the compiled function first checks that cheaply: most rules
    read findings that a given person never mentioned.
    """
    inner = _compile(cond, catalogue)
    used = frozenset(findings_used(cond))
    if _uses_known(cond):  # "known" and "not" can hold when nothing is known
        return inner

    def guarded(f: Findings) -> Evidence | None:
        return None if used.isdisjoint(f) else inner(f)

    return guarded


def _uses_known(cond: Any) -> bool:
    if not isinstance(cond, Mapping):
        return False
    for key, value in cond.items():
        if key == "not":
            return True
        if key in ("all", "any"):
            if any(_uses_known(c) for c in value):
                return True
        elif isinstance(value, Mapping) and "known" in value:
            return True
    return False


def _compile(cond: Any, catalogue: Mapping[str, FindingSpec]) -> Compiled:
    if not isinstance(cond, Mapping) or not cond:
        raise ConditionError(f"a condition must be a non-empty mapping, got {cond!r}")
    parts: list[Compiled] = []
    for key, value in cond.items():
        if key in ("all", "any"):
            if not isinstance(value, list) or not value:
                raise ConditionError(f"'{key}' needs a non-empty list of conditions")
            children = [_compile(c, catalogue) for c in value]
            parts.append(_all(children) if key == "all" else _any(children))
        elif key == "not":
            parts.append(_not(_compile(value, catalogue)))
        else:
            parts.append(_leaf(key, value, catalogue))
    return parts[0] if len(parts) == 1 else _all(parts)


def _all(children: list[Compiled]) -> Compiled:
    def check(f: Findings) -> Evidence | None:
        evidence: list[str] = []
        for child in children:
            got = child(f)
            if got is None:
                return None
            evidence.extend(got)
        return tuple(dict.fromkeys(evidence))

    return check


def _any(children: list[Compiled]) -> Compiled:
    def check(f: Findings) -> Evidence | None:
        evidence: list[str] = []
        hit = False
        for child in children:
            got = child(f)
            if got is not None:
                hit = True
                evidence.extend(got)
        return tuple(dict.fromkeys(evidence)) if hit else None

    return check


def _not(child: Compiled) -> Compiled:
    def check(f: Findings) -> Evidence | None:
        return () if child(f) is None else None

    return check


Tristate = Callable[[Findings], "bool | None"]


def compile_tristate(cond: Any) -> Tristate:
    """A condition as a three-valued test: True, False, or None while it depends
    on an unanswered finding. ``cond`` must already be valid (compiled at load)."""
    parts: list[Tristate] = []
    for key, value in cond.items():
        if key in ("all", "any"):
            children = [compile_tristate(c) for c in value]
            parts.append(_tri_all(children) if key == "all" else _tri_any(children))
        elif key == "not":
            parts.append(_tri_not(compile_tristate(value)))
        else:
            parts.append(_tri_leaf(key, value))
    return parts[0] if len(parts) == 1 else _tri_all(parts)


def _tri_all(children: list[Tristate]) -> Tristate:
    def check(f: Findings) -> bool | None:
        result: bool | None = True
        for child in children:
            got = child(f)
            if got is False:
                return False
            if got is None:
                result = None
        return result

    return check


def _tri_any(children: list[Tristate]) -> Tristate:
    def check(f: Findings) -> bool | None:
        result: bool | None = False
        for child in children:
            got = child(f)
            if got is True:
                return True
            if got is None:
                result = None
        return result

    return check


def _tri_not(child: Tristate) -> Tristate:
    def check(f: Findings) -> bool | None:
        got = child(f)
        return None if got is None else not got

    return check


def _tri_leaf(name: str, test: Any) -> Tristate:
    if isinstance(test, Mapping) and set(test) == {"known"}:
        want = bool(test["known"])
        return lambda f: (name in f) == want

    def check(f: Findings) -> bool | None:
        have = f.get(name)
        return None if have is None else _leaf_holds(have, test)

    return check


def _leaf_holds(have: Any, test: Any) -> bool:
    if isinstance(test, Mapping):
        return all(_NUMERIC[op](have, bound) for op, bound in test.items())
    wanted = set(test) if isinstance(test, list) else {test}
    if isinstance(have, set | frozenset | list | tuple):
        return not wanted.isdisjoint(have)
    return have in wanted


def _check_value(name: str, spec: FindingSpec, value: Any) -> None:
    if spec.type in ("enum", "set"):
        if value not in spec.values:
            raise ConditionError(f"'{name}' has no value {value!r}; allowed: {spec.values}")
    elif spec.type == "bool":
        if not isinstance(value, bool):
            raise ConditionError(f"'{name}' is true/false, got {value!r}")
    elif isinstance(value, bool) or not isinstance(value, int | float):
        raise ConditionError(f"'{name}' is a number, got {value!r}")


def _leaf(name: str, test: Any, catalogue: Mapping[str, FindingSpec]) -> Compiled:
    spec = catalogue.get(name)
    if spec is None:
        raise ConditionError(f"unknown finding '{name}'")
    evidence: Evidence = (name,)

    if isinstance(test, Mapping):
        if set(test) == {"known"}:
            want = bool(test["known"])
            return lambda f: evidence if (name in f) == want else None
        if spec.type not in ("int", "number"):
            raise ConditionError(f"'{name}' is not a number; numeric tests do not apply")
        checks = []
        for op, bound in test.items():
            if op not in _NUMERIC:
                raise ConditionError(f"'{name}': unknown test '{op}'; use gt, gte, lt or lte")
            _check_value(name, spec, bound)
            checks.append((_NUMERIC[op], bound))

        def numeric(f: Findings) -> Evidence | None:
            v = f.get(name)
            if v is None:
                return None
            return evidence if all(fn(v, b) for fn, b in checks) else None

        return numeric

    wanted = list(test) if isinstance(test, list) else [test]
    for w in wanted:
        _check_value(name, spec, w)
    wanted_set = frozenset(wanted)

    if spec.type == "set":

        def contains(f: Findings) -> Evidence | None:
            v = f.get(name)
            return evidence if v is not None and not wanted_set.isdisjoint(v) else None

        return contains

    if len(wanted) == 1:
        only = wanted[0]

        return lambda f: evidence if f.get(name) == only else None

    return lambda f: evidence if f.get(name) in wanted_set else None
