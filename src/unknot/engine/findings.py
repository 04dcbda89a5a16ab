"""Check and normalise a person's findings against the catalogue.

Input may come from JSON, YAML, a form or the interview. Output is a plain dict
with bools, numbers, enum strings and frozensets, ready for the rules. Anything
that does not fit raises :class:`FindingsError` naming the field and what is
allowed: the surfaces turn it into exit code 2 or a 422.

The shapes of the input are Pydantic models generated from the knowledge's
catalogue, so a finding added to ``findings.yaml`` is accepted, checked and
documented (OpenAPI) everywhere without code changes:

- :func:`findings_model`: ``{finding: value}``, one optional field per finding
  (no unknown names, numbers finite and within the catalogue's range);
- :func:`answers_model`: the interview's answers, ``{screen_id: {field_id: value}}``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    WithJsonSchema,
    create_model,
)

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import FindingSpec, QuestionField, Screen
from .results import ValueSet

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
    for name, value in raw.items():  # as findings_model(kb) checks them, without its
        spec = kb.findings.get(str(name))  # work on the many findings not given
        if spec is None or spec.group == "derived":
            raise FindingsError(str(name), "is not a known finding (see findings.yaml)")
        if value is not None:
            out[spec.name] = normalise_value(spec, value)
    return out


def known(model: BaseModel) -> dict[str, Any]:
    """The findings a checked :func:`findings_model` instance holds (unknowns left out)."""
    return {name: value for name, value in model.__dict__.items() if value is not None}


def problem_message(err: Mapping[str, Any]) -> str:
    """A plain message for one Pydantic error on findings or answers."""
    cause = err.get("ctx", {}).get("error")
    if isinstance(cause, FindingsError):
        return cause.message
    if err["type"] == "extra_forbidden":
        return "is not a known name (see findings.yaml and questions.yaml)"
    return str(err["msg"]).removeprefix("Value error, ")


# --- The shapes, generated from the catalogue ------------------------------------

_MODELS: dict[tuple[int, str], tuple[Knowledge, type[BaseModel]]] = {}


def _cached(kind: str, kb: Knowledge, build: Any) -> type[BaseModel]:
    key = (id(kb), kind)
    hit = _MODELS.get(key)
    if hit is None or hit[0] is not kb:
        hit = _MODELS[key] = (kb, build(kb))
    return hit[1]


def value_type(spec: FindingSpec) -> Any:
    """The JSON type of one finding, with the catalogue's values and range."""
    if spec.type == "bool":
        return bool
    if spec.type == "enum":
        return Literal[tuple(spec.values)]
    if spec.type == "set":
        listed = {"type": "array", "items": {"type": "string", "enum": spec.values}}
        return Annotated[ValueSet, WithJsonSchema(listed)]  # a repeat is allowed, and dropped
    limits = Field(ge=spec.min, le=spec.max, allow_inf_nan=False)
    if spec.type == "int":
        return Annotated[int, limits]
    schema = {"type": "number", "minimum": spec.min, "maximum": spec.max}
    shown = WithJsonSchema({k: v for k, v in schema.items() if v is not None})
    return Annotated[int | float, limits, shown]  # a whole number stays whole: 2, not 2.0


def _checked(spec: FindingSpec, value: Any) -> Any:
    return None if value is None else normalise_value(spec, value)


def _findings_model(kb: Knowledge) -> type[BaseModel]:
    fields: dict[str, Any] = {
        name: (
            Annotated[value_type(spec) | None, BeforeValidator(partial(_checked, spec))],
            Field(default=None, description=spec.label),
        )
        for name, spec in kb.findings.items()
        if spec.group != "derived"
    }
    model: type[BaseModel] = create_model(
        "Findings",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="A person's findings: finding name -> value; null or left out means unknown.",
        **fields,
    )
    return model


def findings_model(kb: Knowledge | None = None) -> type[BaseModel]:
    """The model of a set of findings, one optional field per finding of the catalogue."""
    return _cached("findings", kb or load_knowledge(), _findings_model)


def _answer_type(fld: QuestionField, kb: Knowledge) -> Any:
    if fld.kind == "checklist":
        return list[Literal[tuple(item.id for item in fld.items)]] | None  # type: ignore[misc]
    if fld.kind == "multi":
        return list[Literal[tuple(fld.choices)]] | None  # type: ignore[misc]
    if fld.kind == "choice":
        return Literal[tuple(fld.choices)] | None
    spec = kb.findings[fld.finding] if fld.finding else None
    if spec is None:
        return float | None
    return Annotated[value_type(spec) | None, BeforeValidator(partial(_checked, spec))]


def _screen_model(screen: Screen, kb: Knowledge) -> type[BaseModel]:
    fields: dict[str, Any] = {
        fld.id: (_answer_type(fld, kb), Field(default=None, description=fld.text))
        for fld in screen.fields
    }
    model: type[BaseModel] = create_model(
        f"Answers_{screen.id}",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__=screen.title,
        **fields,
    )
    return model


def _answers_model(kb: Knowledge) -> type[BaseModel]:
    fields: dict[str, Any] = {
        screen.id: (_screen_model(screen, kb) | None, Field(default=None)) for screen in kb.screens
    }
    model: type[BaseModel] = create_model(
        "Answers",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="The interview's answers: screen id -> field id -> value. A checklist takes "
        "the ticked item ids, a number field a number, a choice one key, a multi a list of keys.",
        **fields,
    )
    return model


def answers_model(kb: Knowledge | None = None) -> type[BaseModel]:
    """The model of the interview's answers, one optional object per screen."""
    return _cached("answers", kb or load_knowledge(), _answers_model)


def to_jsonable(findings: Mapping[str, Any]) -> dict[str, Any]:
    """Findings as JSON-friendly values (sets become sorted lists)."""
    return {k: sorted(v) if isinstance(v, frozenset | set) else v for k, v in findings.items()}
