"""ConText: which phrases are negated, doubted, in the past, hypothetical or
about someone else, from Unknot's lay-language rules (``context.yaml``).

This is the ConText algorithm (Chapman et al.) as medspaCy 1.3 applies it,
written over :mod:`.tokens` so that reading text needs no spaCy:

1. Find every rule's words in the tokens in one pass: each phrase is looked up
   by its first word (lower case), and the few token patterns (``tokens:`` in
   ``context.yaml``, spaCy Matcher syntax) are tried where their first token
   fits. Of overlapping matches the longest is kept (medspaCy's
   ``prune_overlapping_matches``, pairwise, repeated until nothing changes).
2. Each match is a modifier with a scope: the rest of its sentence after it
   (FORWARD), before it (BACKWARD), or both (BIDIRECTIONAL, TERMINATE, PSEUDO).
3. Modifiers cut each other's scopes (medspaCy's ``limit_scope``): a TERMINATE
   modifier, one of the same category, or one of a category the rule names in
   ``terminated_by`` ends the scope where it starts (or, backwards, where it
   ends).
4. A modifier acts on a mention when their tokens do not overlap, the mention
   overlaps its scope, and Unknot's own checks pass: no more than ``max_scope``
   tokens between them, and for ``lists`` rules, the scope runs on through a
   list but not into a new clause (``list_scope``). TERMINATE and PSEUDO
   modifiers act on nothing.

medspaCy stays the reference: tests/test_reader_matches_medspacy.py reads
every narrative the project has both ways and compares the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .tokens import Doc, is_punct, like_num, tokenize, word_shape

SUPPORTED_ATTRS = ("LOWER", "ORTH", "IS_PUNCT", "LIKE_NUM", "SHAPE")
SUPPORTED_OPS = ("?",)

Predicate = Callable[[Doc, int], bool]


class RuleError(ValueError):
    """A context rule the reader cannot use (the message says what is wrong)."""


@dataclass(frozen=True)
class Rule:
    """One context rule, as the reader applies it."""

    id: str
    category: str
    direction: str
    terminated_by: frozenset[str] = frozenset()
    max_scope: int | None = None
    lists: bool = False


@dataclass(frozen=True)
class Modifier:
    """A rule's words found in a text: tokens ``start`` to ``end``."""

    rule: Rule
    start: int
    end: int

    @property
    def category(self) -> str:
        return self.rule.category


@dataclass
class _Live:
    rule: Rule
    start: int
    end: int
    scope_start: int
    scope_end: int


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    """medspaCy's ``tuple_overlaps`` (as it is: it misses ``b`` wholly around ``a``)."""
    return a0 <= b0 < a1 or a0 < b1 <= a1


def _token_spec(
    spec: Mapping[str, Any], where: str
) -> tuple[Predicate, bool, tuple[str, frozenset[str]] | None]:
    """The test, whether optional, and (LOWER or ORTH, the words) when the token
    must be one of a few words (for finding where a pattern can start)."""
    tests: list[Predicate] = []
    optional = False
    words: tuple[str, frozenset[str]] | None = None
    for key, value in spec.items():
        if key == "OP":
            if value not in SUPPORTED_OPS:
                raise RuleError(f"{where}: OP {value!r} is not supported (only {SUPPORTED_OPS})")
            optional = True
            continue
        if key not in SUPPORTED_ATTRS:
            raise RuleError(
                f"{where}: token attribute {key!r} is not supported "
                f"(supported: {', '.join(SUPPORTED_ATTRS)}, OP)"
            )
        if isinstance(value, Mapping):
            if set(value) != {"IN"} or not isinstance(value["IN"], list):
                raise RuleError(f"{where}: {key} takes a value or {{IN: [...]}} only")
            allowed: Any = frozenset(value["IN"])
        else:
            allowed = None
        tests.append(_attr_test(key, value, allowed, where))
        if key in ("LOWER", "ORTH") and words is None:
            words = (key, allowed if allowed is not None else frozenset([value]))

    if len(tests) == 1:
        return tests[0], optional, words

    def check(doc: Doc, i: int) -> bool:
        return all(test(doc, i) for test in tests)

    return check, optional, words


