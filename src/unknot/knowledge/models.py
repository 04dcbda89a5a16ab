"""Typed models for Unknot's knowledge files, validated when they are loaded.

Every clinical statement lives in ``data/*.yaml``; these classes only check its
shape. A broken file raises :class:`KnowledgeError` naming the file, the item id
and what is wrong.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Level = Literal["emergency", "urgent", "soon", "self_care"]
LEVELS: tuple[Level, ...] = ("self_care", "soon", "urgent", "emergency")
LEVEL_RANK: dict[str, int] = {name: rank for rank, name in enumerate(LEVELS)}

FindingType = Literal["bool", "int", "number", "enum", "set"]


def _fold(value: Any) -> Any:
    """Fold YAML's wrapped lines into single spaces, once, at load time."""
    return " ".join(value.split()) if isinstance(value, str) else value


Text = Annotated[str, BeforeValidator(_fold)]


class KnowledgeError(ValueError):
    """A knowledge file is missing, malformed or inconsistent."""

    def __init__(self, file: str, item: str | None, problem: str) -> None:
        self.file, self.item, self.problem = file, item, problem
        where = f"{file}, {item}" if item else file
        super().__init__(f"{where}: {problem}")


class Strict(BaseModel):
    # built at first validation, not at import: loading from the cache validates nothing
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class FindingSpec(Strict):
    """One fact about a person, with its type and allowed values."""

    name: str = ""
    group: str = ""
    type: FindingType
    values: list[str] = Field(default_factory=list)
    min: float | None = None
    max: float | None = None
    label: str
    safety: bool = False
    skip_when: dict[str, Any] | None = None
    derived_from: list[str] = Field(default_factory=list)


class LevelSpec(Strict):
    rank: int
    title: str
    headline: str
    # What a result at this level says on its first screen (present/ lays it out).
    why: str = ""
    do_now: list[str] = Field(default_factory=list)
    call_now_if: list[str] = Field(default_factory=list)
    tell_clinician: list[str] = Field(default_factory=list)


class Source(Strict):
    id: str
    kind: Literal["seed_article", "guideline"]
    title: str
    file: str | None = None
    url: str | None = None


class WorkedCase(Strict):
    """A small example that a rule must get right: these findings, fires or not."""

    findings: dict[str, Any]
    fires: bool


class TriageRule(Strict):
    """One row of the triage policy: a concern at a level, when a condition holds."""

    id: str
    version: int
    concern: str
    level: Level
    title: str
    when: dict[str, Any]
    explanation: Text
    action: Text
    citations: list[str] = Field(min_length=1)
    cases: list[WorkedCase] = Field(min_length=1)


class Factor(Strict):
    """A contributing factor: why this spasm may have happened."""

    id: str
    version: int
    title: str
    weight: int
    when: dict[str, Any]
    explanation: Text
    advice: Text
    citations: list[str] = Field(min_length=1)
    cases: list[WorkedCase] = Field(min_length=1)


class Phase(Strict):
    id: str
    title: str
    start_day: int
    end_day: int | None = None
    dated: bool = True


class AdviceItem(Strict):
    """A piece of relief or prevention advice, in Unknot's own words."""

    id: str
    version: int
    title: str
    text: Text
    why: Text | None = None
    phase: str | None = None
    answers: list[str] = Field(default_factory=list)
    general: bool = False
    when: dict[str, Any] | None = None
    unless: dict[str, Any] | None = None
    exercises: list[str] = Field(default_factory=list)
    cautions: list[str] = Field(default_factory=list)
    reminder: str | None = None
    # Comfort that fits only a self-care result (never shown with urgent or soon advice).
    self_care_only: bool = False
    citations: list[str] = Field(min_length=1)
    cases: list[WorkedCase] = Field(default_factory=list)


class Exercise(Strict):
    id: str
    version: int
    title: str
    purpose: Text
    steps: list[str] = Field(min_length=1)
    hold_seconds: int | None = None
    repetitions: int
    times_per_day: int = 1
    cautions: list[str] = Field(min_length=1)
    image: str
    image_alt: str = Field(min_length=20)  # start, end and movement, in words
    phases: list[str] = Field(default_factory=list)
    avoid_when: dict[str, Any] | None = None
    citations: list[str] = Field(min_length=1)
    cases: list[WorkedCase] = Field(default_factory=list)


class Checkpoint(Strict):
    """A dated or event-driven point at which to get help or look again."""

    id: str
    version: int
    title: str
    text: Text
    day: int | None = None
    event: str | None = None
    citations: list[str] = Field(min_length=1)


