"""The lay-language lexicon: how people say each finding, as reviewable data.

``knowledge/data/lexicon/`` holds every pattern the intake knows, in small
files a clinician can review: ``core.yaml`` (what all entries share),
``context.yaml`` (negation, doubt, the past, other people) and one file of
entries per family of findings (``cauda_equina.yaml``, ``nerves.yaml``,
``infection.yaml``, ``slang.yaml``, ...), listed in ``core.yaml`` under
``files``. This module checks their shape and compiles them; a broken
lexicon is reported as a ``KnowledgeError`` naming the file and the entry.

Together the files have these parts:

- ``macros``: regex fragments used in patterns as ``{name}`` (``num`` and
  ``qty`` are built here from ``number_words`` and ``quantity_words``).
- ``entries``: what a phrase means. Each has ``patterns`` (regexes, matched
  case-insensitively on whole words), ``sets`` (finding -> value when the
  phrase is affirmed), optional ``negated`` and ``past`` values, and
  ``examples`` / ``not_examples`` checked on every load.
- ``context``: ConText rules in lay language (negation, doubt, family and
  other people, hypotheticals, the past, and scope terminators), compiled
  here for the reader (``context.py``); token patterns may use LOWER, ORTH,
  IS_PUNCT, LIKE_NUM, SHAPE (a value or ``{IN: [...]}``) and ``OP: '?'``.
- ``subject``: words that show the text is about someone else.
- ``limbs``: which limb a numbness, tingling or weakness is in.
- ``merge``: how several mentions of one finding combine.
- ``defaults``: values implied by the text as a whole.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import pickle
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..knowledge import Knowledge, KnowledgeError, load_knowledge
from .anchors import Prefilter, Rarity, alternatives, first_class
from .context import RuleError, compile_rules, phrase_tokens
from .regexcode import Code, precompile, restore

FOLDER = "lexicon"
FILE = f"{FOLDER}/core.yaml"
CONTEXT_FILE = f"{FOLDER}/context.yaml"
CATEGORIES = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HISTORICAL",
    "RECENT_PAST",
    "HYPOTHETICAL",
    "FAMILY",
)
_MACRO = re.compile(r"\{([a-z_]+)\}")
_GROUP = re.compile(r"\(\?P<([a-z_]+)>")
_SPACE = re.compile(r" ([?*+])?")


def _space(m: re.Match[str]) -> str:
    """A space in a pattern matches any whitespace; " ?" and " *" make it optional."""
    return r"\s*" if m.group(1) in ("?", "*") else r"\s+"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Computed(Strict):
    """A value read from the words matched: a number, a unit, a threshold, a word map.

    ``from``: the named group holding the number (or the word, with ``map``).
    ``units``/``unit``: multiply by the unit word found in group ``unit``
    (e.g. weeks -> 7). ``scale``: a fixed multiplier. ``plus``/``plus_scale``:
    add a second group (feet and inches). ``at_least``: turn the number into
    true/false against a threshold (a temperature into fever). ``date``: the
    words are a day ("Tuesday", "the 3rd", "28 November"): the number of days
    from it to today.
    """

    source: str = Field(alias="from")
    scale: float = 1.0
    unit: str = "unit"
    units: dict[str, float] | None = None
    plus: str | None = None
    plus_scale: float = 1.0
    at_least: float | None = None
    map: dict[str, Any] | None = None
    date: bool = False


class Side(Strict):
    """Which legs: resolved from the limb words near the mention (see ``limbs``).

    ``default``: the value when no limb is named (``None``: no finding).
    ``arm``: the finding set to true instead when the limb is an arm.
    """

    side: Literal[True]
    default: str | None = None
    arm: str | None = None


Value = bool | int | float | str | list[str] | Computed | Side


# RECENT_PAST ("last month") is the past for a symptom, but recent for an
# infection or a procedure; an entry that ignores HISTORICAL ignores it too.
Category = Literal[
    "NEGATED_EXISTENCE", "POSSIBLE_EXISTENCE", "HISTORICAL", "RECENT_PAST", "HYPOTHETICAL", "FAMILY"
]


class Entry(Strict):
    """One way of saying something, and the findings it means.

    ``negated``: values when the phrase is negated ("no fever"); left out,
    true/false findings become false and leg findings ``none``.
    ``past``: values when the phrase is told as past ("injured my back years
    ago": an earlier injury); left out, a past mention is dropped.
    ``recent``: values when told as the recent past ("a UTI last month" is a
    recent infection); left out, the recent past counts as the past.
    ``ignore_context``: ConText categories that do not change this phrase
    (cancer years ago is still cancer history; "don't exercise" is already
    negative).
    ``about``: ``writer`` for phrases only about the writer ("I'm 34"),
    ``other`` for phrases about someone else ("he's 61").
    ``claims_time``: time words in the same sentence date this fact, not
    the spasm ("cancer five years ago").
    ``overlaps``: may overlap other phrases (body places, sides).
    """

    id: str
    patterns: list[str] = Field(min_length=1)
    sets: dict[str, Value]
    negated: dict[str, Value] | None = None
    past: dict[str, Value] | None = None
    recent: dict[str, Value] | None = None
    ignore_context: list[Category] = Field(default_factory=list)
    about: Literal["anyone", "writer", "other"] = "anyone"
    claims_time: bool = False
    overlaps: bool = False
    examples: list[str] = Field(min_length=1)
    not_examples: list[str] = Field(default_factory=list)


class ContextRuleSpec(Strict):
    """A ConText modifier in lay language (medspaCy's ConTextRule, as data)."""

    id: str
    category: Category
    direction: Literal["FORWARD", "BACKWARD", "BIDIRECTIONAL", "TERMINATE", "PSEUDO"]
    phrases: list[str] = Field(default_factory=list)
    tokens: list[list[dict[str, Any]]] = Field(default_factory=list)
    max_scope: int | None = None
    terminated_by: list[str] = Field(default_factory=list)
    lists: bool = False
    examples: list[str] = Field(default_factory=list)


class MergeSpec(Strict):
    """How mentions of one finding combine: ``pick`` first/max/order, or true wins."""

    pick: Literal["first", "max", "order", "any_true"] = "first"
    order: list[str] = Field(default_factory=list)
    skip_claimed_time: bool = False


class DefaultSpec(Strict):
    id: str
    finding: str
    value: Any
    when_text: str
    unless: dict[str, list[str]] = Field(default_factory=dict)


class SubjectSpec(Strict):
    """Words that tell whose story it is (see ``subject.py``)."""

    relations: dict[str, Literal["female", "male"] | None]
    third_person: list[str]
    first_person: list[str]
    body_parts: list[str]
    strong: list[str]
    pronoun_sex: dict[str, Literal["female", "male"]]
    opening: list[str] = Field(default_factory=list)


class ListScope(Strict):
    """Where a negation may run on through a list ("no numbness, tingling or
    weakness"): across a ``breaks`` word only when the next word, after any
    ``connectors``, starts another mention that does not open with one of
    ``clause_openers`` ("no fever, and my legs are numb" is a new clause)."""

    breaks: list[str]
    connectors: list[str]
    clause_openers: list[str]


class LimbSpec(Strict):
    """Words for where a symptom is: both legs, one leg, an arm, another part;
    ``stop_at``: words that end the search ("tired but my legs are fine")."""

    both: list[str]
    one: list[str]
    arm: list[str]
    other: list[str]
    stop_at: list[str]


class LexiconFile(Strict):
    version: int
    texting: dict[str, str] = Field(default_factory=dict)
    languages: dict[str, list[str]] = Field(default_factory=dict)
    number_words: dict[str, float]
    quantity_words: dict[str, float]
    macros: dict[str, str]
    subject: SubjectSpec
    limbs: LimbSpec
    list_scope: ListScope
    merge: dict[str, MergeSpec]
    defaults: list[DefaultSpec]
    context: list[ContextRuleSpec]
    entries: list[Entry]


@dataclass(frozen=True)
class CompiledEntry:
    """An entry and its regex, compiled when a text first needs it.

    ``lower``: the regex without IGNORECASE, for text already in lower case
    (about twice as fast: Python's regex engine skips a branch on its first
    letter only when it matches case-sensitively); None when the pattern has
    capitals (``lowercase`` false). ``regex``: case-insensitive, for text whose
    lower case changes length. Both are made on first use (a text needs a few
    dozen entries at most); ``code`` (``regexcode.precompile`` of the one
    the entry mostly uses) makes that take microseconds instead of milliseconds.
    """

    spec: Entry
    source: str
    lowercase: bool = True
    code: Code | None = field(default=None, compare=False, repr=False)

    @cached_property
    def lower(self) -> re.Pattern[str] | None:
        if not self.lowercase:
            return None
        return restore(self.code) if self.code is not None else re.compile(self.source)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        if not self.lowercase and self.code is not None:
            return restore(self.code)
        return re.compile(self.source, re.IGNORECASE)

    def __getstate__(self) -> dict[str, Any]:
        """Only the fields: compiled regexes are made again from ``code`` on first use."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def search(self, text: str) -> re.Match[str] | None:
        lowered = text.lower()
        lower = self.lower
        if lower is not None and len(lowered) == len(text):
            return lower.search(lowered)
        return self.regex.search(text)


_ESCAPE = re.compile(r"\\.|\(\?P[<=]")


@dataclass(frozen=True)
class Lexicon:
    """The checked, compiled lexicon."""

    version: int
    numbers: dict[str, float]
    entries: list[CompiledEntry]
    context: list[ContextRuleSpec]
    subject: SubjectSpec
    relation_re: re.Pattern[str]
    strong_re: re.Pattern[str]
    first_body_re: re.Pattern[str]
    limbs: dict[str, re.Pattern[str]]
    list_scope: ListScope
    merge: dict[str, MergeSpec]
    defaults: list[tuple[DefaultSpec, re.Pattern[str]]]
    texting: dict[str, str] = field(default_factory=dict)
    languages: dict[str, frozenset[str]] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    vocabulary_list: tuple[str, ...] = ()
    safety_words: frozenset[str] = frozenset()
    opening_re: re.Pattern[str] | None = None
    # each context phrase as the tokens it matches (kept so a cached lexicon
    # compiles its context rules without tokenizing every phrase again)
    phrase_words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    prefilter: Any = None  # anchors.Prefilter over the entries' regexes
    context_rules: Any = None  # context.ContextRules: the context rules, compiled

    def entry(self, ident: str) -> CompiledEntry:
        for item in self.entries:
            if item.spec.id == ident:
                return item
        raise KeyError(ident)


def _alternation(words: list[str]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"[\s-]+") for w in ordered) + ")"


def number_macros(
    number_words: Mapping[str, float], quantity_words: Mapping[str, float]
) -> dict[str, str]:
    """``num``: digits or number words (``twenty-four``); ``qty``: also ``a few``."""
    tens = [w for w, v in number_words.items() if v >= 20 and v % 10 == 0 and v < 100]
    units = [w for w, v in number_words.items() if 1 <= v <= 9]
    compound = f"{_alternation(tens)}(?:[\\s-]+{_alternation(units)})?"
    word = f"(?:{compound}|{_alternation(list(number_words))})"
    num = rf"(?:\d+(?:[.,]\d+)?|{word})"
    return {"num": num, "qty": f"(?:{num}|{_alternation(list(quantity_words))})"}


def expand(pattern: str, macros: Mapping[str, str], where: str, file: str = FILE) -> str:
    """Replace ``{name}`` with its macro, recursively."""
    for _ in range(10):
        def swap(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in macros:
                raise KnowledgeError(file, where, f"unknown macro {{{name}}}")
            return f"(?:{macros[name]})"

        new = _MACRO.sub(swap, pattern)
        if new == pattern:
            return new
        pattern = new
    raise KnowledgeError(file, where, "macros nest too deeply")


def compile_patterns(
    patterns: list[str], macros: Mapping[str, str], where: str, file: str = FILE
) -> re.Pattern[str]:
    """One case-insensitive regex matching any of the patterns as whole words."""
    return _compile(_source(patterns, macros, where, file), patterns, macros, where, file)


def _source(patterns: list[str], macros: Mapping[str, str], where: str, file: str = FILE) -> str:
    parts = [_SPACE.sub(_space, expand(p, macros, where, file)) for p in patterns]
    if len(parts) == 1:
        joined = parts[0]
    else:
        # Named groups may repeat across patterns: give each pattern its own copy.
        joined = "|".join(f"(?:{_renumber(body, i)})" for i, body in enumerate(parts))
    # the characters a match can start with, looked ahead for first: the same
    # matches, found faster (the engine leaves most places at once)
    first = first_class(joined)
    ahead = f"(?={first})" if first is not None else ""
    return rf"(?<![\w']){ahead}(?:{joined})(?![\w])"


def _compile(
    source: str, patterns: list[str], macros: Mapping[str, str], where: str, file: str = FILE,
    flags: int = re.IGNORECASE,
) -> re.Pattern[str]:
    try:
        return re.compile(source, flags)
    except re.error:
        parts = [_SPACE.sub(_space, expand(p, macros, where, file)) for p in patterns]
        for p, body in zip(patterns, parts, strict=True):
            try:
                re.compile(body)
            except re.error as exc:
                raise KnowledgeError(file, where, f"bad pattern {p!r}: {exc}") from None
        raise KnowledgeError(file, where, "patterns do not combine") from None


def _precompile(
    source: str, patterns: list[str], macros: Mapping[str, str], where: str, file: str,
    flags: int,
) -> Code:
    """``regexcode.precompile``, a bad pattern reported as ``_compile`` does."""
    try:
        return precompile(source, flags)
    except re.error:
        _compile(source, patterns, macros, where, file, flags)
        raise  # pragma: no cover - _compile raises for a pattern re cannot compile


def _renumber(body: str, index: int) -> str:
    return _GROUP.sub(lambda m: f"(?P<{m.group(1)}__{index}>", body)


def group_value(match: re.Match[str], name: str) -> str | None:
    """The text of a named group, whichever of an entry's patterns matched."""
    groups = match.groupdict()
    if name in groups:
        return groups[name]
    for key, value in groups.items():
        if value is not None and key.split("__")[0] == name:
            return value
    return None


def _groups_of(pattern: str) -> set[str]:
    return set(_GROUP.findall(pattern))


def _referenced(values: Mapping[str, Value]) -> set[str]:
    out: set[str] = set()
    for value in values.values():
        if isinstance(value, Computed):
            out.add(value.source)
            if value.units is not None:
                out.add(value.unit)
            if value.plus:
                out.add(value.plus)
    return out


def _check_values(
    entry: Entry, values: Mapping[str, Value], kb: Knowledge, file: str = FILE
) -> None:
    for name, value in values.items():
        spec = kb.findings.get(name)
        if spec is None or spec.group == "derived":
            raise KnowledgeError(file, entry.id, f"unknown finding '{name}'")
        if isinstance(value, Side):
            if spec.type != "enum" or "one_leg" not in spec.values:
                raise KnowledgeError(file, entry.id, f"'{name}' has no sides")
            if value.arm is not None and value.arm not in kb.findings:
                raise KnowledgeError(file, entry.id, f"unknown finding '{value.arm}'")
            continue
        if isinstance(value, Computed):
            if value.map is not None:
                for mapped in value.map.values():
                    _normalise_or_fail(entry, spec, mapped, file)
            elif value.date and spec.type not in ("int", "number"):
                raise KnowledgeError(file, entry.id, f"'{name}': a date gives a number of days")
            elif value.at_least is not None and spec.type != "bool":
                raise KnowledgeError(file, entry.id, f"'{name}': at_least needs a true/false")
            elif value.at_least is None and not value.date and spec.type not in ("int", "number"):
                raise KnowledgeError(file, entry.id, f"'{name}' is not a number")
            continue
        _normalise_or_fail(entry, spec, value, file)


def _normalise_or_fail(entry: Entry, spec: Any, value: Any, file: str = FILE) -> None:
    from ..engine.findings import FindingsError, normalise_value

    try:
        normalise_value(spec, value)
    except FindingsError as exc:
        raise KnowledgeError(file, entry.id, str(exc)) from None


def _read_one(name: str) -> Any:
    where = f"{FOLDER}/{name}.yaml"
    try:
        text = resources.files("unknot.knowledge.data").joinpath(where).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise KnowledgeError(where, None, "file is missing") from exc
    import yaml  # only when the lexicon is built, not when it comes from the cache

    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise KnowledgeError(where, None, f"not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise KnowledgeError(where, None, "expected a mapping at the top")
    return data


def _read() -> Any:
    """The lexicon's files as one mapping: core, context rules, then every entry file."""
    raw = dict(_read_one("core"))
    files = raw.pop("files", None)
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise KnowledgeError(f"{FOLDER}/core.yaml", "files", "must list the entry files")
    raw["context"] = _read_one("context").get("context")
    entries: list[Any] = []
    for name in files:
        part = _read_one(name)
        if set(part) != {"entries"} or not isinstance(part["entries"], list):
            raise KnowledgeError(f"{FOLDER}/{name}.yaml", None, "must hold only a list 'entries'")
        entries.extend(part["entries"])
        for entry in part["entries"]:
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                raw.setdefault("sources", {})[entry["id"]] = f"{FOLDER}/{name}.yaml"
    raw["entries"] = entries
    return raw


def build_lexicon(raw: Any, kb: Knowledge) -> Lexicon:
    """Validate a parsed lexicon against the finding catalogue and compile it."""
    sources: dict[str, str] = {}
    if isinstance(raw, Mapping) and "sources" in raw:
        raw = dict(raw)
        sources = raw.pop("sources")
    try:
        parsed = LexiconFile.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        item = _item_id(raw, first["loc"])
        raise KnowledgeError(sources.get(str(item), FILE), item, f"{loc}: {first['msg']}") from None

    numbers = {**parsed.number_words, **parsed.quantity_words}
    relation_words = list(parsed.subject.relations)
    macros = {
        **parsed.macros,
        **number_macros(parsed.number_words, parsed.quantity_words),
        "relation": _alternation(relation_words),
    }

    seen: set[str] = set()
    entries: list[CompiledEntry] = []
    for entry in parsed.entries:
        file = sources.get(entry.id, FILE)
        if entry.id in seen:
            raise KnowledgeError(file, entry.id, "duplicate id")
        seen.add(entry.id)
        for values in (entry.sets, entry.negated or {}, entry.past or {}, entry.recent or {}):
            _check_values(entry, values, kb, file)
        needed = _referenced(entry.sets) | _referenced(entry.negated or {})
        for p in entry.patterns:
            missing = needed - _groups_of(expand(p, macros, entry.id, file))
            if missing:
                raise KnowledgeError(file, entry.id, f"pattern {p!r} lacks {sorted(missing)}")
        source = _source(entry.patterns, macros, entry.id, file)
        # every regex is compiled here, once, to report a bad pattern by entry
        lowercase = not any(ch.isupper() for ch in _ESCAPE.sub("", source))
        code = _precompile(
            source, entry.patterns, macros, entry.id, file, 0 if lowercase else re.IGNORECASE
        )
        compiled = CompiledEntry(entry, source, lowercase, code)
        for example in entry.examples:
            if not compiled.search(_fold(example)):
                raise KnowledgeError(file, entry.id, f"example does not match: {example!r}")
        for example in entry.not_examples:
            if compiled.search(_fold(example)):
                raise KnowledgeError(file, entry.id, f"not_example matches: {example!r}")
        entries.append(compiled)

    for name, merge in parsed.merge.items():
        if name not in kb.findings:
            raise KnowledgeError(FILE, f"merge.{name}", "unknown finding")
        spec = kb.findings[name]
        bad = [v for v in merge.order if v not in spec.values]
        if bad:
            raise KnowledgeError(FILE, f"merge.{name}", f"unknown values {bad}")

    defaults = []
    for default in parsed.defaults:
        if default.finding not in kb.findings:
            raise KnowledgeError(FILE, default.id, f"unknown finding '{default.finding}'")
        defaults.append((default, compile_patterns([default.when_text], macros, default.id)))

    context_ids: set[str] = set()
    for rule in parsed.context:
        if rule.id in context_ids:
            raise KnowledgeError(CONTEXT_FILE, rule.id, "duplicate id")
        context_ids.add(rule.id)
        if not rule.phrases and not rule.tokens:
            raise KnowledgeError(CONTEXT_FILE, rule.id, "needs phrases or tokens")
        unknown = [c for c in rule.terminated_by if c not in CATEGORIES]
        if unknown:
            raise KnowledgeError(
                CONTEXT_FILE, rule.id, f"terminated_by names unknown categories {unknown}"
            )
    try:
        context_rules = _context_rules(parsed.context, parsed.list_scope)
    except RuleError as exc:
        rule_id, _, message = str(exc).partition(": ")
        raise KnowledgeError(CONTEXT_FILE, rule_id, message) from None

    limbs = {
        side: compile_patterns(words, macros, f"limbs.{side}")
        for side, words in (
            ("both", parsed.limbs.both),
            ("one", parsed.limbs.one),
            ("arm", parsed.limbs.arm),
            ("other", parsed.limbs.other),
            ("stop", parsed.limbs.stop_at),
        )
    }
    vocabulary = _vocabulary(parsed, macros)
    safety_words = _vocabulary(parsed, macros, kb) & vocabulary
    return Lexicon(
        version=parsed.version,
        numbers={k.lower(): v for k, v in numbers.items()},
        entries=entries,
        context=parsed.context,
        subject=parsed.subject,
        relation_re=compile_patterns(
            [r"(?:my|our)(?:\s+[\w-]+){0,3}?\s+{relation}"], macros, "subject.relations"
        ),
        strong_re=compile_patterns(parsed.subject.strong, macros, "subject.strong"),
        first_body_re=compile_patterns(
            [rf"my\s+{_alternation(parsed.subject.body_parts)}"], macros, "subject.body_parts"
        ),
        limbs=limbs,
        list_scope=parsed.list_scope,
        merge=dict(parsed.merge),
        defaults=defaults,
        texting={k.lower(): v for k, v in parsed.texting.items()},
        languages={k: frozenset(w.lower() for w in v) for k, v in parsed.languages.items()},
        vocabulary=vocabulary,
        vocabulary_list=tuple(sorted(vocabulary)),
        safety_words=safety_words,
        opening_re=compile_patterns(parsed.subject.opening, macros, "subject.opening")
        if parsed.subject.opening else None,
        phrase_words={
            phrase: phrase_tokens(phrase) for rule in parsed.context for phrase in rule.phrases
        },
        prefilter=_prefilter(parsed, entries),
        context_rules=context_rules,
    )


def _prefilter(parsed: LexiconFile, entries: list[CompiledEntry]) -> Prefilter:
    """The one-pass prefilter; which words are rare is judged on the lexicon's own
    examples (it decides only how fast, never what is found)."""
    sample = [_fold(x) for e in parsed.entries for x in (*e.examples, *e.not_examples)]
    sample += [_fold(x) for rule in parsed.context for x in rule.examples]
    rarity = Rarity(sample)
    return Prefilter(
        [alternatives(e.source, 0 if e.lowercase else re.I, rarity) for e in entries]
    )


_WORDS = re.compile(r"[a-z]{3,}")
# a stem with endings in a pattern: "tingl(?:e|es|y|ed)", "numb(?:ness)?"
_STEM = re.compile(r"([a-z]{2,})\(\?:([a-z|]+)\)(\?)?([a-z]*)")


def _pattern_words(pattern: str) -> set[str]:
    words = set(_WORDS.findall(pattern))
    for stem, endings, optional, tail in _STEM.findall(pattern):
        for ending in endings.split("|") + ([""] if optional else []):
            words.add(stem + ending + tail)
    return words


def _vocabulary(
    parsed: LexiconFile, macros: Mapping[str, str], safety: Knowledge | None = None
) -> frozenset[str]:
    """The lexicon's own words, for spelling correction: every word of every
    example, and the words of patterns and context rules that are ordinary
    English words or long enough to be names (medicines: "apixaban").
    With ``safety``: only the words of entries that tell a warning sign."""
    english = english_words()
    found: set[str] = set()
    loose: set[str] = set()
    for entry in parsed.entries:
        if safety is not None and not any(
            name in safety.findings and safety.findings[name].safety for name in entry.sets
        ):
            continue
        for example in entry.examples:
            found.update(_WORDS.findall(example.lower()))
        for pattern in entry.patterns:
            loose.update(_pattern_words(expand(pattern, macros, entry.id).lower()))
    for rule in parsed.context if safety is None else ():
        for phrase in rule.phrases:
            found.update(_WORDS.findall(phrase.lower()))
    for target in parsed.texting.values() if safety is None else ():
        found.update(_WORDS.findall(target.lower()))
    found.update(w for w in loose if w in english or len(w) >= 6)
    return frozenset(found)


@cache
def english_words() -> frozenset[str]:
    """Ordinary English words (from wordfreq; see scripts/build_english_words.py)."""
    data = resources.files("unknot.knowledge.data").joinpath(f"{FOLDER}/english_words.txt.gz")
    return frozenset(gzip.decompress(data.read_bytes()).decode("utf-8").split())


@cache
def english_slips() -> frozenset[str]:
    """Rare English words one slip from a far more frequent one ("realy", "fel", "bak"):
    more likely a slip than meant (see scripts/build_english_words.py)."""
    data = resources.files("unknot.knowledge.data").joinpath(f"{FOLDER}/english_slips.txt.gz")
    return frozenset(gzip.decompress(data.read_bytes()).decode("utf-8").split())


def _item_id(raw: Any, loc: tuple[Any, ...]) -> str | None:
    if len(loc) >= 2 and isinstance(raw, Mapping):
        section = raw.get(loc[0])
        if isinstance(section, list) and isinstance(loc[1], int) and loc[1] < len(section):
            item = section[loc[1]]
            if isinstance(item, Mapping) and "id" in item:
                return str(item["id"])
    return str(loc[0]) if loc else None


_FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def _fold(text: str) -> str:
    """Typographic quotes and dashes as plain ones, keeping every character's position."""
    return text.translate(_FOLD)


fold = _fold


def check_lexicon(kb: Knowledge | None = None) -> Lexicon:
    """The lexicon built from its files, never from the cache: every pattern is
    compiled and checked against its examples (``unknot knowledge check``, CI)."""
    return build_lexicon(_read(), kb if kb is not None else load_knowledge())


_FILE_READER = _read  # tests replace ``_read``; the cache serves only the real files


@cache
def load_lexicon() -> Lexicon:
    """The lexicon, validated and compiled (cached per process).

    The first run builds it from the files (every pattern compiled and checked
    against its examples) and keeps the result in the user's cache folder under
    a hash of the lexicon files, the knowledge and the code that builds it;
    later runs load that in milliseconds, and each entry's regex is compiled
    when a text first needs it. A cache that is stale, unreadable or of another
    version is rebuilt from the files, never trusted (see "The compiled
    lexicon cache" below).
    """
    from ..knowledge import loader

    own_files = _read is _FILE_READER and loader._read is loader._FILE_READER
    if not own_files or os.environ.get("UNKNOT_KNOWLEDGE_CACHE") == "off":
        return build_lexicon(_read(), load_knowledge())
    return _cached_lexicon()


def _cached_lexicon() -> Lexicon:
    try:
        key = lexicon_digest()
    except OSError:  # the files cannot be read as files (a zip install): no cache
        return build_lexicon(_read(), load_knowledge())
    path = _cache_path(key)
    lex = _read_cache(path, key)
    if lex is None:
        lex = build_lexicon(_read(), load_knowledge())
        _write_cache(path, key, lex)
    return lex


# --- The compiled lexicon cache --------------------------------------------------
#
# Stored: the built lexicon without its compiled context rules (closures cannot
# be pickled; compiled again on load from the checked rule specs) and without
# the entries' compiled regexes (compiled on first use). The file's name and its
# first field carry a hash of every lexicon file, the knowledge files, this
# module's and ``anchors.py``'s code, Unknot's, Python's and Pydantic's
# versions: any change gives another name, so a stale file is never read. A
# file that cannot be read back whole is rebuilt and replaced.

CACHE_FORMAT = "unknot-lexicon-2"
_STORED = tuple(f.name for f in fields(Lexicon) if f.name != "context_rules")


def lexicon_digest() -> str:
    """A hash of everything the built lexicon is made from."""
    from pydantic import VERSION as PYDANTIC_VERSION

    from .. import __version__
    from ..knowledge.loader import data_digest
    from . import anchors as anchors_module
    from . import regexcode, tokens

    digest = hashlib.sha256()
    head = f"{CACHE_FORMAT}|{__version__}|{sys.version_info[:3]}|{PYDANTIC_VERSION}|{data_digest()}"
    digest.update(head.encode())
    folder = resources.files("unknot.knowledge.data").joinpath(FOLDER)
    for item in sorted(folder.iterdir(), key=lambda f: f.name):
        if item.is_file():
            data = item.read_bytes()
            digest.update(f"|{item.name}|{len(data)}|".encode())
            digest.update(data)
    # the code that makes what is stored; tokens.py and its rules: the phrases' tokens
    code = (__file__, anchors_module.__file__, regexcode.__file__, tokens.__file__)
    tokenizer = resources.files("unknot.intake").joinpath("data")
    rules = [str(f) for f in tokenizer.iterdir() if f.is_file()]
    for module in (*code, *sorted(rules)):
        data = Path(str(module)).read_bytes()
        digest.update(f"|{Path(str(module)).name}|{len(data)}|".encode())
        digest.update(data)
    return digest.hexdigest()


def _cache_path(key: str) -> Path:
    from ..cachedir import cache_dir

    return Path(cache_dir()) / f"lexicon-{key[:32]}.pickle"


def _context_rules(
    context: list[ContextRuleSpec],
    scope: ListScope,
    phrase_words: Mapping[str, tuple[str, ...]] | None = None,
) -> Any:
    return compile_rules(
        context,
        breaks=scope.breaks,
        connectors=scope.connectors,
        clause_openers=scope.clause_openers,
        phrase_words=phrase_words,
    )


def _read_cache(path: Path, key: str) -> Lexicon | None:
    from ..cachedir import read_stored

    values = read_stored(str(path), CACHE_FORMAT, key, _STORED)
    if values is None:
        return None
    try:
        lex = Lexicon(**values, context_rules=None)
        if not (
            isinstance(lex.prefilter, Prefilter)
            and isinstance(getattr(lex.prefilter, "checks", None), dict)
            and lex.prefilter.size == len(lex.entries)
            and all(isinstance(e, CompiledEntry) for e in lex.entries)
        ):
            return None
        words = lex.phrase_words
        return replace(lex, context_rules=_context_rules(lex.context, lex.list_scope, words))
    except Exception:  # stored by other code: rebuild, never trust
        return None


class _Pickler(pickle.Pickler):
    """Keeps each regex as its engine code (``regexcode``): loading it takes microseconds."""

    def reducer_override(self, obj: Any) -> Any:
        if isinstance(obj, re.Pattern):
            return restore, (precompile(obj.pattern, obj.flags),)
        return NotImplemented


def _write_cache(path: Path, key: str, lex: Lexicon) -> None:
    from ..cachedir import store

    values = {name: getattr(lex, name) for name in _STORED}
    store(str(path), CACHE_FORMAT, key, values,
          pickler=lambda fh: _Pickler(fh, protocol=pickle.HIGHEST_PROTOCOL))
