"""The reader's tokens and sentences are spaCy's, and its rules are checked on load.

``unknot.intake.tokens`` ports spaCy's English tokenizer and sentencizer; the
context rules count and match tokens, so every narrative the project has is
cut into the same tokens and sentences as spaCy cuts it (spaCy is a dev
dependency, kept as the reference).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from reader_corpus import narratives
from unknot.intake.context import RuleError, apply_context, compile_rules
from unknot.intake.extract import find_mentions
from unknot.intake.lexicon import ContextRuleSpec, load_lexicon
from unknot.intake.normalise import normalise
from unknot.intake.tokens import SENTENCE_ENDS, parse

ROOT = Path(__file__).resolve().parent.parent

TRICKY = [
    "Hi  there \n  ok\n\nNo. Numb?? Yes!! co-worker 38.5c 10/10",
    "i've don't a&e -ve. \"dont\" (cannot) l5/s1 2-3 days, 3x/day :) ...",
    "I. U.K. www.nhs.uk/back-pain 5kg 20% $5 +5 (a.m.) it's mum's 38m. gonna",
    " leading space, trailing space ",
    "emoji😫numb 🙏🙏 back…pain…. ok—fine–ish",
    "Numbness: none. Weakness - no. Fever? Nope! 3yrs ago; 2019",
    "CAN'T FEEL MY LEGS!!! wasn't, isn't, ain't, won't, shan't, y'all, 'cause",
]


@pytest.fixture(scope="module")
def spacy_pipeline() -> Any:
    from reference_context import load_pipeline

    return load_pipeline()


def _texts() -> list[str]:
    lex = load_lexicon()
    texts: set[str] = set(TRICKY)
    for _, text, _ in narratives():
        texts.add(text)
        texts.add(normalise(text, lex).text)
    return sorted(texts)


def test_tokens_and_sentences_are_spacys(spacy_pipeline: Any) -> None:
    differ = []
    texts = _texts()
    for text in texts:
        theirs = spacy_pipeline.parse(text)
        ours = parse(text)
        want = (
            [(t.idx, t.text, t.whitespace_ == " ") for t in theirs],
            [s.start for s in theirs.sents],
        )
        got = (list(zip(ours.starts, ours.words, ours.spaces, strict=True)), ours.sent_starts)
        if got != want:
            differ.append(text)
    assert len(texts) > 3000
    assert not differ, f"{len(differ)} texts tokenized differently, e.g. {differ[:5]}"


def test_sentences_end_where_spacys_sentencizer_ends_them() -> None:
    doc = parse("No numbness. Legs fine!\nBut my back; it hurts… a lot")
    sentences = [doc.sent_of(s).text for s in doc.sent_starts]
    assert sentences == ["No numbness.", "Legs fine!\n", "But my back;", "it hurts…", "a lot"]
    assert {".", "!", "?", ";", "\n", "\n\n", "…"} == SENTENCE_ENDS


def test_the_tokenizer_data_is_current() -> None:
    script = ROOT / "scripts" / "build_tokenizer_rules.py"
    done = subprocess.run([sys.executable, str(script), "--check"], check=False)
    assert done.returncode == 0, "run scripts/build_tokenizer_rules.py after upgrading spaCy"


def _spec(**fields: Any) -> ContextRuleSpec:
    base: dict[str, Any] = {"id": "test.rule", "category": "NEGATED_EXISTENCE",
                            "direction": "FORWARD"}
    return ContextRuleSpec.model_validate({**base, **fields})


@pytest.mark.parametrize(
    ("tokens", "message"),
    [
        ([[{"REGEX": "no+"}]], "token attribute 'REGEX' is not supported"),
        ([[{"LOWER": "no", "OP": "*"}]], "OP '*' is not supported"),
        ([[{"LOWER": {"NOT_IN": ["no"]}}]], "LOWER takes a value or {IN: [...]} only"),
        ([[{"IS_PUNCT": "yes"}]], "IS_PUNCT takes true or false"),
        ([[{"LOWER": "no", "OP": "?"}]], "needs one token that is not optional"),
    ],
)
def test_an_unsupported_token_pattern_is_refused_by_name(
    tokens: list[list[dict[str, Any]]], message: str
) -> None:
    with pytest.raises(RuleError, match="test.rule") as err:
        compile_rules([_spec(tokens=tokens)])
    assert message in str(err.value)


def test_a_phrase_in_two_rules_is_refused() -> None:
    rules = [_spec(phrases=["none"]), _spec(id="other.rule", direction="BACKWARD",
                                            phrases=["None"])]
    with pytest.raises(RuleError, match="phrase 'None' is also in rule test.rule"):
        compile_rules(rules)


def test_a_broken_context_rule_is_a_knowledge_error_naming_the_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from unknot.intake import lexicon
    from unknot.knowledge import KnowledgeError, load_knowledge

    raw = lexicon._read()
    raw["context"] = [*raw["context"], {"id": "bad.rule", "category": "FAMILY",
                                        "direction": "FORWARD", "tokens": [[{"POS": "NOUN"}]]}]
    with pytest.raises(KnowledgeError, match="bad.rule.*'POS' is not supported"):
        lexicon.build_lexicon(raw, load_knowledge())


def _categories(text: str, phrase: str) -> list[str]:
    """The context categories on ``phrase``, read with every lexicon phrase in the text."""
    lex = load_lexicon()
    doc = parse(text)
    spans = [doc.char_span(m.start, m.end) for m in find_mentions(text, lex)]
    start = text.index(phrase)
    target = doc.char_span(start, start + len(phrase))
    assert target is not None
    mentions = [(s.start, s.end) for s in spans if s is not None]
    if (target.start, target.end) not in mentions:
        mentions.append((target.start, target.end))
    found = apply_context(doc, lex.context_rules, mentions)
    mine = found[mentions.index((target.start, target.end))]
    return sorted({m.category for m in mine})


@pytest.mark.parametrize(
    ("text", "phrase", "categories"),
    [
        ("no numbness, tingling or weakness", "weakness", ["NEGATED_EXISTENCE"]),
        ("no fever, my legs are numb", "legs are numb", []),
        ("no fever but my legs are numb", "legs are numb", []),
        ("I think my bum is numb", "bum is numb", ["POSSIBLE_EXISTENCE"]),
        # a sign felt in this episode counts when it has passed; "anymore" denies nothing
        ("the tingling has gone away", "tingling", []),
        ("I can't feel my feet anymore", "feel my feet", []),
        ("fever yesterday, none today", "fever", []),
        # an "or" closes a denied list, unless the next item has its own
        ("no fall or injury, pins and needles in both feet", "pins and needles", []),
        ("no numbness or tingling, weakness or bladder problems", "weakness",
         ["NEGATED_EXISTENCE"]),
        ("numbness: none", "numbness", ["NEGATED_EXISTENCE"]),
        ("my dad had cancer", "cancer", ["FAMILY"]),
        ("what if I get numbness", "numbness", ["HYPOTHETICAL"]),
        ("tingling years ago, nothing now", "tingling", ["HISTORICAL"]),
        ("no better and the legs are numb", "legs are numb", []),
        ("I haven't fainted", "fainted", ["NEGATED_EXISTENCE"]),
        ("osteoporosis runs in the family", "osteoporosis", ["FAMILY"]),
    ],
)
def test_context_marks_what_a_reader_would(text: str, phrase: str, categories: list[str]) -> None:
    assert _categories(text, phrase) == categories
