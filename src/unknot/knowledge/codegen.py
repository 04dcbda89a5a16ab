"""Conditions compiled into plain Python: one generated function for a list of them.

The closures of :mod:`.conditions` read one condition at a time and give the
evidence (which findings made it hold). The engine asks two questions of every
triage rule and factor on every assessment: which of them hold, and which could
still change when an unanswered safety question is answered. For those it uses
the functions made here: the conditions' own YAML written out as Python
expressions (``v3 == True or v7 in S0``) in one function per list, generated and
compiled once when the knowledge is loaded. The data stays in the YAML; this is
only its compiled form. The closures still give the evidence of the few that hold.

- :func:`holding` -> ``f(findings) -> list[int]``: the positions of the
  conditions that hold, in order (as the compiled closures decide it).
- :func:`undecided_mask` -> ``f(findings) -> int``: the bits (one mask per
  condition) of those that neither hold nor fail for sure: their three-valued
  reading (:func:`.conditions.compile_tristate`) is None.

Three values come from two plain evaluations: ``lo`` counts every unknown test
as failing and ``hi`` counts it as holding, each under ``not`` the other way
round. A condition holds for sure when ``lo`` does, fails for sure when ``hi``
does not, and is undecided in between (this is the strong three-valued logic,
test by test).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .conditions import findings_used

Positions = Callable[[Mapping[str, Any]], list[int]]

_OPS = {"gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


class _Writer:
    """Writes conditions as Python expressions over local variables."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}  # finding -> local variable
        self.consts: dict[str, Any] = {}  # constant name -> value (sets, odd values)
        self.sets: dict[str, bool] = {}

    def var(self, name: str) -> str:
        if name not in self.names:
            self.names[name] = f"v{len(self.names)}"
        return self.names[name]

    def const(self, value: Any) -> str:
        """The value as a literal when it reads back the same, else a named constant."""
        if type(value) in (str, bool, int) or (
            type(value) is float and abs(value) != float("inf") and value == value
        ):
            return repr(value)
        key = f"C{len(self.consts)}"
        self.consts[key] = value
        return key

    def expr(self, cond: Any, mode: str) -> str:
        """``mode``: "holds" (an unknown test fails, so ``not`` of it holds: the
        closures' reading), "lo" (every unknown test read so that the whole
        fails, under ``not`` too) or "hi" (read so that the whole holds)."""
        parts: list[str] = []
        for key, value in cond.items():
            if key in ("all", "any"):
                joiner = " and " if key == "all" else " or "
                parts.append("(" + joiner.join(self.expr(c, mode) for c in value) + ")")
            elif key == "not":
                inner = {"holds": "holds", "lo": "hi", "hi": "lo"}[mode]
                parts.append(f"(not {self.expr(value, inner)})")
            else:
                parts.append(self.leaf(key, value, mode))
        return parts[0] if len(parts) == 1 else "(" + " and ".join(parts) + ")"

    def leaf(self, name: str, test: Any, mode: str) -> str:
        if isinstance(test, Mapping) and set(test) == {"known"}:
            return f"({name!r} {'in' if test['known'] else 'not in'} f)"
        v = self.var(name)
        if isinstance(test, Mapping):
            body = " and ".join(f"{v} {_OPS[op]} {self.const(bound)}" for op, bound in test.items())
        elif self.sets.get(name):
            wanted = frozenset(test) if isinstance(test, list) else frozenset([test])
            body = f"not {self.const(wanted)}.isdisjoint({v})"
        elif isinstance(test, list):
            body = f"{v} in {self.const(frozenset(test))}"
        else:
            body = f"{v} == {self.const(test)}"
        if mode != "hi":
            return f"({v} is not None and {body})"
        return f"({v} is None or {body})"


def _build(
    conds: Sequence[Any],
    set_findings: frozenset[str],
    line: Callable[[_Writer, int, Any], str],
    name: str,
    start: str = "[]",
) -> Positions:
    writer = _Writer()
    writer.sets = {n: True for n in set_findings}
    body = [text for i, cond in enumerate(conds) if (text := line(writer, i, cond))]
    head = [f"    {var} = g({name_!r})" for name_, var in writer.names.items()]
    source = "\n".join(
        [f"def {name}(f):", "    g = f.get", *head, f"    out = {start}", *body, "    return out"]
    )
    namespace: dict[str, Any] = dict(writer.consts)
    exec(compile(source, f"<unknot knowledge: {name}>", "exec"), namespace)  # noqa: S102
    function: Positions = namespace[name]
    function.__doc__ = source  # the generated text, for reading and debugging
    return function


def holding(
    conds: Sequence[Any],
    set_findings: frozenset[str],
    needs_one_of: Sequence[frozenset[str] | None] = (),
) -> Positions:
    """One function giving the positions of the conditions that hold.

    ``needs_one_of[i]``, when given, is a set of findings of which one must be
    present as well (the rule index's choice: a condition that can hold with
    nothing known still needs one of its findings said).
    """
    needs = list(needs_one_of) or [None] * len(conds)

    def line(w: _Writer, i: int, cond: Any) -> str:
        test = w.expr(cond, "holds")
        need = needs[i]
        if need is not None:
            test = f"not {w.const(need)}.isdisjoint(f) and {test}"
        return f"    if {test}: out.append({i})"

    return _build(conds, set_findings, line, "holding")


def undecided_mask(
    conds: Sequence[Any], set_findings: frozenset[str], masks: Sequence[int]
) -> Callable[[Mapping[str, Any]], int]:
    """One function giving the union (bitwise or) of ``masks[i]`` over the
    conditions ``i`` whose three-valued reading is None."""

    def line(w: _Writer, i: int, cond: Any) -> str:
        if not masks[i]:
            return ""
        test = f"{w.expr(cond, 'hi')} and not {w.expr(cond, 'lo')}"
        return f"    if {test}: out |= {masks[i]}"

    return _build(conds, set_findings, line, "undecided_mask", start="0")  # type: ignore[return-value]


def reads_absence(cond: Any) -> bool:
    """Whether a condition uses "not" or "known" (it may hold with nothing known)."""
    if not isinstance(cond, Mapping):
        return False
    for key, value in cond.items():
        if key == "not":
            return True
        if key in ("all", "any") and any(reads_absence(c) for c in value):
            return True
        if isinstance(value, Mapping) and "known" in value:
            return True
    return False


__all__ = [
    "Positions", "findings_used", "holding", "reads_absence", "undecided_mask"
]
