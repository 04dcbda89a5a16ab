"""The knowledge base loads, is consistent, and rejects broken files clearly."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import load_with_change
from unknot.engine.check import check_knowledge
from unknot.knowledge import Knowledge, KnowledgeError
from unknot.knowledge import loader as loader_module
from unknot.knowledge.conditions import ConditionError, compile_condition


def test_every_rule_and_factor_carries_id_version_explanation_citations_cases(
    kb: Knowledge,
) -> None:
    for item in [*kb.rules, *kb.factors]:
        assert item.id and item.version >= 1
        assert len(item.explanation.split()) >= 8, item.id
        assert item.citations and item.cases, item.id


def test_every_declared_concern_has_a_rule(kb: Knowledge) -> None:
    assert {r.concern for r in kb.rules} == set(kb.concerns)


def test_knowledge_check_finds_no_problem(kb: Knowledge) -> None:
    assert check_knowledge(kb) == []


def test_the_check_reports_a_worked_case_that_disagrees(kb: Knowledge) -> None:
    rule = kb.rules[0]
    broken_case = rule.cases[0].model_copy(update={"fires": not rule.cases[0].fires})
    broken_rule = rule.model_copy(update={"cases": [broken_case]})
    patched = dataclasses.replace(kb, rules=[broken_rule, *kb.rules[1:]])
    assert any(rule.id in p and "worked case" in p for p in check_knowledge(patched))


def test_check_against_a_vocabulary_reports_unknown_names(kb: Knowledge) -> None:
    vocab = {"nerves": {"telepathy": {"type": "bool"}}, "concerns": ["curse"], "factors": ["moon"]}
    problems = check_knowledge(kb, vocab)
    assert any("telepathy" in p for p in problems)
    assert any("curse" in p for p in problems)
    assert any("moon" in p for p in problems)


def test_broken_rule_file_names_file_rule_and_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    def change(data: dict[str, Any]) -> None:
        data["rules"][0]["when"] = {"unicorn_sighting": True}

    with pytest.raises(KnowledgeError) as err:
        load_with_change(monkeypatch, "triage_rules.yaml", change)
    assert err.value.file == "triage_rules.yaml"
    assert err.value.item == "emergency.cauda_equina"
    assert "unicorn_sighting" in err.value.problem


def test_missing_field_in_rule_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["factors"][1]["citations"]

    with pytest.raises(KnowledgeError, match="citations"):
        load_with_change(monkeypatch, "factors.yaml", change)


@pytest.mark.parametrize(
    "cond, message",
    [
        ({"age": "old"}, "number"),
        ({"leg_numbness": "three_legs"}, "no value"),
        ({"fever": {"gte": 1}}, "not a number"),
        ({"any": []}, "non-empty"),
        ({"age": {"around": 3}}, "unknown test"),
    ],
)
def test_conditions_reject_wrong_values(
    kb: Knowledge, cond: dict[str, object], message: str
) -> None:
    with pytest.raises(ConditionError, match=message):
        compile_condition(cond, kb.findings)


def test_conditions_treat_unknown_as_absent_and_return_evidence(kb: Knowledge) -> None:
    check = compile_condition({"any": [{"fever": True}, {"age": {"gte": 70}}]}, kb.findings)
    assert check({}) is None
    assert check({"age": 70, "fever": True}) == ("fever", "age")
    assert check({"age": 69}) is None


def test_data_files_are_valid_yaml_with_versions() -> None:
    data_dir = Path(loader_module.__file__).parent / "data"
    for path in data_dir.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        assert isinstance(data, dict) and data.get("version"), path.name
