"""What goes into the diary and what comes out, as Pydantic models.

Inputs (``EpisodeIn``, ``EpisodeUpdate``, ``CheckinIn``) are checked against the
finding catalogue and the diary rules: body regions, triggers, remedies and
danger signs must be known names, pain is 0 to 10, no date is in the future and
nothing ends before it starts. :func:`parse` turns any problem into one
:class:`DiaryInputError` naming the field, which the CLI turns into exit code 2
and the web app into a 422. Outputs are plain frozen models, JSON-ready with
``model_dump(mode="json")``.

Times are the person's local wall-clock time, stored without a zone; a time
given with a zone is converted to local time first. Dates before 1900 or after
2199 are refused (see :mod:`unknot.bounds`). In JSON, output times carry the
machine's UTC offset (RFC 3339, as their ``date-time`` schema says).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..bounds import check_moment
from ..engine.results import Assessment
from ..knowledge import LEVELS, load_knowledge
from ..knowledge.loader import load_diary_rules

Feeling = Literal["better", "same", "worse"]
FEELINGS: tuple[Feeling, ...] = ("better", "same", "worse")
#: Clock difference tolerated before a time counts as "in the future".
FUTURE_SLACK = timedelta(minutes=2)
NOTES_MAX = 10_000

M = TypeVar("M", bound=BaseModel)


class DiaryInputError(ValueError):
    """Bad input for the diary: ``field`` and a message saying what is allowed."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(f"{field}: {message}")


class FieldProblem(ValueError):
    """Raised inside a whole-model check; :func:`parse` reports it under ``field``."""

    def __init__(self, field: str, message: str) -> None:
        self.field, self.message = field, message
        super().__init__(message)