class ChecklistItem(Strict):
    """One tickable line: a finding (``finding``/``value``), a broad question
    covering several findings (``findings``), or "None of these" (``none``)."""

    id: str
    text: Text
    finding: str | None = None
    value: Any = True
    unchecked: Any = None
    findings: list[str] = Field(default_factory=list)
    none: bool = False

    def covers(self) -> list[str]:
        """Every finding this item answers."""
        return [self.finding] if self.finding else list(self.findings)


class QuestionField(Strict):
    """One input on a screen: a finding asked directly, or a checklist."""

    id: str
    kind: Literal["checklist", "number", "choice", "multi"]
    text: Text
    finding: str | None = None
    items: list[ChecklistItem] = Field(default_factory=list)
    choices: dict[str, str] = Field(default_factory=dict)
    ask_when: dict[str, Any] | None = None
    skip_when: dict[str, Any] | None = None
    unit: str | None = None
    after: str | None = None  # "screen.field.item": opens only after that broad item is ticked

    def covers(self) -> list[str]:
        """Every finding this field can set."""
        if self.finding:
            return [self.finding]
        return [name for item in self.items for name in item.covers()]


class Screen(Strict):
    """One screen of the interview: what a person sees and answers at once."""

    id: str
    version: int
    stage: Literal["emergency", "urgent", "about", "episode", "soon", "lifestyle"]
    title: str
    help: str | None = None
    safety: bool = False
    ask_when: dict[str, Any] | None = None
    fields: list[QuestionField] = Field(min_length=1)


class Region(Strict):
    id: str
    name: str
    emergency_number: str
    urgent_line: str | None = None
    # Numbers to dial (tap-to-call): the emergency number(s) and the urgent line.
    emergency_tel: list[str] = Field(default_factory=list)
    urgent_tel: str | None = None
    urgent_name: str | None = None


class LearnTopic(Strict):
    """A short article for the "learn" pages: what a spasm is, causes, treatment..."""

    id: str
    version: int
    title: str
    text: Text
    citations: list[str] = Field(min_length=1)


# --- The diary's rules (diary_rules.yaml) -----------------------------------

CheckpointKind = Literal["not_easing", "still_open", "frequent", "same_place", "red_flag"]
Weekday = Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


class DiaryCheckpointRule(Strict):
    """When a person's record makes a checkpoint of checkpoints.yaml due.

    ``kind`` names the test on the record; the numbers it uses are fields here:
    ``from_day`` (not_easing, still_open), ``episodes`` and ``window_days``
    (frequent, same_place), ``min_level`` (red_flag). ``reason`` is a template
    telling the person why it is shown, filled from the record.
    """

    id: str
    version: int
    checkpoint: str
    kind: CheckpointKind
    from_day: int | None = Field(default=None, ge=0)
    episodes: int | None = Field(default=None, ge=1)
    window_days: int | None = Field(default=None, ge=1)
    min_level: Level | None = None
    reason: Text
    citations: list[str] = Field(min_length=1)


class Remedy(Strict):
    """Something a person tried for an episode. Medicines by class, never a dose."""

    id: str
    kind: Literal["self_care", "medicine"]
    label: str


class FeelingSpec(Strict):
    label: str
    pain_trend: str


class PatternThresholds(Strict):
    min_episodes: int = Field(ge=1)
    min_tries: int = Field(ge=1)


class RoutineItem(Strict):
    """A prevention habit offered as a repeating calendar reminder."""

    id: str
    version: int
    title: str
    text: Text
    times: list[str] = Field(min_length=1)
    days: list[Weekday] = Field(min_length=1)
    minutes: int = Field(ge=1, le=240)
    prevention: str | None = None  # the prevention.yaml item this reminds of
    citations: list[str] = Field(min_length=1)


class ReminderLimits(Strict):
    """How much the calendar reminders may ask of a person."""

    max_alarms_per_day: int = Field(default=3, ge=1, le=6)
    #: With no open episode, the routine runs this many days from the day it is made.
    days_without_episode: int = Field(default=14, ge=1, le=90)


class DiaryRules(Strict):
    version: int
    checkpoint_rules: list[DiaryCheckpointRule] = Field(min_length=1)
    remedies: list[Remedy] = Field(min_length=1)
    feelings: dict[str, FeelingSpec]
    danger_signs: list[str] = Field(min_length=1)
    patterns: PatternThresholds
    routine: list[RoutineItem] = Field(default_factory=list)
    reminders: ReminderLimits = Field(default_factory=ReminderLimits)

    @model_validator(mode="after")
    def _routine_within_alarm_limit(self) -> DiaryRules:
        for day in ("MO", "TU", "WE", "TH", "FR", "SA", "SU"):
            alarms = sum(len(item.times) for item in self.routine if day in item.days)
            if alarms > self.reminders.max_alarms_per_day:
                raise ValueError(
                    f"routine: {alarms} reminders on {day}, more than "
                    f"reminders.max_alarms_per_day ({self.reminders.max_alarms_per_day})"
                )
        return self
