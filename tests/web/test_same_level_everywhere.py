"""The same facts give the same level and concerns on every surface.

Every case of the project's own suite (tests/cases) is played four ways:
the CLI (`unknot assess -f ... --format json`), the JSON API (/api/assess),
the web pages (the HTML interview, answered screen by screen from the case's
facts, as the case player answers them) and FHIR (a QuestionnaireResponse
holding those same answers). The engine's own default for what a case does
not mention is the same everywhere, so the levels and concerns must agree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner
from webhelpers import level_of, run_interview

from unknot.cli import app as cli
from unknot.engine.case_player import answer_screen
from unknot.engine.interview import next_step
from unknot.fhir import QUESTIONNAIRE_URL
from unknot.knowledge import Knowledge, load_knowledge

TODAY = "2026-12-01"
CASES = [
    (path.name, case)
    for path in sorted((Path(__file__).parents[1] / "cases").glob("*.yaml"))
    for case in yaml.safe_load(path.read_text(encoding="utf-8"))
]
CASE_IDS = [str(case["id"]) for _, case in CASES]
runner = CliRunner()


def _answers(case: dict[str, Any], kb: Knowledge) -> dict[str, dict[str, Any]]:
    """The interview answers the case player gives, screen by screen, up to the result."""
    answers: dict[str, dict[str, Any]] = {}
    step = next_step(answers, kb=kb)
    while not step.done:
        assert step.screen is not None
        answers[step.screen.id] = answer_screen(step.screen, case, kb)
        step = next_step(answers, kb=kb)
    return answers


def _form(values: dict[str, Any]) -> dict[str, Any]:
    """Interview answers as a browser would post them: text, lists of text, blanks left out."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None:
            continue
        out[key] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return out


def _fhir_response(answers: dict[str, dict[str, Any]], kb: Knowledge) -> dict[str, Any]:
    """A QuestionnaireResponse carrying the same answers (the Questionnaire's own options)."""
    from unknot.fhir.questionnaire import UNKNOT_SYSTEM, link_id

    groups = []
    for screen in kb.screens:
        given = answers.get(screen.id)
        if not given:
            continue
        items = []
        for fld in screen.fields:
            value = given.get(fld.id)
            if value is None or value == []:
                continue
            values = value if isinstance(value, list) else [value]
            if fld.kind == "number":
                number = float(values[0])
                answer = (
                    [{"valueInteger": int(number)}]
                    if number.is_integer()
                    else [{"valueDecimal": number}]
                )
            else:
                answer = [
                    {"valueCoding": {"system": UNKNOT_SYSTEM, "code": str(v)}} for v in values
                ]
            items.append({"linkId": link_id(screen, fld), "answer": answer})
        if items:
            groups.append({"linkId": screen.id, "item": items})
    return {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": groups,
    }


def _named(document: dict[str, Any]) -> tuple[str | None, set[str]]:
    return document["level"], {c["id"] for c in document.get("concerns", ())}


@pytest.mark.parametrize(("file", "case"), CASES, ids=CASE_IDS)
def test_cli_api_web_and_fhir_agree(
    file: str, case: dict[str, Any], app: FastAPI, tmp_path: Path
) -> None:
    kb = load_knowledge()
    findings = case["findings"]

    source = tmp_path / "findings.json"
    source.write_text(json.dumps(findings), encoding="utf-8")
    out = runner.invoke(cli, ["assess", "-f", str(source), "--format", "json", "--today", TODAY])
    assert out.exit_code == 0, out.output
    by_cli = _named(json.loads(out.stdout))

    with TestClient(app, base_url="http://127.0.0.1") as client:
        by_api = _named(
            client.post("/api/assess", json={"findings": findings, "today": TODAY}).json()
        )
        assert by_api == by_cli, f"{file}: API {by_api} but CLI {by_cli}"

        answers = _answers(findings, kb)
        fhir = client.post("/fhir/QuestionnaireResponse/$assess", json=_fhir_response(answers, kb))
        assert fhir.status_code == 200, fhir.text
        by_fhir = _named(fhir.json())

        result, _ = run_interview(client, {s: _form(v) for s, v in answers.items()})
        by_web = level_of(result)

    # The interview answers "no" for warning signs a case does not mention, as the
    # engine counts them for the level: the interview's level is the findings' level.
    assert by_fhir[0] == by_cli[0], f"{file}: FHIR {by_fhir[0]} but CLI {by_cli[0]}"
    assert by_web == by_cli[0], f"{file}: web {by_web} but CLI {by_cli[0]}"
    if by_cli[0] != "emergency":  # an emergency stops the questions at its first yes
        assert by_fhir[1] >= by_cli[1], f"{file}: FHIR misses {by_cli[1] - by_fhir[1]}"
