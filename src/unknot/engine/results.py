"""What an assessment returns: the one definition of the assessment's shape.

Each class is a frozen Pydantic model, so the same class gives the JSON
(:meth:`Assessment.to_json`, :meth:`Assessment.to_dict`), checks a document read
back in (:meth:`Assessment.model_validate_json`: the diary, ``diary start
--assessment``) and gives the API's OpenAPI schema (``model_json_schema``).

The engine builds these objects itself from data it has already checked, many
thousands of times a second, so calling a class (``Evidence(...)``,
``Assessment(...)``) takes the fast path of a plain dataclass: keyword or
positional arguments, defaults filled in, no validation. Anything read from
outside goes through ``model_validate`` / ``model_validate_json``, which checks
everything.

``SCHEMA_VERSION`` names the shape; it changes when a field is renamed or
removed, so a stored document says which shape it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Annotated, Any, ClassVar, Literal, Self

import orjson
from pydantic import BaseModel, ConfigDict, Field, PlainSerializer

from ..knowledge.models import Level

SCHEMA_VERSION: Literal["2"] = "2"
_setattr = object.__setattr__
_new = object.__new__

#: A set-valued finding (e.g. ``trigger``) is written as a sorted list.
ValueSet = Annotated[
    frozenset[str], PlainSerializer(sorted, return_type=list[str], when_used="always")
]
#: One finding's value: yes/no, a number, one of a list, or a set of them.
FindingValue = bool | int | float | str | ValueSet


def _maker(cls: type, names: tuple[str, ...], fields_set: set[str]) -> Any:
    """``cls.of``: a function taking every field (in order, or by name), written out
    so that making a result costs a dict and four attribute stores."""
    items = ", ".join(f"{name!r}: {name}" for name in names)
    source = (
        f"def of({', '.join(names)}):\n"
        "    obj = new(cls)\n"
        f"    setattr(obj, '__dict__', {{{items}}})\n"
        "    setattr(obj, '__pydantic_fields_set__', fields_set)\n"
        "    setattr(obj, '__pydantic_extra__', None)\n"
        "    setattr(obj, '__pydantic_private__', None)\n"
        "    return obj\n"
    )
    scope: dict[str, Any] = {"new": _new, "setattr": _setattr, "cls": cls, "fields_set": fields_set}
    exec(compile(source, f"<{cls.__name__}.of>", "exec"), scope)  # noqa: S102
    return scope["of"]


class Shape(BaseModel):
    """A result part: frozen, every field named, built without validation by the engine."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        ser_json_inf_nan="null",
        json_schema_serialization_defaults_required=True,  # the document always has them all
        defer_build=True,  # schema built when first needed (validation, OpenAPI), not at import
    )

    #: The fields the compact answer keeps of this part (its brief model's), if it has one.
    brief_fields: ClassVar[tuple[str, ...]] = ()
    _names: ClassVar[tuple[str, ...]] = ()
    _defaults: ClassVar[tuple[tuple[str, Any, Any], ...]] = ()
    _all: ClassVar[frozenset[str]] = frozenset()
    _set_all: ClassVar[set[str]] = set()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        fields = cls.model_fields
        cls._names = tuple(fields)
        cls._defaults = tuple(
            (name, f.default, f.default_factory)
            for name, f in fields.items()
            if not f.is_required()
        )
        cls._all = frozenset(fields)
        cls._set_all = set(fields)  # shared: a frozen model's fields never change
        cls.of = _maker(cls, cls._names, cls._set_all)  # type: ignore[method-assign]

    def __init__(self, *args: Any, **values: Any) -> None:
        """The engine's fast path (no checks): as a dataclass would be called."""
        if args:
            values.update(zip(self._names, args, strict=False))
        if values.keys() != self._all:
            for name, default, factory in self._defaults:
                if name not in values:
                    values[name] = factory() if factory is not None else default
            if values.keys() != self._all:
                missing = sorted(self._all - values.keys())
                extra = sorted(values.keys() - self._all)
                raise TypeError(f"{type(self).__name__}: missing {missing}, unknown {extra}")
        # in the fields' order, whatever the order of the arguments: one document, one text
        _setattr(self, "__dict__", {name: values[name] for name in self._names})
        _setattr(self, "__pydantic_fields_set__", self._set_all)
        _setattr(self, "__pydantic_extra__", None)
        _setattr(self, "__pydantic_private__", None)

    @classmethod
    def of(cls, *values: Any, **named: Any) -> Self:
        """The engine's fastest path: every field's value, in the fields' order or
        by name (no defaults, no checks). Returns an instance of ``cls``.

        Each subclass gets its own, written out for its fields (see ``_maker``)."""
        raise TypeError(f"{cls.__name__}.of is made for each result class")

    def to_json(self) -> bytes:
        """The JSON document (dates as ISO text, sets as sorted lists).

        Written by orjson straight from the objects (faster than Pydantic's
        writer on this document); a test checks it is byte for byte what
        ``model_dump_json`` writes.
        """
        return orjson.dumps(self, default=_plain)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dates as ISO strings, sets as sorted lists."""
        return self.model_dump(mode="json")

    # Validation (model_validate*) must not go through this unchecked __init__:
    # marked as Pydantic's own, it builds and checks the object itself.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]


class Evidence(Shape):
    """One answer that led to a conclusion: the finding, its value, and how it reads."""

    finding: str
    value: FindingValue | None
    label: str


class ConcernResult(Shape):
    """A reason to seek care, at a level, with the rules and answers behind it."""

    id: str
    level: Level
    title: str
    why: str
    what_to_do: str
    rules: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    citations: tuple[str, ...]


class FactorResult(Shape):
    """Something that may have helped bring the spasm on, and what to do about it."""

    id: str
    title: str
    why: str
    what_to_do: str
    episode_related: bool
    evidence: tuple[Evidence, ...]
    citations: tuple[str, ...]


class AdviceResult(Shape):
    """One piece of advice (relief or prevention)."""

    id: str
    title: str
    text: str
    why: str | None
    cautions: tuple[str, ...]
    exercises: tuple[str, ...]
    answers: tuple[str, ...]
    citations: tuple[str, ...]
    reminder: str | None = None


class PhaseResult(Shape):
    """A stretch of the relief plan (first days, the weeks after), with its advice."""

    id: str
    title: str
    starts: date | None
    ends: date | None
    items: tuple[AdviceResult, ...]


class CheckpointResult(Shape):
    """A dated moment to check progress, and what should have happened by then."""

    id: str
    title: str
    text: str
    date: date | None
    event: str | None
    passed: bool
    citations: tuple[str, ...]


class Assessment(Shape):
    """The whole result, the same document on every surface, in the diary and in the API.

    ``level`` is emergency, urgent, soon or self_care; it is null only when the
    person's words could not be read at all (``unread_reason`` says why).
    ``complete``: every safety question is answered, none said with doubt, and
    the text (if any) was read. ``unanswered``: safety findings still unknown,
    most urgent first. ``doubtful``: signs said with doubt, counted as present
    for the level until confirmed or denied.
    """

    level: Level | None
    level_title: str = Field(max_length=200)
    headline: str = Field(max_length=2000)
    concerns: tuple[ConcernResult, ...] = Field(max_length=100)
    factors: tuple[FactorResult, ...] = Field(max_length=100)
    unanswered: tuple[str, ...] = Field(
        description="Safety findings still unknown, most urgent first."
    )
    relief_plan: tuple[PhaseResult, ...]
    prevention_plan: tuple[AdviceResult, ...]
    exercises: tuple[str, ...]
    checkpoints: tuple[CheckpointResult, ...]
    emergency_number: str
    region: str = Field(max_length=20)
    disclaimer: str
    knowledge_version: str = Field(max_length=100)
    findings: dict[str, FindingValue] = Field(
        default_factory=dict, description="Finding name -> value (names as in findings.yaml)."
    )
    onset_date: date | None = None
    error: str | None = None
    complete: bool = Field(
        default=False,
        description="True only when every safety question is answered, none said with doubt, "
        "and the text (if any) was read.",
    )
    doubtful: tuple[str, ...] = Field(
        default=(),
        description="Findings said with doubt; counted as present until confirmed or denied.",
    )
    unread_reason: str | None = Field(
        default=None, description="Why the words could not be read, when level is null."
    )
    subject: str | None = Field(
        default=None,
        description="Only for text: who the text is about (self, or e.g. husband).",
    )
    quotes: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="Only for text: finding name -> the person's words it was read from.",
    )
    schema_version: Literal["2"] = SCHEMA_VERSION

    def with_words(self, subject: str, quotes: Mapping[str, Iterable[str]]) -> Assessment:
        """The same result, saying whose words were read and which words gave each finding."""
        kept = {name: tuple(words) for name, words in quotes.items() if name in self.findings}
        return self.model_copy(update={"subject": subject, "quotes": kept})

    def to_json(self) -> bytes:
        """The JSON document; the plan's shared parts are written once and reused
        (:mod:`.serialize`). A test checks it is byte for byte ``model_dump_json``."""
        from .serialize import assessment_json

        return assessment_json(self)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: dates as ISO strings, sets as sorted lists."""
        from .serialize import assessment_dict

        return assessment_dict(self)