def _attr_test(key: str, value: Any, allowed: frozenset[Any] | None, where: str) -> Predicate:
    if key in ("IS_PUNCT", "LIKE_NUM"):
        if allowed is not None or not isinstance(value, bool):
            raise RuleError(f"{where}: {key} takes true or false")
        fn = is_punct if key == "IS_PUNCT" else like_num
        return lambda doc, i: fn(doc.words[i]) is value
    if allowed is None and not isinstance(value, str):
        raise RuleError(f"{where}: {key} takes a word or {{IN: [...]}}")
    if allowed is not None and not all(isinstance(v, str) for v in allowed):
        raise RuleError(f"{where}: {key} IN takes words")
    words = allowed if allowed is not None else frozenset([value])
    if key == "LOWER":
        return lambda doc, i: doc.lowers[i] in words
    if key == "ORTH":
        return lambda doc, i: doc.words[i] in words
    return lambda doc, i: word_shape(doc.words[i]) in words  # SHAPE


@dataclass(frozen=True)
class _Pattern:
    rule: int
    steps: tuple[tuple[Predicate, bool], ...]
    index: int = 0  # its place among all token patterns (the order they are tried in)

    def ends(self, doc: Doc, start: int) -> list[int]:
        """Every end of a match starting at token ``start`` (optional steps both ways)."""
        positions = [start]
        for test, optional in self.steps:
            nxt: list[int] = []
            for pos in positions:
                if optional:
                    nxt.append(pos)
                if pos < len(doc.words) and test(doc, pos):
                    nxt.append(pos + 1)
            positions = sorted(set(nxt))
            if not positions:
                return []
        return [p for p in positions if p > start]


@dataclass(frozen=True)
class ContextRules:
    """Compiled context rules: phrases by first word, token patterns, list scope."""

    rules: tuple[Rule, ...]
    phrases: dict[str, tuple[tuple[tuple[str, ...], int], ...]]
    patterns: tuple[_Pattern, ...]
    # where each token pattern can start: by lower-case word, by exact word, anywhere
    starts_lower: dict[str, tuple[_Pattern, ...]]
    starts_orth: dict[str, tuple[_Pattern, ...]]
    starts_any: tuple[_Pattern, ...]
    breaks: frozenset[str] = frozenset()
    connectors: frozenset[str] = frozenset()
    clause_openers: frozenset[str] = frozenset()
    # by lower-case word: the token patterns starting there, the phrases starting
    # there, and whether a pattern may start there by its exact word (one look-up
    # a token; most tokens start nothing)
    firsts: dict[str, tuple[tuple[_Pattern, ...], tuple[tuple[tuple[str, ...], int], ...], bool]
                 ] = field(default_factory=dict)


def phrase_tokens(phrase: str) -> tuple[str, ...]:
    """A rule's phrase as the lower-case tokens it matches (medspaCy's PhraseMatcher
    on LOWER: the phrase, lower-cased, through the same tokenizer)."""
    return tuple(t.lower() for _, t, _ in tokenize(phrase.lower()))


