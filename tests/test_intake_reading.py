"""Reading as issue 9 asks: unread text, texting forms, typos, whose story, time, denials."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from unknot.intake import extract_findings
from unknot.intake.lexicon import english_words, load_lexicon
from unknot.intake.normalise import correct, normalise

THURSDAY = date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("hola, me duele mucho la espalda y no siento las piernas", "Spanish"),
        ("J'ai très mal au dos et je ne sens plus mes jambes depuis hier", "French"),
        ("Ich habe starke Rückenschmerzen und spüre meine Beine nicht mehr", "German"),
        ("Estou com muita dor nas costas e não sinto as pernas", "Portuguese"),
    ],
)
def test_another_language_is_unread_and_named(text: str, named: str) -> None:
    result = extract_findings(text)
    assert not result.read and result.findings == {}
    assert named in (result.unread_reason or "")


@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("Hola, dolor de espalda desde ayer, muy fuerte. And now my left arm is going weak, "
         "no puedo levantar la taza.", "arm_weakness"),
        ("Bonjour, j'ai mal au dos depuis hier, et I have a fever of 39", "fever"),
        ("Tengo dolor de espalda desde ayer y mucho, and I wet myself this morning",
         "urinary_incontinence"),
    ],
)
def test_a_warning_sign_in_english_is_read_amid_another_language(text: str, sign: str) -> None:
    result = extract_findings(text)
    assert result.read and result.findings.get(sign) is True, result.findings


def test_another_languages_words_are_not_corrected_into_a_warning_sign() -> None:
    # "puedo" is one slip from "puked": "puedo caminar" (I can walk) is not vomiting
    result = extract_findings("Hola, me duele la espalda desde ayer, puedo caminar pero despacio")
    assert not result.read and result.findings == {}


@pytest.mark.parametrize("text", ["😭😭🔥🔥", "!!! ???", "hello there, how are you", "qwzx vbnt"])
def test_symbols_or_nothing_recognised_is_unread(text: str) -> None:
    result = extract_findings(text)
    assert not result.read and result.findings == {} and result.unread_reason


def test_a_read_text_says_so() -> None:
    result = extract_findings("my back went lifting a box")
    assert result.read is True and result.unread_reason is None


@pytest.mark.parametrize(
    ("written", "meant"),
    [("numbnes", "numbness"), ("bladdder", "bladder"), ("tingleing", "tingling"),
     ("lft", "left"), ("cheest", "chest"), ("sooo", "so"), ("wettt", "wet")],
)
def test_slips_are_read_as_the_word_meant(written: str, meant: str) -> None:
    lex = load_lexicon()
    assert correct(normalise(written, lex), lex).text == meant


def test_a_correct_english_word_is_never_corrected() -> None:
    lex = load_lexicon()
    words = ["number", "numbers", "walking", "tinkle", "wheel", "couch", "bins", "hovering"]
    assert all(w in english_words() for w in words)
    text = " ".join(words)
    assert correct(normalise(text, lex), lex).text == text


@pytest.mark.parametrize(
    ("text", "finding", "value"),
    [
        # "fel", "bak", "mov", "realy" are in the English list (they occur), but rarely
        # meant: each is one slip from a word a hundred times as common
        ("husband 61 back went lifting the mower, says he cant fel his bum on the toilet seat",
         "saddle_numbness", True),
        ("im 63 and have had a dull ache in my lower bak and my stomach", "abdominal_pain", True),
        ("back's killing me and i feel realy poorly, not right in myself", "feeling_very_unwell",
         True),
    ],
)
def test_a_rare_word_one_slip_from_a_common_one_is_corrected(
    text: str, finding: str, value: object
) -> None:
    assert extract_findings(text).findings.get(finding) == value


def test_a_common_word_one_slip_from_a_sign_is_left_alone() -> None:
    """"pin", "wet", "week" are meant far too often to be taken for "pain", "wee", "weak"."""
    lex = load_lexicon()
    text = "a pin in my sock, the wet grass and the week off"
    assert correct(normalise(text, lex), lex).text == text


def test_texting_forms_and_curly_quotes_are_read() -> None:
    found = extract_findings("both legs sooo numb 2day, can’t wee w/o pushin tbh").findings
    assert found["leg_numbness"] == "both_legs"
    assert found["urinary_retention"] is True


def test_evidence_is_what_the_person_wrote_even_when_corrected() -> None:
    text = "Both my legs feel numbnes since 2day"
    result = extract_findings(text)
    assert result.findings["leg_numbness"] == "both_legs"
    assert all(piece in text for ws in result.evidence.values() for w in ws
               for piece in w.split(" ... "))


def test_a_denial_stays_in_its_own_sentence() -> None:
    found = extract_findings("No fever, no numbness, no tingling. Peeing is hard since yesterday.")
    assert found.findings["urinary_retention"] is True
    assert found.findings["fever"] is False


def test_a_partner_named_without_my_is_whose_story_it_is() -> None:
    result = extract_findings("Husband 61, back spasm since lifting the mower, can't feel his bum.")
    assert result.subject == "husband"
    assert result.findings["age"] == 61 and result.findings["sex"] == "male"
    assert result.findings["saddle_numbness"] is True


def test_a_relatives_own_history_never_counts() -> None:
    found = extract_findings("My sister had numb legs and my dad had cancer. I tweaked my back.")
    assert "leg_numbness" not in found.findings and "cancer_history" not in found.findings


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("I've never had cancer.", "cancer_history", False),
        ("No history of cancer, hurt my back lifting.", "cancer_history", False),
    ],
)
def test_a_denied_history_is_a_denial(text: str, name: str, value: bool) -> None:
    assert extract_findings(text).findings[name] is value


def test_a_figure_of_speech_is_not_an_accident() -> None:
    found = extract_findings("Feel like I've been hit by a bus! Back went digging yesterday.")
    assert "major_trauma" not in found.findings.get("trigger", frozenset())


def test_an_old_slipped_disc_is_history_not_this_episode() -> None:
    found = extract_findings("I slipped a disc in 2015 but my back went again yesterday.").findings
    assert found["previous_back_injury"] is True
    assert found["days_since_onset"] == 1


@pytest.mark.parametrize(
    ("text", "days"),
    [("my back has been in spasm since Tuesday", 2), ("it started on the 1st", 2),
     ("it went on Thursday", 7), ("since 28 November", 5)],
)
def test_named_days_count_back_from_today(text: str, days: int) -> None:
    assert extract_findings(text, today=THURSDAY).findings["days_since_onset"] == days


def test_a_finding_can_run_on_into_the_next_sentence() -> None:
    found = extract_findings("Back went on Friday. The numbness. It's in both legs now.").findings
    assert found["leg_numbness"] == "both_legs"


def test_doubt_is_kept_with_its_value() -> None:
    result = extract_findings("I think maybe my leg is weaker?")
    assert result.findings["leg_weakness"] == "one_leg"
    assert "leg_weakness" in result.doubtful


@pytest.mark.parametrize(
    ("text", "name", "value"),
    [
        ("pins and needles round my privates", "saddle_numbness", True),
        ("I'm burning up and shivery", "fever", True),
        ("can't hold my number twos", "bowel_incontinence", True),
        ("tight chest and out of puff", "shortness_of_breath", True),
        ("my left leg's gone all floppy", "leg_weakness", "one_leg"),
        ("can't wee since this morning", "urinary_retention", True),
        ("wet myself on the way to the loo", "urinary_incontinence", True),
        ("feeling real crook", "feeling_very_unwell", True),
        ("numb down below", "saddle_numbness", True),
        ("12 wks preggers", "pregnant", True),
    ],
)
def test_slang_and_euphemism(text: str, name: str, value: object) -> None:
    assert extract_findings(text).findings[name] == value


def _every_match_is_a_candidate(text: str) -> None:
    lex = load_lexicon()
    candidates = set(lex.prefilter.candidates(text))
    missed = [e.spec.id for i, e in enumerate(lex.entries)
              if i not in candidates and e.regex.search(text)]
    assert not missed, (text, missed)


def test_the_one_pass_never_skips_an_entry_that_matches_its_examples() -> None:
    for entry in load_lexicon().entries:
        for example in entry.spec.examples:
            _every_match_is_a_candidate(example)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(sorted({w for e in load_lexicon().entries
                                        for x in e.spec.examples for w in x.split()})),
                min_size=1, max_size=12))
def test_the_one_pass_never_skips_an_entry_that_matches(words: list[str]) -> None:
    _every_match_is_a_candidate(" ".join(words))


def _without_lookahead(source: str) -> str:
    found = re.match(r"\(\?<!\[\\w'\]\)(\(\?=\[.*?\]\))", source)
    assert found is not None, source
    return source[:found.start(1)] + source[found.end(1):]


def test_looking_ahead_for_first_characters_changes_no_match() -> None:
    lex = load_lexicon()
    examples = [x for e in lex.entries for x in (*e.spec.examples, *e.spec.not_examples)]
    texts = [". ".join(examples[i:i + 15]).lower() for i in range(0, len(examples), 15)]
    checked = 0
    for entry in lex.entries:
        if "(?=[" not in entry.source:
            continue
        flags = 0 if entry.lowercase else re.IGNORECASE
        plain = re.compile(_without_lookahead(entry.source), flags)
        ahead = re.compile(entry.source, flags)
        for text in texts:
            assert [m.span() for m in plain.finditer(text)] == [
                m.span() for m in ahead.finditer(text)], (entry.spec.id, text)
        checked += 1
    assert checked > len(lex.entries) * 0.9


@pytest.mark.parametrize(
    ("pattern", "first"),
    [
        ("numb", "[n]"),
        ("(?:my )?legs?", "[lm]"),
        (r"(?<![\w'])\d+ ?kg", r"[\d]"),
        ("(?:a|b)?", None),  # can match nothing: no lookahead
        (".x", None),  # any character: cannot say
        ("[^a]x", None),
    ],
)
def test_first_characters_of_a_pattern(pattern: str, first: str | None) -> None:
    from unknot.intake.anchors import first_class

    assert first_class(pattern) == first
