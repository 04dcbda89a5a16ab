"""The CLI as a person or a script uses it: clear output, clear errors, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from unknot.cli import app

runner = CliRunner()


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data) if name.endswith(".json") else yaml.safe_dump(data))
    return path


def test_assess_findings_json_has_level_concerns_factors_plans(tmp_path: Path) -> None:
    path = write(
        tmp_path, "f.json", {"age": 45, "fever": True, "trigger": ["lifting"], "onset": "sudden"}
    )
    result = runner.invoke(app, ["assess", "--findings", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["level"] == "urgent"
    assert data["concerns"][0]["id"] == "spinal_infection"
    assert "muscle_strain" in [f["id"] for f in data["factors"]]
    assert data["relief_plan"] and data["knowledge_version"].startswith("kb-")
    assert "not a diagnosis" in data["disclaimer"]


def test_assess_yaml_markdown_puts_the_level_first(tmp_path: Path) -> None:
    path = write(tmp_path, "f.yaml", {"saddle_numbness": True})
    result = runner.invoke(
        app, ["assess", "-f", str(path), "--format", "markdown", "--region", "us"]
    )
    assert result.exit_code == 0
    assert result.output.startswith("# Emergency\n")
    assert "[911](tel:911)" in result.output


def test_assess_text_output_is_readable(tmp_path: Path) -> None:
    path = write(tmp_path, "f.json", {"trigger": ["twisting"], "days_since_onset": 0})
    result = runner.invoke(app, ["assess", "-f", str(path)])
    assert result.exit_code == 0
    assert "SELF-CARE" in result.output
    assert "not a diagnosis" in result.output


@pytest.mark.parametrize(
    "findings, words",
    [
        ({"unicorn": True}, "unicorn"),
        ({"fever": "often"}, "true or false"),
        ({"age": 400}, "0 to 120"),
        ({"pain_score": 11}, "0 to 10"),
        ({"days_since_onset": -3}, "days_since_onset"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    tmp_path: Path, findings: dict[str, object], words: str
) -> None:
    path = write(tmp_path, "bad.json", findings)
    result = runner.invoke(app, ["assess", "-f", str(path), "--format", "json"])
    assert result.exit_code == 2
    assert words in result.output
    assert "Traceback" not in result.output


def test_unreadable_files_get_a_message(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["assess", "-f", str(tmp_path / "nope.json")])
    assert missing.exit_code == 2 and "not found" in missing.output
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    result = runner.invoke(app, ["assess", "-f", str(broken)])
    assert result.exit_code == 2 and "not valid JSON" in result.output


def test_interactive_assess_reaches_a_result_from_typed_answers() -> None:
    # danger screen: 1 (a change down below), then its details: 2 (can't pee) -> stops at once
    result = runner.invoke(app, ["assess", "--format", "json"], input="1\n2\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    assert data["level"] == "emergency"
    assert data["concerns"][0]["id"] == "cauda_equina"


def test_interactive_assess_can_go_back_and_rejects_bad_numbers() -> None:
    # a bad pick, then unanswered, then back to the first screen, then leave the rest
    answers = "99\n\nb\n\n"
    result = runner.invoke(app, ["assess", "--format", "json"], input=answers + "\n" * 60)
    assert "Please type numbers from 1 to" in result.output
    assert result.exit_code == 0


def cases_file(tmp_path: Path, expect_level: str) -> Path:
    return write(
        tmp_path,
        "cases.yaml",
        [
            {
                "id": "c1",
                "findings": {"fever": True},
                "expect": {"level": expect_level, "concerns": ["spinal_infection"]},
            }
        ],
    )


def test_validate_reports_totals_and_passes_when_safe(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(cases_file(tmp_path, "urgent")), "--json"])
    assert result.exit_code == 0
    totals = json.loads(result.output)["totals"]
    assert totals["exact"] == 1 and totals["concern_recall"] == 1.0


def test_validate_exits_non_zero_on_under_triage(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(cases_file(tmp_path, "emergency"))])
    assert result.exit_code == 1
    assert "UNDER-TRIAGED" in result.output


def test_validate_interview_counts_screens(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["validate", str(cases_file(tmp_path, "urgent")), "--interview", "--json"]
    )
    data = json.loads(result.output)
    assert data["cases"][0]["screens"] >= 2


def test_validate_rejects_a_malformed_case_file(tmp_path: Path) -> None:
    path = write(
        tmp_path, "cases.yaml", [{"id": "x", "findings": {}, "expect": {"level": "whenever"}}]
    )
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2 and "expect.level" in result.output


def test_knowledge_check_runs() -> None:
    result = runner.invoke(app, ["knowledge", "check"])
    assert "rules" in result.output


def test_real_process_bad_input_has_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "bad.json", {"age": "old"})
    proc = subprocess.run(
        [sys.executable, "-m", "unknot", "assess", "-f", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert "age" in proc.stderr and "Traceback" not in proc.stderr
