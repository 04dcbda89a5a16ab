"""One definition per shape: findings, answers and the assessment.

The API's OpenAPI schema is generated from the engine's models, and one
assessment document goes through the CLI, the API, the diary and FHIR unchanged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from unknot.cli import app as cli
from unknot.engine import Assessment, FindingsError, assess, run, validate_findings
from unknot.engine.findings import answers_model, findings_model
from unknot.engine.results import SCHEMA_VERSION, SHAPES
from unknot.fhir import QUESTIONNAIRE_URL
from unknot.knowledge import load_knowledge
from unknot.web import Settings, create_app

runner = CliRunner()
TODAY = "2026-03-02"
FINDINGS = {
    "age": 44,
    "trigger": ["twisting", "lifting"],
    "pain_score": 6,
    "days_since_onset": 2,
    "weight_kg": 70.5,
    "location": ["lower_back"],
    "saddle_numbness": False,
}


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(secret_key="test", database_url=f"sqlite:///{tmp_path / 'diary.db'}")
    return TestClient(create_app(settings), base_url="http://127.0.0.1")


def _same(a: Any, b: Any) -> bool:
    """The same JSON text (so 2 and 2.0 differ, as they do on the wire)."""
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _without_null_defaults(schema: Any) -> Any:
    """FastAPI leaves ``"default": null`` out of the OpenAPI document; nothing else differs."""
    if isinstance(schema, dict):
        return {
            k: _without_null_defaults(v)
            for k, v in schema.items()
            if not (k == "default" and v is None)
        }
    if isinstance(schema, list):
        return [_without_null_defaults(v) for v in schema]
    return schema


def _model_schema(model: Any, mode: str) -> tuple[dict[str, Any], dict[str, Any]]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}", mode=mode)
    return schema, schema.pop("$defs", {})


def test_the_api_schema_of_the_assessment_is_the_engine_model(client: TestClient) -> None:
    components = client.get("/openapi.json").json()["components"]["schemas"]
    schema, nested = _model_schema(Assessment, "serialization")
    assert set(nested) == {shape.__name__ for shape in SHAPES} - {"Assessment"}
    assert components["Assessment"] == _without_null_defaults(schema)
    for name, definition in nested.items():
        assert components[name] == _without_null_defaults(definition), name
    assert not [name for name in components if name.endswith("Out") and "Assess" in name]


def test_the_api_schema_of_findings_is_generated(client: TestClient) -> None:
    components = client.get("/openapi.json").json()["components"]["schemas"]
    for model in (findings_model(),):
        schema, nested = _model_schema(model, "validation")
        assert components[model.__name__] == _without_null_defaults(schema)
        for name, definition in nested.items():
            assert components[name] == _without_null_defaults(definition), name
    names = set(components["Findings"]["properties"])
    kb = load_knowledge()
    assert names == {n for n, spec in kb.findings.items() if spec.group != "derived"}
    assert components["Findings"]["additionalProperties"] is False


def test_answers_model_has_every_screen_and_field_of_the_questions() -> None:
    kb = load_knowledge()
    schema = answers_model(kb).model_json_schema()
    assert set(schema["properties"]) == {s.id for s in kb.screens}
    for screen in kb.screens:
        fields = schema["$defs"][f"Answers_{screen.id}"]["properties"]
        assert set(fields) == {f.id for f in screen.fields}


def test_findings_model_takes_its_ranges_from_the_catalogue() -> None:
    kb = load_knowledge()
    props = findings_model(kb).model_json_schema()["properties"]
    age = kb.findings["age"]
    assert props["age"]["anyOf"][0] == {"type": "integer", "minimum": age.min, "maximum": age.max}
    assert props["sex"]["anyOf"][0]["enum"] == kb.findings["sex"].values
    for bad in ({"pain_score": float("nan")}, {"pain_score": 11}, {"smoker_status": True}):
        with pytest.raises(FindingsError):
            validate_findings(bad, kb)


def test_the_document_reads_back_as_the_same_assessment() -> None:
    from datetime import date

    result = assess(FINDINGS, today=date.fromisoformat(TODAY))
    again = Assessment.model_validate_json(result.to_json())
    assert again == result
    assert again.to_dict() == result.to_dict() == json.loads(result.to_json())
    assert result.to_dict()["findings"]["trigger"] == ["lifting", "twisting"]  # sorted
    assert result.schema_version == SCHEMA_VERSION == "2"


def test_a_document_with_a_wrong_field_is_refused() -> None:
    document = assess(FINDINGS).to_dict()
    document["level"] = "relax"
    with pytest.raises(ValueError, match="level"):
        Assessment.model_validate(document)
    document = assess(FINDINGS).to_dict()
    document["colour"] = "green"
    with pytest.raises(ValueError, match="colour"):
        Assessment.model_validate(document)


def test_cli_api_diary_and_fhir_give_one_document(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # CLI
    source = tmp_path / "findings.json"
    source.write_text(json.dumps(FINDINGS))
    out = runner.invoke(cli, ["assess", "-f", str(source), "--format", "json", "--today", TODAY])
    assert out.exit_code == 0, out.output
    from_cli = json.loads(out.stdout)
    Assessment.model_validate(from_cli)  # a valid document

    # API: the same document for the same findings
    from_api = client.post(
        "/api/assess?full=true", json={"findings": FINDINGS, "today": TODAY}
    ).json()
    assert _same(from_api, from_cli)

    # Diary: `assess --format json | diary start --assessment -` keeps the document whole
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli-diary.db'}")
    started = runner.invoke(
        cli, ["diary", "start", "--assessment", "-", "--format", "json"], input=out.stdout
    )
    assert started.exit_code == 0, started.output
    episode = json.loads(started.stdout)["episode"]
    assert episode["level"] == from_cli["level"]
    assert episode["regions"] == ["lower_back"] and episode["peak_pain"] == 6
    shown = runner.invoke(cli, ["diary", "show", str(episode["id"]), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    kept = json.loads(shown.stdout)["episode"]["triage"][0]["assessment"]
    assert _same(kept, from_cli)

    # FHIR: a QuestionnaireResponse gives the document the API gives for the same findings
    fhir = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": QUESTIONNAIRE_URL,
        "status": "completed",
        "item": [
            {
                "linkId": "about_you",
                "item": [{"linkId": "about_you.age", "answer": [{"valueInteger": 44}]}],
            },
        ],
    }
    by_fhir = client.post("/fhir/QuestionnaireResponse/$assess", json=fhir).json()
    Assessment.model_validate(by_fhir)
    assert by_fhir["findings"]["age"] == 44
    same = client.post("/api/assess?full=true", json={"findings": by_fhir["findings"]}).json()
    assert _same(same, by_fhir)


def test_the_diary_refuses_an_old_or_broken_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{tmp_path / 'diary.db'}")
    old = assess(FINDINGS).to_dict()
    old["findings"] = {"age": {"value": 44, "evidence": ["44"], "doubtful": False}}
    result = runner.invoke(cli, ["diary", "start", "--assessment", "-"], input=json.dumps(old))
    assert result.exit_code == 2
    assert "findings" in result.stderr
    assert "Traceback" not in result.output


def test_the_engine_entry_never_fails_silent(monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.engine.entry as entry

    def broken(*_args: object, **_kwargs: object) -> Assessment:
        raise KeyError("a rule went missing")

    monkeypatch.setattr(entry, "assess", broken)
    result = run(FINDINGS)
    assert result.level == "urgent" and result.error
    assert "medical advice" in result.headline.lower()
    with pytest.raises(FindingsError):  # bad input is still the person's to fix
        monkeypatch.undo()
        run({"age": "old"})


CANDIDATES: list[Any] = [
    True,
    False,
    0,
    1,
    2,
    2.5,
    -1,
    10,
    11,
    121,
    1e9,
    "yes",
    "no",
    "3",
    "x",
    float("nan"),
    float("inf"),
    [],
    ["lifting"],
    ["nope"],
    "lifting",
    None,
    {},
]


def test_the_findings_model_and_validate_findings_agree_on_every_value() -> None:
    from pydantic import ValidationError

    kb = load_knowledge()
    model = findings_model(kb)
    for name, spec in kb.findings.items():
        if spec.group == "derived":
            continue
        for value in [*CANDIDATES, *spec.values[:2]]:
            try:
                expected: Any = validate_findings({name: value}, kb).get(name)
            except FindingsError:
                expected = FindingsError
            try:
                got: Any = getattr(model.model_validate({name: value}), name)
            except ValidationError:
                got = FindingsError
            assert got == expected and type(got) is type(expected), (name, value, got)


def test_the_fast_json_writer_writes_what_pydantic_writes() -> None:
    from datetime import date

    from unknot.engine import failed_assessment

    kb = load_knowledge()
    results = [failed_assessment("a reason")]
    for rule in kb.rules:
        for case in rule.cases:
            results.append(assess(case.findings, kb=kb, today=date(2026, 3, 2)))
    results.append(assess(FINDINGS, kb=kb).with_words("self", {"age": ["I’m 44 — «quite» old"]}))
    for result in results:
        assert result.to_json() == result.model_dump_json().encode()


def test_the_engine_builds_results_quickly_but_names_a_wrong_field() -> None:
    from unknot.engine.results import AdviceResult, Evidence

    fever = Evidence(finding="fever", value=True, label="a fever")
    assert Evidence.model_validate(fever.model_dump()) == fever
    advice = AdviceResult(
        id="a",
        title="t",
        text="x",
        why=None,
        cautions=(),
        exercises=(),
        answers=(),
        citations=(),
    )
    assert advice.reminder is None  # a default is filled in
    with pytest.raises(TypeError, match="lable"):
        Evidence(finding="fever", value=True, lable="a fever")  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="label"):
        Evidence(finding="fever", value=True)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="frozen"):
        fever.label = "changed"


def test_the_document_has_one_key_order_whatever_the_order_of_construction() -> None:
    from unknot.engine.results import Evidence

    one = Evidence(label="a fever", value=True, finding="fever")
    other = Evidence(finding="fever", value=True, label="a fever")
    assert one.to_json() == other.to_json() == one.model_dump_json().encode()
    assert list(one.to_dict()) == ["finding", "value", "label"]
