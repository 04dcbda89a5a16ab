"""Read the YAML files in ``data/`` into typed, cross-checked knowledge."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import VERSION as PYDANTIC_VERSION
from pydantic import BaseModel, ValidationError

from . import codegen
from .codegen import Positions
from .conditions import Compiled, ConditionError, compile_condition, findings_used
from .models import (
    LEVEL_RANK,
    AdviceItem,
    Checkpoint,
    DiaryRules,
    Exercise,
    Factor,
    FindingSpec,
    KnowledgeError,
    LearnTopic,
    LevelSpec,
    Phase,
    Region,
    Screen,
    Source,
    TriageRule,
)

DATA_PACKAGE = "unknot.knowledge.data"
FILES = (
    "findings.yaml",
    "sources.yaml",
    "triage_rules.yaml",
    "factors.yaml",
    "questions.yaml",
    "relief.yaml",
    "prevention.yaml",
    "exercises.yaml",
    "checkpoints.yaml",
    "regions.yaml",
    "learn.yaml",
)

# The sentences the assessment says itself (findings.yaml "texts").
ASSESSMENT_TEXTS = (
    "provisional_one",
    "provisional_many",
    "doubtful_one",
    "doubtful_many",
    "no_warning_signs",
    "unread_title",
    "unread_screen_title",
    "unread_screen_headline",
    "unread_screen_why",
    "unread_do_first",
    "unread_do_call",
    "provisional_do_first",
    "unanswered_title",
    "unanswered_intro",
    "failed_why_end",
    "unread_headline",
)

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Knowledge:
    """Everything the engine knows, checked and ready to use."""

    version: str
    findings: dict[str, FindingSpec]
    groups: dict[str, list[str]]
    levels: dict[str, LevelSpec]
    sources: dict[str, Source]
    rules: list[TriageRule]
    factors: list[Factor]
    screens: list[Screen]
    phases: list[Phase]
    relief: list[AdviceItem]
    prevention: list[AdviceItem]
    exercises: dict[str, Exercise]
    checkpoints: list[Checkpoint]
    regions: dict[str, Region]
    default_region: str
    disclaimer: str
    compiled: dict[str, Compiled] = field(repr=False)
    concerns: tuple[str, ...] = ()
    learn: tuple[LearnTopic, ...] = ()
    texts: dict[str, str] = field(default_factory=dict)

    def condition(self, key: str) -> Compiled:
        """The compiled condition stored under ``key`` (e.g. ``rule:<id>``)."""
        return self.compiled[key]

    @cached_property
    def rule_index(self) -> RuleIndex[TriageRule]:
        entries = [(r, self.compiled[f"rule:{r.id}"], r.when) for r in self.rules]
        return RuleIndex(entries, self._derived_inputs)

    @cached_property
    def factor_index(self) -> RuleIndex[Factor]:
        entries = [(f, self.compiled[f"factor:{f.id}"], f.when) for f in self.factors]
        return RuleIndex(entries, self._derived_inputs)

    @cached_property
    def safety_order(self) -> tuple[str, ...]:
        """Safety findings read by the triage rules, those of the most urgent rules first."""
        names: dict[str, None] = {}
        for rule in sorted(self.rules, key=lambda r: -LEVEL_RANK[r.level]):
            for name in sorted(findings_used(rule.when)):
                if self.findings[name].safety:
                    names.setdefault(name)
        return tuple(names)

    @cached_property
    def rules_holding(self) -> Positions:
        """Positions in ``rules`` of the triage rules that hold (generated code, see
        :mod:`.codegen`): what ``rule_index`` and the closures decide, in one call."""
        return self._holding([r.when for r in self.rules])

    @cached_property
    def factors_holding(self) -> Positions:
        """Positions in ``factors`` of the factors that hold (as :attr:`rules_holding`)."""
        return self._holding([f.when for f in self.factors])

    @cached_property
    def safety_bits(self) -> dict[str, int]:
        """Each safety finding's bit (1 << its place in :attr:`safety_order`)."""
        return {name: 1 << i for i, name in enumerate(self.safety_order)}

    @cached_property
    def safety_needed(self) -> Callable[[Mapping[str, Any]], int]:
        """The safety findings read by the triage rules that could still hold or
        fail (three-valued reading None), as :attr:`safety_bits` or-ed together
        (generated code, see :mod:`.codegen`)."""
        bits = self.safety_bits
        masks = [sum(bits.get(n, 0) for n in findings_used(r.when)) for r in self.rules]
        return codegen.undecided_mask([r.when for r in self.rules], self._set_findings, masks)

    @cached_property
    def safety_skips(self) -> tuple[tuple[str, Compiled, bool], ...]:
        """(finding, its compiled ``skip_when``, whether it is yes/no) for the safety
        findings that have one, in :attr:`safety_order`."""
        return tuple(
            (name, self.compiled[f"skip:{name}"], self.findings[name].type == "bool")
            for name in self.safety_order
            if f"skip:{name}" in self.compiled
        )

    def _holding(self, conds: list[Any]) -> Positions:
        derived = self._derived_inputs
        needs = [
            frozenset(s for n in findings_used(c) for s in derived.get(n, [n]))
            if codegen.reads_absence(c)
            else None
            for c in conds
        ]
        return codegen.holding(conds, self._set_findings, needs)

    @property
    def _set_findings(self) -> frozenset[str]:
        return frozenset(n for n, s in self.findings.items() if s.type == "set")

    @property
    def _derived_inputs(self) -> dict[str, list[str]]:
        return {n: s.derived_from for n, s in self.findings.items() if s.derived_from}


