"""A new red flag needs only knowledge data and its worked cases (docs/architecture.md).

The test copies the knowledge files, adds a made-up warning sign the way the
architecture guide says (a finding, a concern, a triage rule with worked cases,
a checklist item), and runs Unknot on the copy in a fresh process: the engine,
the knowledge check, the CLI, the API and the interview all know the new sign
without any change to the code.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

import unknot.knowledge

HERE = Path(__file__).resolve().parent
DATA = Path(unknot.knowledge.__file__).parent / "data"
RULE = {
    "id": "emergency.test_sign",
    "version": 1,
    "concern": "test_sign",
    "level": "emergency",
    "title": "A warning sign added by a test",
    "when": {"test_sign": True},
    "explanation": "A made-up sign that shows how a new red flag reaches the result.",
    "action": "Call {emergency_number} now.",
    "citations": ["nice-cks-red-flags"],
    "cases": [
        {"findings": {"test_sign": True}, "fires": True},
        {"findings": {"test_sign": False}, "fires": False},
    ],
}


def _edit(path: Path, change: Any) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def add_red_flag(data: Path) -> None:
    """The steps of docs/architecture.md, "To add a red flag", done to a copy."""

    def finding(d: dict[str, Any]) -> None:
        d["groups"]["nerves"]["test_sign"] = {
            "type": "bool", "label": "a made-up test sign", "safety": True
        }
        d["concerns"].append("test_sign")

    def rule(d: dict[str, Any]) -> None:
        d["rules"].append(RULE)

    def question(d: dict[str, Any]) -> None:
        screen, field = first_emergency_checklist(d)
        field["items"].append(
            {"id": "test_sign", "finding": "test_sign", "unchecked": False,
             "text": "A made-up test sign"}
        )

    _edit(data / "findings.yaml", finding)
    _edit(data / "triage_rules.yaml", rule)
    _edit(data / "questions.yaml", question)


def first_emergency_checklist(questions: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    """The first screen of emergency signs, and its checklist (asked first)."""
    screen = next(s for s in questions["screens"] if s["stage"] == "emergency")
    field = next(f for f in screen["fields"] if f["kind"] == "checklist")
    return screen, field


def run_on_copy(data: Path, findings: dict[str, Any], answers: dict[str, Any]) -> Any:
    done = subprocess.run(
        [sys.executable, str(HERE / "knowledge_copy.py"), str(data),
         json.dumps(findings), json.dumps(answers)],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_new_red_flag_reaches_every_surface_with_no_code_change(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    add_red_flag(data)
    screen, field = first_emergency_checklist(
        yaml.safe_load((data / "questions.yaml").read_text(encoding="utf-8"))
    )
    answers = {screen["id"]: {field["id"]: ["test_sign"]}}
    out = run_on_copy(data, {"test_sign": True, "age": 40}, answers)

    assert not [p for p in out["problems"] if "test_sign" in p], out["problems"]
    for surface in ("engine", "cli", "api"):
        result = out[surface]
        assert isinstance(result, dict), (surface, result)
        assert result["level"] == "emergency", surface
        assert "test_sign" in [c["id"] for c in result["concerns"]], surface
    assert out["engine"] == out["cli"] == out["api"]
    assert out["interview"]["done"] is True
    assert out["interview"]["assessment"]["level"] == "emergency"
    assert "test_sign" in out["api_findings"]


def test_the_copy_without_the_sign_does_not_know_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    out = run_on_copy(data, {"age": 40}, {})
    assert "test_sign" not in out["api_findings"]
    assert out["engine"]["level"] != "emergency"