def compile_rules(
    specs: Iterable[Any],
    breaks: Sequence[str] = (),
    connectors: Sequence[str] = (),
    clause_openers: Sequence[str] = (),
    phrase_words: Mapping[str, tuple[str, ...]] | None = None,
) -> ContextRules:
    """Compile rule specs (``lexicon.ContextRuleSpec``). Raises :class:`RuleError`
    for a token pattern the reader does not support, or a phrase given to two
    rules (only one of them could act on it)."""
    rules: list[Rule] = []
    by_first: dict[str, list[tuple[tuple[str, ...], int]]] = {}
    owner: dict[tuple[str, ...], str] = {}
    patterns: list[_Pattern] = []
    starts_lower: dict[str, list[_Pattern]] = {}
    starts_orth: dict[str, list[_Pattern]] = {}
    starts_any: list[_Pattern] = []
    for spec in specs:
        index = len(rules)
        rules.append(Rule(
            id=spec.id,
            category=spec.category.upper(),
            direction=spec.direction.upper(),
            terminated_by=frozenset(c.upper() for c in spec.terminated_by),
            max_scope=spec.max_scope,
            lists=spec.lists,
        ))
        for n, pattern in enumerate(spec.tokens):
            if not pattern:
                raise RuleError(f"{spec.id}: token pattern {n} is empty")
            where = f"{spec.id}: token pattern {n}"
            compiled = [_token_spec(token, where) for token in pattern]
            steps = tuple((check, optional) for check, optional, _ in compiled)
            if all(optional for _, optional in steps):
                raise RuleError(f"{where} needs one token that is not optional")
            item = _Pattern(index, steps, len(patterns))
            patterns.append(item)
            _, first_optional, first_words = compiled[0]
            if first_optional or first_words is None:
                starts_any.append(item)
            else:
                key, firsts = first_words
                table = starts_lower if key == "LOWER" else starts_orth
                for word in firsts:
                    table.setdefault(word, []).append(item)
        for phrase in spec.phrases:
            known = phrase_words.get(phrase) if phrase_words is not None else None
            words = known if known is not None else phrase_tokens(phrase)
            if not words:
                raise RuleError(f"{spec.id}: empty phrase")
            if words in owner:
                if owner[words] == spec.id:
                    continue
                raise RuleError(
                    f"{spec.id}: phrase {phrase!r} is also in rule {owner[words]}; "
                    "a phrase can belong to one rule only"
                )
            owner[words] = spec.id
            by_first.setdefault(words[0], []).append((words, index))
    orth_lower = {word.lower() for word in starts_orth}
    by_word = {
        word: (tuple(starts_lower.get(word, ())), tuple(by_first.get(word, ())),
               word in orth_lower)
        for word in {*starts_lower, *by_first, *orth_lower}
    }
    return ContextRules(
        rules=tuple(rules),
        phrases={k: tuple(v) for k, v in by_first.items()},
        patterns=tuple(patterns),
        starts_lower={k: tuple(v) for k, v in starts_lower.items()},
        starts_orth={k: tuple(v) for k, v in starts_orth.items()},
        starts_any=tuple(starts_any),
        breaks=frozenset(breaks),
        connectors=frozenset(connectors),
        clause_openers=frozenset(clause_openers),
        firsts=by_word,
    )


def _matches(doc: Doc, compiled: ContextRules) -> list[tuple[int, int, int]]:
    """(rule, start, end) for every rule's words in ``doc``: token patterns first, then
    phrases (medspaCy's order: Matcher, then PhraseMatcher)."""
    n = len(doc.words)
    lowers, orths = doc.lowers, doc.words
    by_orth = compiled.starts_orth
    firsts = compiled.firsts
    tried: set[tuple[int, int]] = set()  # (pattern order, start)
    found_phrases: list[tuple[int, int, int]] = []
    for start in [i for i, word in enumerate(lowers) if word in firsts]:
        patterns, candidates, orth = firsts[lowers[start]]
        if patterns:
            tried.update((p.index, start) for p in patterns)
        if orth:
            patterns = by_orth.get(orths[start], ())
            tried.update((p.index, start) for p in patterns)
        for words, rule in candidates:
            end = start + len(words)
            if end <= n and (len(words) == 1 or tuple(lowers[start:end]) == words):
                found_phrases.append((rule, start, end))
    for pattern in compiled.starts_any:
        tried.update((pattern.index, start) for start in range(n))
    found: list[tuple[int, int, int]] = []
    every = compiled.patterns
    for index, start in sorted(tried):
        pattern = every[index]
        for end in pattern.ends(doc, start):
            found.append((pattern.rule, start, end))
    found.extend(found_phrases)
    return found