class RuleIndex(Generic[T]):
    """Items with conditions, indexed by the findings they read.

    Only items that read at least one known finding can fire, so ``candidates``
    skips the rest (in file order, which keeps results stable).
    """

    def __init__(
        self, entries: list[tuple[T, Compiled, Any]], derived: Mapping[str, list[str]]
    ) -> None:
        self.entries = entries
        self.by_finding: dict[str, list[int]] = {}
        for i, (_, _, cond) in enumerate(entries):
            for name in findings_used(cond):
                for source in derived.get(name, [name]):
                    self.by_finding.setdefault(source, []).append(i)

    def candidates(self, findings: Mapping[str, Any]) -> list[tuple[T, Compiled, Any]]:
        picked: set[int] = set()
        for name in findings:
            hit = self.by_finding.get(name)
            if hit:
                picked.update(hit)
        return [self.entries[i] for i in sorted(picked)]


def _read(name: str) -> Any:
    import yaml  # only when the knowledge is built, not when it comes from the cache

    # libyaml's parser when PyYAML has it (about ten times faster), else the pure-Python one
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeError(name, None, "file is missing") from exc
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:
        raise KnowledgeError(name, None, f"not valid YAML: {exc}") from exc


_FILE_READER = _read  # tests replace ``_read``; the cache serves only the real files


def _models(file: str, raw: Any, key: str, model: type[M]) -> list[M]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get(key), list):
        raise KnowledgeError(file, None, f"expected a top-level list '{key}'")
    out: list[M] = []
    seen: set[str] = set()
    for i, item in enumerate(raw[key]):
        ident = item.get("id", f"item #{i + 1}") if isinstance(item, Mapping) else f"item #{i + 1}"
        try:
            parsed = model.model_validate(item)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise KnowledgeError(file, str(ident), problems) from exc
        if ident in seen:
            raise KnowledgeError(file, str(ident), "duplicate id")
        seen.add(str(ident))
        out.append(parsed)
    return out


def _catalogue(raw: Any) -> tuple[dict[str, FindingSpec], dict[str, list[str]]]:
    findings: dict[str, FindingSpec] = {}
    groups: dict[str, list[str]] = {}
    for group, entries in raw["groups"].items():
        groups[group] = list(entries)
        for name, spec in entries.items():
            try:
                findings[name] = FindingSpec.model_validate({**spec, "name": name, "group": group})
            except ValidationError as exc:
                raise KnowledgeError("findings.yaml", name, str(exc)) from exc
    for name, spec in raw.get("derived", {}).items():
        body = {k: v for k, v in spec.items() if k != "from"}
        findings[name] = FindingSpec.model_validate(
            {**body, "name": name, "group": "derived", "derived_from": spec.get("from", [])}
        )
    return findings, groups


def _compile(file: str, item: str, cond: Any, findings: Mapping[str, FindingSpec]) -> Compiled:
    try:
        return compile_condition(cond, findings)
    except ConditionError as exc:
        raise KnowledgeError(file, item, str(exc)) from exc