def parse(
    model: type[M], data: dict[str, Any], *, now: datetime | None = None, json: bool = False
) -> M:
    """Validate ``data`` as ``model``; any problem becomes one DiaryInputError.

    ``now`` is the moment that counts as the present (for tests and imports).
    ``json``: the data is a JSON body, whose numbers and booleans must be JSON's
    own (``"5"`` is not a pain score there, ``1`` is not ``true``); forms and the
    command line send text, which is read as numbers.
    """
    try:
        return model.model_validate(
            data, context={"now": now or datetime.now(), "json": json}
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        problem = err.get("ctx", {}).get("error")
        where = ".".join(str(p) for p in err["loc"])
        if isinstance(problem, FieldProblem):
            field = f"{where}.{problem.field}" if where else problem.field
            raise DiaryInputError(field, problem.message) from None
        field = where or "input"
        message = str(err["msg"]).removeprefix("Value error, ")
        if str(err["type"]).startswith(("datetime", "date_")):
            message = "must be a date and time like 2024-05-01 08:30 (or just 2024-05-01)"
        if err["type"] != "value_error" and "input" in err and len(repr(err["input"])) <= 40:
            message += f" (got {err['input']!r})"  # short values only: never echo a whole note
        raise DiaryInputError(field, message) from None


def local_naive(value: datetime) -> datetime:
    """A time as local wall-clock time without a zone (seconds kept, microseconds dropped)."""
    if value.tzinfo is not None:
        value = value.astimezone().replace(tzinfo=None)
    return value.replace(microsecond=0)


def _now(info: ValidationInfo) -> datetime:
    context = info.context if isinstance(info.context, dict) else {}
    now = context.get("now")
    return now if isinstance(now, datetime) else datetime.now()


def _not_future(value: datetime | None, info: ValidationInfo) -> datetime | None:
    if value is None:
        return None
    value = local_naive(check_moment(value))
    if value > _now(info) + FUTURE_SLACK:
        raise ValueError(f"is in the future ({value.isoformat(sep=' ')}); enter a time up to now")
    return value


def _written_time(value: Any) -> Any:
    """Times come written out (2024-05-01 08:30), not as numbers read as timestamps."""
    if value is not None and not isinstance(value, str | datetime):
        raise ValueError("must be a date and time like 2024-05-01 08:30 (or just 2024-05-01)")
    return value


def _from_json(info: ValidationInfo) -> bool:
    return isinstance(info.context, dict) and bool(info.context.get("json"))


def _whole_number(value: Any, info: ValidationInfo) -> Any:
    """true and false are not numbers; in JSON, neither is text."""
    if isinstance(value, bool) or (_from_json(info) and isinstance(value, str)):
        raise ValueError("must be a whole number from 0 to 10")
    return value


def _json_bool(value: Any, info: ValidationInfo) -> Any:
    if _from_json(info) and value is not None and not isinstance(value, bool):
        raise ValueError("must be true, false or null")
    return value


def _pain(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= 10:
        raise ValueError(f"must be a whole number from 0 to 10, got {value}")
    return value


def known_level(value: str | None) -> str | None:
    """A triage level name (emergency, urgent, soon, self_care), or None."""
    if value is not None and value not in LEVELS:
        raise ValueError(f"must be one of {', '.join(LEVELS)}, got {value!r}")
    return value


def _known(values: list[str], allowed: list[str], what: str) -> list[str]:
    bad = [v for v in values if v not in allowed]
    if bad:
        raise ValueError(f"unknown {what} {', '.join(bad)}; allowed: {', '.join(allowed)}")
    return list(dict.fromkeys(values))  # drop repeats, keep order


def _regions(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return _known(values, load_knowledge().findings["location"].values, "body region(s)")


def _triggers(values: list[str] | None) -> list[str] | None:
    if values is None:
        return None
    return _known(values, load_knowledge().findings["trigger"].values, "trigger(s)")


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class TriedIn(Input):
    """One thing tried for an episode, and whether it helped (None: not sure yet)."""

    remedy: str
    helped: bool | None = None

    _helped = field_validator("helped", mode="before")(_json_bool)

    @field_validator("remedy")
    @classmethod
    def _remedy(cls, value: str) -> str:
        allowed = [r.id for r in load_diary_rules().remedies]
        return _known([value], allowed, "remedy")[0]


def _unique_tried(items: list[TriedIn] | None) -> list[TriedIn] | None:
    if items is None:
        return None
    merged: dict[str, TriedIn] = {}
    for item in items:
        merged[item.remedy] = item  # the last answer for a remedy wins
    return list(merged.values())


def _readable(value: Assessment | None) -> Assessment | None:
    if value is not None and value.level is None:
        raise ValueError(
            "has no triage level (the words could not be read): answer the questions first"
        )
    return value


#: What an episode keeps of an assessment: the engine's whole document, checked.
AssessmentIn = Assessment


class EpisodeIn(Input):
    """A new episode: when it began, where, how bad, and what was tried."""

    started_at: datetime
    ended_at: datetime | None = None
    regions: list[str] = Field(default_factory=list)
    peak_pain: int | None = None
    triggers: list[str] = Field(default_factory=list)
    tried: list[TriedIn] = Field(default_factory=list)
    notes: str = Field(default="", max_length=NOTES_MAX)
    assessment: Assessment | None = None

    _assessment = field_validator("assessment")(_readable)
    _dates = field_validator("started_at", "ended_at")(_not_future)
    _written = field_validator("started_at", "ended_at", mode="before")(_written_time)
    _pain = field_validator("peak_pain")(_pain)
    _number = field_validator("peak_pain", mode="before")(_whole_number)
    _regions = field_validator("regions")(_regions)
    _triggers = field_validator("triggers")(_triggers)
    _tried = field_validator("tried")(_unique_tried)

    @model_validator(mode="after")
    def _order(self) -> EpisodeIn:
        if self.ended_at is not None and self.ended_at < self.started_at:
            raise FieldProblem("ended_at", "is before the episode started")
        return self


class EpisodeUpdate(Input):
    """Changes to an episode; fields left out stay as they are."""

    started_at: datetime | None = None
    ended_at: datetime | None = None
    regions: list[str] | None = None
    peak_pain: int | None = None
    triggers: list[str] | None = None
    tried: list[TriedIn] | None = None
    notes: str | None = Field(default=None, max_length=NOTES_MAX)

    _dates = field_validator("started_at", "ended_at")(_not_future)
    _written = field_validator("started_at", "ended_at", mode="before")(_written_time)
    _pain = field_validator("peak_pain")(_pain)
    _number = field_validator("peak_pain", mode="before")(_whole_number)
    _regions = field_validator("regions")(_regions)
    _triggers = field_validator("triggers")(_triggers)
    _tried = field_validator("tried")(_unique_tried)


class CheckinIn(Input):
    """A daily check-in on an episode; ``danger_signs`` maps finding names to values."""

    at: datetime
    pain: int
    feeling: Feeling
    danger_signs: dict[str, Any] = Field(default_factory=dict)
    notes: str = Field(default="", max_length=NOTES_MAX)

    _at = field_validator("at")(_not_future)
    _written = field_validator("at", mode="before")(_written_time)
    _pain = field_validator("pain")(_pain)
    _number = field_validator("pain", mode="before")(_whole_number)

    @field_validator("danger_signs")
    @classmethod
    def _signs(cls, value: dict[str, Any]) -> dict[str, Any]:
        from ..engine.findings import FindingsError, normalise_value

        rules, kb = load_diary_rules(), load_knowledge()
        out: dict[str, Any] = {}
        for name, raw in value.items():
            if name not in rules.danger_signs:
                raise ValueError(
                    f"unknown danger sign {name!r}; allowed: {', '.join(rules.danger_signs)}"
                )
            try:
                out[name] = normalise_value(kb.findings[name], raw)
            except FindingsError as exc:
                raise ValueError(f"{name} {exc.message}") from None
        return out


# --- What comes out ------------------------------------------------------------


def _with_offset(value: datetime) -> datetime:
    """A stored local time with the machine's UTC offset, for JSON."""
    return value.astimezone() if value.tzinfo is None else value


#: A local wall-clock time; in JSON it carries its UTC offset (``2024-05-01T08:30:00+01:00``).
LocalTime = Annotated[
    datetime, PlainSerializer(_with_offset, return_type=datetime, when_used="json")
]


class Output(BaseModel):
    model_config = ConfigDict(frozen=True)


class Tried(Output):
    remedy: str
    label: str
    kind: str
    helped: bool | None


class TriageRecord(Output):
    """A triage result kept with an episode: from an assessment or a check-in."""

    at: LocalTime
    source: Literal["assessment", "checkin"]
    level: str
    level_title: str
    headline: str
    concerns: list[dict[str, Any]]
    factors: list[dict[str, Any]]
    findings: dict[str, Any]
    knowledge_version: str
    region: str | None = None
    checkin_uid: str | None = None
    assessment: Assessment | None = Field(
        default=None, description="The whole assessment document, as the engine gave it."
    )


class Checkin(Output):
    id: int
    uid: str
    episode_id: int
    at: LocalTime
    pain: int
    feeling: Feeling
    danger_signs: dict[str, Any]
    notes: str
    triage_level: str | None


class Episode(Output):
    """One episode as listed; ``worst_pain`` also counts the check-ins."""

    id: int
    uid: str
    started_at: LocalTime
    ended_at: LocalTime | None
    regions: list[str]
    peak_pain: int | None
    triggers: list[str]
    tried: list[Tried]
    notes: str
    level: str | None
    checkin_count: int = 0
    worst_pain: int | None = None

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def duration(self) -> timedelta | None:
        return None if self.ended_at is None else self.ended_at - self.started_at


class EpisodeDetail(Episode):
    checkins: list[Checkin] = Field(default_factory=list)
    triage: list[TriageRecord] = Field(default_factory=list)


class RemedyStat(Output):
    """One remedy across the diary: how often tried, helped, did not (patterns)."""

    remedy: str
    label: str
    kind: str
    tried: int
    helped: int
    not_helped: int
    enough: bool
    note: str
