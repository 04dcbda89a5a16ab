"""``unknot assess --text`` and ``unknot validate --text``, used as a person or a script would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from unknot.cli import app

runner = CliRunner()


def test_assess_text_json_gives_level_and_each_finding_with_its_words() -> None:
    result = runner.invoke(
        app,
        ["assess", "--format", "json", "--text",
         "I'm 52. Picked up a sack of sand this morning and now I can't feel my bum when I wipe."],
    )
    assert result.exit_code == 3, result.output  # text alone: provisional
    data = json.loads(result.output)
    assert data["level"] == "emergency"
    assert "cauda_equina" in [c["id"] for c in data["concerns"]]
    assert data["subject"] == "self"
    assert data["findings"]["saddle_numbness"] is True
    assert "saddle_numbness" not in data["doubtful"]
    assert "can't feel my bum when I wipe" in data["quotes"]["saddle_numbness"][0]
    assert data["findings"]["age"] == 52
    assert data["quotes"]["days_since_onset"] == ["this morning"]
    assert data["schema_version"] == "2"
    assert "not a diagnosis" in data["disclaimer"]


def test_assess_text_from_standard_input() -> None:
    result = runner.invoke(
        app, ["assess", "--text", "-", "--format", "json"],
        input="My husband, 58, has a fever of 38.7 with his back spasm.\n",
    )
    assert result.exit_code == 3, result.output  # text alone: provisional
    data = json.loads(result.output)
    assert data["level"] == "urgent"
    assert data["subject"] == "husband"
    assert data["findings"]["sex"] == "male"


def test_assess_text_in_the_terminal_puts_the_level_first_then_reads_back() -> None:
    result = runner.invoke(
        app, ["assess", "--text", "Twisted lifting shopping yesterday, maybe a bit of tingling?"]
    )
    assert result.exit_code == 3, result.output  # text alone: provisional
    out = result.output
    assert out.index("SEE A DOCTOR SOON") < out.index("What Unknot read from your words")
    assert "sounded uncertain" in out


def test_assess_text_markdown_lists_what_was_read() -> None:
    result = runner.invoke(
        app, ["assess", "--format", "markdown", "--text", "No fever. Back went while gardening."]
    )
    assert result.exit_code == 3, result.output  # text alone: provisional
    assert "## What Unknot read from your words" in result.output
    assert '(from "No fever")' in result.output


@pytest.mark.parametrize("text", ["", "   \n "])
def test_empty_text_is_a_clear_error(text: str) -> None:
    result = runner.invoke(app, ["assess", "--text", text])
    assert result.exit_code == 2
    assert "--text is empty" in result.output


def test_a_very_long_text_is_a_clear_error() -> None:
    result = runner.invoke(app, ["assess", "--text", "my back hurts " * 1000])
    assert result.exit_code == 2
    assert "--text is too long" in result.output


def test_text_and_findings_together_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "f.json"
    path.write_text("{}")
    result = runner.invoke(app, ["assess", "--text", "sore back", "--findings", str(path)])
    assert result.exit_code == 2
    assert "either --findings or --text" in result.output


def test_a_failure_reading_the_text_still_says_to_get_care(monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.intake

    def broken(text: str) -> Any:
        raise RuntimeError(text)

    monkeypatch.setattr(unknot.intake, "extract_findings", broken)
    result = runner.invoke(app, ["assess", "--format", "json", "--text", "Quibblesnort back"])
    assert result.exit_code == 3  # nothing was checked: provisional
    data = json.loads(result.output)
    assert data["level"] == "urgent" and "could not read the text" in data["error"]
    assert "Quibblesnort" not in result.output


def _cases(tmp_path: Path, cases: list[dict[str, Any]]) -> Path:
    path = tmp_path / "cases.yaml"
    path.write_text(yaml.safe_dump(cases))
    return path


CASES = [
    {
        "id": "own-1",
        "narrative": "Female, 66. Slipped on wet leaves yesterday, my back has been in spasm.",
        "findings": {"age": 66, "sex": "female", "trigger": ["minor_fall"], "days_since_onset": 1},
        "expect": {"level": "self_care"},
    },
    {
        "id": "own-2",
        "narrative": "40M, both feet tingling since my back went this morning.",
        "findings": {"age": 40, "sex": "male", "leg_tingling": "both_legs", "days_since_onset": 0},
        "expect": {"level": "emergency", "concerns": ["cauda_equina"]},
    },
]


def test_validate_text_prints_finding_precision_and_recall(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--text", str(_cases(tmp_path, CASES))])
    assert result.exit_code == 0, result.output
    assert "exact: 2/2" in result.output
    assert "Findings read from each narrative" in result.output
    assert "precision" in result.output and "recall" in result.output


def test_validate_text_json_scores_each_case_and_the_total(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", "--text", "--json", str(_cases(tmp_path, CASES))])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    first = data["cases"][0]["findings"]
    assert first["recall"] == 1.0 and first["missing"] == []
    assert "location=lower_back" in first["extra"]  # read, though the case does not list it
    totals = data["totals"]["findings"]
    assert totals["expected"] == 8 and totals["found"] == 8
    assert totals["precision"] < 1.0


def test_validate_text_fails_when_a_narrative_is_under_triaged(tmp_path: Path) -> None:
    quiet = [dict(CASES[0], id="quiet", expect={"level": "emergency"})]
    result = runner.invoke(app, ["validate", "--text", str(_cases(tmp_path, quiet))])
    assert result.exit_code == 1
    assert "UNDER-TRIAGED" in result.output


def test_validate_text_needs_a_narrative_per_case(tmp_path: Path) -> None:
    bare = [{k: v for k, v in CASES[0].items() if k != "narrative"}]
    result = runner.invoke(app, ["validate", "--text", str(_cases(tmp_path, bare))])
    assert result.exit_code == 2
    assert "own-1" in result.output and "narrative" in result.output


def test_interactive_assess_opens_with_the_story_and_skips_what_it_told(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import unknot.cli.assess as assess_cli

    monkeypatch.setattr(assess_cli, "_interactive", lambda: True)
    story = "Bent down to get the washing out and now both my legs are numb.\n"
    result = runner.invoke(app, ["assess", "--format", "json"], input=story + "\n" * 40)
    assert result.exit_code == 0, result.output
    assert "Tell me what happened" in result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["level"] == "emergency"  # read from the story: no question needed to get here
    assert data["findings"]["trigger"] == ["bending"]


def test_interactive_story_confirms_a_doubtful_danger_sign(monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.cli.assess as assess_cli

    monkeypatch.setattr(assess_cli, "_interactive", lambda: True)
    story = "Not sure, but I might be having trouble peeing.\n"
    # the confirm screen comes first; deny it with 2 (None of these), then skip the rest
    result = runner.invoke(app, ["assess", "--format", "json"], input=story + "2\n" + "\n" * 60)
    assert result.exit_code == 0, result.output
    assert "You mentioned these. Is that right?" in result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["findings"].get("urinary_retention") is False


def test_skipping_the_story_asks_the_usual_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.cli.assess as assess_cli

    monkeypatch.setattr(assess_cli, "_interactive", lambda: True)
    result = runner.invoke(app, ["assess", "--format", "json"], input="\n5\n")  # a weak arm
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    assert data["level"] == "emergency"