@cache
def load_knowledge() -> Knowledge:
    """The knowledge, validated and cross-checked (cached per process).

    The first run builds it from the YAML files and keeps the checked result in
    the user's cache folder under a hash of the files' bytes; later runs load that
    in milliseconds. A cache that is stale, unreadable or of another version is
    rebuilt from the files, never trusted (see "The compiled cache" below).
    """
    if _read is not _FILE_READER or os.environ.get("UNKNOT_KNOWLEDGE_CACHE") == "off":
        return build_knowledge()
    return _cached_knowledge()


def build_knowledge() -> Knowledge:
    """Read, validate, compile and cross-check every knowledge file (no cache)."""
    raw = {name: _read(name) for name in FILES}
    digest = hashlib.sha256()
    for name in FILES:
        # the content, not the layout: comments and wrapping do not change the version
        digest.update(json.dumps(raw[name], sort_keys=True, default=str).encode())

    findings, groups = _catalogue(raw["findings.yaml"])
    levels = {k: LevelSpec.model_validate(v) for k, v in raw["findings.yaml"]["levels"].items()}
    sources = {s.id: s for s in _models("sources.yaml", raw["sources.yaml"], "sources", Source)}
    rules = _models("triage_rules.yaml", raw["triage_rules.yaml"], "rules", TriageRule)
    factors = _models("factors.yaml", raw["factors.yaml"], "factors", Factor)
    screens = _models("questions.yaml", raw["questions.yaml"], "screens", Screen)
    phases = _models("relief.yaml", raw["relief.yaml"], "phases", Phase)
    relief = _models("relief.yaml", raw["relief.yaml"], "items", AdviceItem)
    prevention = _models("prevention.yaml", raw["prevention.yaml"], "items", AdviceItem)
    exercises = {
        e.id: e for e in _models("exercises.yaml", raw["exercises.yaml"], "exercises", Exercise)
    }
    checkpoints = _models("checkpoints.yaml", raw["checkpoints.yaml"], "checkpoints", Checkpoint)
    regions_raw = raw["regions.yaml"]
    regions = {r.id: r for r in _models("regions.yaml", regions_raw, "regions", Region)}

    kb = Knowledge(
        version=f"kb-{digest.hexdigest()[:12]}",
        findings=findings,
        groups=groups,
        levels=levels,
        sources=sources,
        rules=rules,
        factors=factors,
        screens=screens,
        phases=phases,
        relief=relief,
        prevention=prevention,
        exercises=exercises,
        checkpoints=checkpoints,
        regions=regions,
        default_region=str(regions_raw.get("default", "")),
        disclaimer=" ".join(str(regions_raw.get("disclaimer", "")).split()),
        compiled={},
        concerns=tuple(raw["findings.yaml"].get("concerns", ())),
        texts={
            k: " ".join(str(v).split()) for k, v in raw["findings.yaml"].get("texts", {}).items()
        },
        learn=tuple(_models("learn.yaml", raw["learn.yaml"], "topics", LearnTopic)),
    )
    kb = replace(kb, compiled=_compile_all(kb))
    _cross_check(kb)
    return kb


def _cross_check(kb: Knowledge) -> None:
    """References between files must resolve; this runs on every load."""
    for file, items in (
        ("triage_rules.yaml", kb.rules),
        ("factors.yaml", kb.factors),
        ("relief.yaml", kb.relief),
        ("prevention.yaml", kb.prevention),
        ("exercises.yaml", list(kb.exercises.values())),
        ("checkpoints.yaml", kb.checkpoints),
        ("learn.yaml", list(kb.learn)),
    ):
        for item in items:
            for cite in item.citations:
                if cite not in kb.sources:
                    raise KnowledgeError(file, item.id, f"cites unknown source '{cite}'")
    for rule in kb.rules:
        if rule.concern not in kb.concerns:
            raise KnowledgeError("triage_rules.yaml", rule.id, f"unknown concern '{rule.concern}'")
    factor_ids = {f.id for f in kb.factors}
    phase_ids = {p.id for p in kb.phases}
    for item in kb.relief + kb.prevention:
        for ex in item.exercises:
            if ex not in kb.exercises:
                raise KnowledgeError("advice", item.id, f"names unknown exercise '{ex}'")
        for fac in item.answers:
            if fac not in factor_ids:
                raise KnowledgeError("prevention.yaml", item.id, f"answers unknown factor '{fac}'")
    for item in kb.relief:
        if item.phase not in phase_ids:
            raise KnowledgeError("relief.yaml", item.id, f"unknown phase '{item.phase}'")
    _check_screens(kb)
    for key in ASSESSMENT_TEXTS:
        if not kb.texts.get(key):
            raise KnowledgeError("findings.yaml", "texts", f"missing the sentence '{key}'")
    if kb.default_region not in kb.regions:
        raise KnowledgeError("regions.yaml", None, f"default region '{kb.default_region}' unknown")