class AdviceBrief(Shape):
    """An advice item in the compact answer: what it is, its cautions and sources,
    not its whole text."""

    id: str
    title: str
    cautions: tuple[str, ...]
    exercises: tuple[str, ...]
    answers: tuple[str, ...]
    citations: tuple[str, ...]


class PhaseBrief(Shape):
    """A relief-plan phase in the compact answer: its dates and its items, shortened."""

    id: str
    title: str
    starts: date | None
    ends: date | None
    items: tuple[AdviceBrief, ...]


class CheckpointBrief(Shape):
    """A checkpoint in the compact answer: when, and its sources, not its text."""

    id: str
    title: str
    date: date | None
    event: str | None
    passed: bool
    citations: tuple[str, ...]


class AssessmentBrief(Assessment):
    """The compact answer (the API's default): the same assessment, with the plan's
    items by id and title instead of their long texts (:mod:`.serialize` writes it)."""

    relief_plan: tuple[PhaseBrief, ...]  # type: ignore[assignment]
    prevention_plan: tuple[AdviceBrief, ...]  # type: ignore[assignment]
    checkpoints: tuple[CheckpointBrief, ...]  # type: ignore[assignment]


AdviceResult.brief_fields = tuple(AdviceBrief.model_fields)
CheckpointResult.brief_fields = tuple(CheckpointBrief.model_fields)
PhaseResult.brief_fields = tuple(PhaseBrief.model_fields)


def _plain(value: Any) -> Any:
    if isinstance(value, Shape):
        return value.__dict__
    if isinstance(value, frozenset | set):
        return sorted(value)
    raise TypeError(type(value).__name__)


#: Every model of the assessment document, outermost first.
SHAPES: tuple[type[Shape], ...] = (
    Assessment,
    ConcernResult,
    FactorResult,
    AdviceResult,
    PhaseResult,
    CheckpointResult,
    Evidence,
)

#: The compact answer's models (the full document's parts, shortened).
BRIEF_SHAPES: tuple[type[Shape], ...] = (AssessmentBrief, PhaseBrief, AdviceBrief, CheckpointBrief)
