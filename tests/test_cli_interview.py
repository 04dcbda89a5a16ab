"""The interview in a terminal: the engine's order, "None of these", the why-step after
the result, and --text asking the safety questions the words left open."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

import unknot.cli.assess as assess_cli
from unknot.cli.app import app

runner = CliRunner()


@pytest.fixture
def at_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(assess_cli, "_interactive", lambda: True)


def _number_of(output: str, text: str) -> str:
    found = re.search(rf"(\d+)\. {re.escape(text)}", output)
    assert found, f"{text!r} not offered:\n{output}"
    return found.group(1)


def test_checklists_offer_none_of_these_and_ask_since_this_started() -> None:
    result = runner.invoke(app, ["assess", "--format", "json"], input="\n" * 80)
    assert result.exit_code == 0, result.output
    assert "Since this started" in result.output
    assert "None of these" in result.output
    assert "A few safety questions are still open" in result.output  # asked once more
    data = json.loads(result.output[result.output.index("{\n") :])
    assert data["findings"].get("saddle_numbness") is None  # Enter is not "no"


def _none_of_these(screen_id: str, field_id: str) -> str:
    """The number the terminal gives "None of these" on a whole screen."""
    from unknot.knowledge import load_knowledge

    screen = next(s for s in load_knowledge().screens if s.id == screen_id)
    items = next(f for f in screen.fields if f.id == field_id).items
    return str(1 + next(n for n, i in enumerate(items) if i.none))


def test_a_calm_interview_ends_in_self_care_then_offers_why(at_a_terminal: None) -> None:
    story = "\n"  # skip "tell me what happened"
    danger = _none_of_these("danger", "signs") + "\n"
    warning = _none_of_these("warning_signs", "signs") + "\n"
    # age 30, male, (pregnant: Enter), history: None of these
    about = f"30\n2\n\n{_none_of_these('about_you', 'history')}\n"
    episode = "1\n\n1\n\n\n\n\n\n"  # 1 day, getting better
    why = "y\n10\n\n\n\n\n\n\n1\n\n\n"  # 10 hours sitting, I often slouch
    result = runner.invoke(app, ["assess"], input=story + danger + warning + about + episode + why)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "SELF-CARE" in out.upper()
    assert out.index("Would you like to answer a few questions about why") > out.upper().index(
        "SELF-CARE"
    )  # the habits questions come after the result
    assert "Why it may have happened" in out.split("Would you like")[1]
    assert "Nothing in your answers points" not in out.split("Would you like")[1]


def test_no_why_step_after_an_emergency(at_a_terminal: None) -> None:
    result = runner.invoke(app, ["assess"], input="\n5\n")  # no story; new weakness in an arm
    assert result.exit_code == 0, result.output
    assert "EMERGENCY" in result.output.upper()
    assert "Would you like" not in result.output


TEXT = "Lifted a box yesterday and my lower back locked. 35F."


def test_text_at_a_terminal_asks_the_open_safety_questions(at_a_terminal: None) -> None:
    first = runner.invoke(app, ["assess", "--text", TEXT], input="\n" * 20)
    assert first.exit_code in (0, 3), first.output  # 3: still provisional (left unanswered)
    assert "safety questions your words did not answer" in first.output
    assert "None of these" in first.output
    fever = _number_of(first.output, "A fever or high temperature")
    urgent = runner.invoke(app, ["assess", "--text", TEXT], input=f"{fever}\n" + "\n" * 20)
    assert urgent.exit_code in (0, 3), urgent.output
    assert "URGENT" in urgent.output.upper()
    none = _number_of(first.output, "None of these")
    # None of these; not pregnant; getting better
    calm = runner.invoke(app, ["assess", "--text", TEXT], input=f"{none}\n2\n1\n" + "\n" * 10)
    assert calm.exit_code == 0, calm.output
    assert "SELF-CARE" in calm.output.upper() and "URGENT" not in calm.output.upper()


def test_text_in_a_script_asks_nothing() -> None:
    result = runner.invoke(app, ["assess", "--text", TEXT, "--format", "json"])
    assert "safety questions your words did not answer" not in result.output
    assert json.loads(result.output[result.output.index("{") :])["level"]