def _check_screens(kb: Knowledge) -> None:
    """Every finding named exists; every broad item has its details; every `after` resolves."""
    broad: set[str] = set()
    for screen in kb.screens:
        for fld in screen.fields:
            where = f"{screen.id}.{fld.id}"
            for name in fld.covers():
                if name not in kb.findings:
                    raise KnowledgeError("questions.yaml", where, f"unknown finding '{name}'")
            for item in fld.items:
                kinds = [bool(item.finding), bool(item.findings), item.none]
                if sum(kinds) != 1:
                    raise KnowledgeError(
                        "questions.yaml",
                        f"{where}.{item.id}",
                        "an item needs exactly one of finding, findings or none",
                    )
                if item.findings:
                    broad.add(f"{where}.{item.id}")
    opened = {fld.after for s in kb.screens for fld in s.fields if fld.after}
    for ref in sorted(opened - broad):
        raise KnowledgeError("questions.yaml", ref, "`after` names no broad checklist item")
    for ref in sorted(broad - opened):
        raise KnowledgeError("questions.yaml", ref, "broad item has no field to ask the details")


# --- The compiled cache ---------------------------------------------------------
#
# What is stored is the checked knowledge without its compiled conditions
# (closures cannot be pickled); those are compiled again on load from the
# checked conditions, which takes about a millisecond. The file's name and its
# first field carry a hash of the data files, Unknot's version and the Python
# and Pydantic versions: any change gives another name, so a stale file is never
# read. A file that cannot be read back whole is rebuilt and replaced.

CACHE_FORMAT = "unknot-knowledge-1"


def data_digest() -> str:
    """A hash of every knowledge file's bytes and of what reads them."""
    from .. import __version__

    digest = hashlib.sha256()
    head = f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:3]}|{PYDANTIC_VERSION}"
    digest.update(head.encode())
    base = resources.files(DATA_PACKAGE)
    for name in FILES:
        try:
            data = base.joinpath(name).read_bytes()
        except FileNotFoundError:
            data = b"\0missing"
        digest.update(f"|{name}|{len(data)}|".encode())
        digest.update(data)
    return digest.hexdigest()


def _cache_path(key: str) -> Path:
    from ..cachedir import cache_dir

    return Path(cache_dir()) / f"knowledge-{key[:32]}.pickle"


def _compile_all(kb: Knowledge) -> dict[str, Compiled]:
    """Every condition in the knowledge, compiled, under its key (e.g. ``rule:<id>``)."""
    compiled: dict[str, Compiled] = {}
    for name, spec in kb.findings.items():
        if spec.skip_when is not None:
            compiled[f"skip:{name}"] = _compile("findings.yaml", name, spec.skip_when, kb.findings)
    for rule in kb.rules:
        compiled[f"rule:{rule.id}"] = _compile("triage_rules.yaml", rule.id, rule.when, kb.findings)
    for factor in kb.factors:
        compiled[f"factor:{factor.id}"] = _compile(
            "factors.yaml", factor.id, factor.when, kb.findings
        )
    for file, items in (("relief.yaml", kb.relief), ("prevention.yaml", kb.prevention)):
        for item in items:
            if item.when is not None:
                compiled[f"when:{item.id}"] = _compile(file, item.id, item.when, kb.findings)
            if item.unless is not None:
                compiled[f"unless:{item.id}"] = _compile(file, item.id, item.unless, kb.findings)
    for ex in kb.exercises.values():
        if ex.avoid_when is not None:
            compiled[f"avoid:{ex.id}"] = _compile(
                "exercises.yaml", ex.id, ex.avoid_when, kb.findings
            )
    for screen in kb.screens:
        if screen.ask_when is not None:
            compiled[f"screen:{screen.id}"] = _compile(
                "questions.yaml", screen.id, screen.ask_when, kb.findings
            )
        for fld in screen.fields:
            for attr in ("ask_when", "skip_when"):
                cond = getattr(fld, attr)
                if cond is not None:
                    compiled[f"{attr}:{screen.id}.{fld.id}"] = _compile(
                        "questions.yaml", f"{screen.id}.{fld.id}", cond, kb.findings
                    )
    return compiled


