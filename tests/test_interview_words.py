"""The interview's words: plain (Flesch-Kincaid grade 8 or below, by textstat), and
safety questions asked about the whole episode ("since this started")."""

from __future__ import annotations

import textstat

from unknot.engine.interview import confirm_screen, recheck_screen
from unknot.knowledge import Knowledge
from unknot.knowledge.models import Screen

MAX_GRADE = 8.0
SHORT = 6  # shorter texts are measured together, one sentence each


def _texts(screen: Screen) -> list[str]:
    out = [screen.title, screen.help or ""]
    for fld in screen.fields:
        out.append(fld.text)
        out += [i.text for i in fld.items]
        out += list(fld.choices.values())
    return [" ".join(t.split()) for t in out if t]


def _screens(kb: Knowledge) -> list[Screen]:
    safety = [n for n, spec in kb.findings.items() if spec.safety]
    generated = [confirm_screen(["fever"], kb), recheck_screen(safety, kb)]
    return [*kb.screens, *(s for s in generated if s is not None)]


def test_every_question_reads_at_grade_8_or_below(kb: Knowledge) -> None:
    texts = [t for s in _screens(kb) for t in _texts(s)]
    grade = textstat.flesch_kincaid_grade
    hard = [
        f"{grade(t):.1f}: {t}" for t in texts if len(t.split()) >= SHORT and grade(t) > MAX_GRADE
    ]
    assert hard == []
    short = ". ".join(t.rstrip(".?!:") for t in texts if len(t.split()) < SHORT) + "."
    assert grade(short) <= MAX_GRADE


def test_the_measure_tells_plain_from_hard_words() -> None:
    assert textstat.flesch_kincaid_grade("Tick each one you have had since the pain began.") <= 8
    hard = (
        "Intermittent neurogenic claudication necessitates comprehensive radiological evaluation."
    )
    assert textstat.flesch_kincaid_grade(hard) > 8


def test_safety_checklists_ask_since_this_started(kb: Knowledge) -> None:
    for screen in _screens(kb):
        checklists = [f for f in screen.fields if f.kind == "checklist"]
        if not screen.safety or not checklists or screen.id in ("about_you", "confirm"):
            continue
        words = " ".join([screen.title, screen.help or "", *(f.text for f in checklists)]).lower()
        assert "since this started" in words or "since the pain began" in words, screen.id
        assert all(any(i.none for i in f.items) for f in checklists), screen.id  # None of these