def _prune(matches: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """medspaCy's ``prune_overlapping_matches`` ("longest"), step for step."""
    while True:
        count = len(matches)
        if count == 0:
            return matches
        unpruned = sorted(matches, key=lambda m: (m[1], m[2]))
        pruned: list[tuple[int, int, int]] = []
        current = unpruned.pop(0)
        while True:
            if not unpruned:
                pruned.append(current)
                break
            nxt = unpruned.pop(0)
            if _overlaps(current[1], current[2], nxt[1], nxt[2]):
                longer = max(current, nxt, key=lambda m: m[2] - m[1])
                pruned.append(longer)
                if not unpruned:
                    break
                current = unpruned.pop(0)
            else:
                pruned.append(current)
                current = nxt
        if len(pruned) == count:
            return pruned
        matches = pruned


def _limit_scope(this: _Live, other: _Live) -> None:
    """medspaCy's ``ConTextModifier.limit_scope``."""
    if not _overlaps(this.scope_start, this.scope_end, other.scope_start, other.scope_end):
        return
    if this.rule.direction == "TERMINATE":
        return
    if (
        other.rule.direction != "TERMINATE"
        and other.rule.category not in this.rule.terminated_by
        and other.rule.category != this.rule.category
    ):
        return
    if this.rule.direction in ("FORWARD", "BIDIRECTIONAL") and other.start > this.start:
        this.scope_end = min(this.scope_end, other.start)
    if this.rule.direction in ("BACKWARD", "BIDIRECTIONAL") and other.end < this.end:
        this.scope_start = max(this.scope_start, other.end)


_CLOSERS = frozenset({"or", "nor"})  # the word before a list's last item
_CLAUSE_ENDS = frozenset({".", "!", "?", ";", ":"})


def _another_or(lowers: Sequence[str], start: int, breaks: frozenset[str]) -> bool:
    """Whether the list item from ``start`` (to the next break or clause end, at most
    eight words) has an "or" of its own: a list of pairs goes on."""
    for word in lowers[start:start + 8]:
        if word in _CLOSERS:
            return True
        if word in breaks or word in _CLAUSE_ENDS:
            return False
    return False


def _in_list(doc: Doc, compiled: ContextRules, lo: int, hi: int, open_starts: set[int]) -> bool:
    """A negation runs on through a list ("no numbness, tingling or weakness") but
    not into a new clause ("no fever, legs numb"): across each break word the next
    word (after any connectors) must start another mention that opens no clause.
    An "or" closes the list ("no fall or injury, pins and needles in both feet")
    unless the next item has its own ("no numbness or tingling, weakness or ...")."""
    lowers = doc.lowers
    closed = False
    for i in range(lo, hi):
        if lowers[i] in _CLOSERS:
            closed = True
        if lowers[i] not in compiled.breaks:
            continue
        if closed and not _another_or(lowers, i + 1, compiled.breaks):
            return False
        j = i + 1
        while j < hi and lowers[j] in compiled.connectors:
            j += 1
        if j not in open_starts:  # j == hi: the end of the words between them
            return False
    return True


def _acts_on(
    doc: Doc, compiled: ContextRules, mod: _Live, start: int, end: int, open_starts: set[int]
) -> bool:
    """medspaCy's ``ConTextModifier.modifies``, with Unknot's reach and list checks."""
    rule = mod.rule
    if _overlaps(mod.start, mod.end, start, end):
        return False
    if rule.direction in ("TERMINATE", "PSEUDO"):
        return False
    if not _overlaps(mod.scope_start, mod.scope_end, start, end):
        return False
    if rule.max_scope is not None:
        gap = mod.start - end if end <= mod.start else start - mod.end
        if gap > rule.max_scope:
            return False
    if rule.lists:
        # medspaCy's "span between": from the nearer end of the mention to the
        # modifier's end (which, after the mention, takes in the modifier itself)
        lo, hi = min(end, mod.end), max(start, mod.end)
        return _in_list(doc, compiled, lo, max(lo, hi), open_starts)
    return True


def apply_context(
    doc: Doc, compiled: ContextRules, mentions: Sequence[tuple[int, int]]
) -> list[list[Modifier]]:
    """For each mention (token start, end), the modifiers acting on it, in text order."""
    if not mentions:
        return []
    matches = _prune(_matches(doc, compiled))
    live: list[_Live] = []
    for rule_index, start, end in matches:
        rule = compiled.rules[rule_index]
        sent_start, sent_end = doc.sent_bounds(start)
        if rule.direction == "FORWARD":
            scope = (end, sent_end)
        elif rule.direction == "BACKWARD":
            scope = (sent_start, start)
        else:
            scope = (sent_start, sent_end)
        live.append(_Live(rule, start, end, *scope))
    for i in range(len(live) - 1):
        for j in range(i + 1, len(live)):
            _limit_scope(live[i], live[j])
            _limit_scope(live[j], live[i])
    acting = [m for m in live if m.rule.direction not in ("TERMINATE", "PSEUDO")]
    open_starts = {
        s for s, _ in mentions
        if s < len(doc.lowers) and doc.lowers[s] not in compiled.clause_openers
    }
    out: list[list[Modifier]] = []
    for start, end in mentions:
        out.append([
            Modifier(m.rule, m.start, m.end)
            for m in acting
            if _acts_on(doc, compiled, m, start, end, open_starts)
        ])
    return out