_STORED = tuple(f.name for f in fields(Knowledge) if f.name != "compiled")


def _read_cache(path: Path, key: str) -> Knowledge | None:
    from ..cachedir import read_stored

    values = read_stored(str(path), CACHE_FORMAT, key, _STORED)
    if values is None:
        return None
    try:
        kb = Knowledge(**values, compiled={})
        return replace(kb, compiled=_compile_all(kb))
    except Exception:  # stored by other code: rebuild, never trust
        return None


def _write_cache(path: Path, key: str, kb: Knowledge) -> None:
    from ..cachedir import store

    store(str(path), CACHE_FORMAT, key, {name: getattr(kb, name) for name in _STORED})


def _cached_knowledge() -> Knowledge:
    key = data_digest()
    path = _cache_path(key)
    kb = _read_cache(path, key)
    if kb is None:
        kb = build_knowledge()
        _write_cache(path, key, kb)
    return kb


# --- The diary's rules --------------------------------------------------------

DIARY_RULES_FILE = "diary_rules.yaml"
_RULE_NEEDS: dict[str, tuple[str, ...]] = {
    "not_easing": ("from_day",),
    "still_open": ("from_day",),
    "frequent": ("episodes", "window_days"),
    "same_place": ("episodes", "window_days"),
    "red_flag": ("min_level",),
}


@cache
def load_diary_rules() -> DiaryRules:
    """Load and cross-check ``diary_rules.yaml`` against the rest of the knowledge."""
    file = DIARY_RULES_FILE
    raw = _read(file)
    try:
        rules = DiaryRules.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
        )
        raise KnowledgeError(file, None, problems) from exc
    kb = load_knowledge()
    checkpoint_ids = {c.id for c in kb.checkpoints}
    seen: set[str] = set()
    for rule in rules.checkpoint_rules:
        if rule.id in seen:
            raise KnowledgeError(file, rule.id, "duplicate id")
        seen.add(rule.id)
        if rule.checkpoint not in checkpoint_ids:
            raise KnowledgeError(file, rule.id, f"unknown checkpoint '{rule.checkpoint}'")
        for name in _RULE_NEEDS[rule.kind]:
            if getattr(rule, name) is None:
                raise KnowledgeError(file, rule.id, f"a '{rule.kind}' rule needs '{name}'")
    cited = [(r.id, r.citations) for r in rules.checkpoint_rules]
    cited += [(r.id, r.citations) for r in rules.routine]
    for ident, citations in cited:
        for cite in citations:
            if cite not in kb.sources:
                raise KnowledgeError(file, ident, f"cites unknown source '{cite}'")
    remedy_ids = [r.id for r in rules.remedies]
    if len(set(remedy_ids)) != len(remedy_ids):
        raise KnowledgeError(file, "remedies", "duplicate remedy id")
    trends = kb.findings["pain_trend"].values
    for name, feeling in rules.feelings.items():
        if feeling.pain_trend not in trends:
            problem = f"unknown pain_trend '{feeling.pain_trend}'"
            raise KnowledgeError(file, f"feelings.{name}", problem)
    for sign in rules.danger_signs:
        spec = kb.findings.get(sign)
        if spec is None or spec.type not in ("bool", "enum"):
            problem = f"'{sign}' is not a yes/no or choice finding"
            raise KnowledgeError(file, "danger_signs", problem)
    prevention_ids = {p.id for p in kb.prevention}
    for item in rules.routine:
        if item.prevention is not None and item.prevention not in prevention_ids:
            problem = f"unknown prevention item '{item.prevention}'"
            raise KnowledgeError(file, item.id, problem)
        for hhmm in item.times:
            hour, _, minute = hhmm.partition(":")
            if not (hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
                raise KnowledgeError(file, item.id, f"time '{hhmm}' is not HH:MM")
    return rules
