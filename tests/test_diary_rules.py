"""diary_rules.yaml: loaded, validated, and cross-checked against the other knowledge."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from unknot.knowledge import KnowledgeError, load_knowledge, loader
from unknot.knowledge.loader import load_diary_rules


def test_the_shipped_rules_load_and_point_at_real_checkpoints() -> None:
    rules = load_diary_rules()
    checkpoints = {c.id for c in load_knowledge().checkpoints}
    assert {r.checkpoint for r in rules.checkpoint_rules} <= checkpoints
    assert {r.kind for r in rules.checkpoint_rules} == {
        "not_easing", "still_open", "frequent", "same_place", "red_flag"}
    assert set(rules.feelings) == {"better", "same", "worse"}


def test_medicines_are_classes_with_no_dose_anywhere() -> None:
    rules = load_diary_rules()
    medicines = [r for r in rules.remedies if r.kind == "medicine"]
    assert {"nsaid", "paracetamol", "topical"} <= {r.id for r in medicines}
    text = yaml.safe_dump(rules.model_dump())
    assert " mg" not in text and "dose" not in text.lower()


def broken(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    original = loader._read

    def fake(name: str) -> Any:
        data = original(name)
        if name == loader.DIARY_RULES_FILE:
            change(data)
        return data

    monkeypatch.setattr(loader, "_read", fake)
    load_diary_rules.cache_clear()


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["checkpoint_rules"][0].update(checkpoint="checkpoint.day_99"),
         "unknown checkpoint"),
        (lambda d: d["checkpoint_rules"][0].pop("from_day"), "needs 'from_day'"),
        (lambda d: d["checkpoint_rules"][2].update(citations=["nowhere"]), "unknown source"),
        (lambda d: d["danger_signs"].append("pain_score"), "not a yes/no"),
        (lambda d: d["feelings"]["worse"].update(pain_trend="awful"), "unknown pain_trend"),
        (lambda d: d["routine"][0].update(times=["25:00"]), "not HH:MM"),
        (lambda d: d["routine"][0].update(prevention="prevention.nothing"), "unknown prevention"),
        (lambda d: d["checkpoint_rules"][0].update(kind="vibes"), "kind"),
    ],
)
def test_a_broken_rules_file_is_reported_with_the_item(
    monkeypatch: pytest.MonkeyPatch, change: Any, words: str
) -> None:
    broken(monkeypatch, change)
    try:
        with pytest.raises(KnowledgeError, match=words) as caught:
            load_diary_rules()
        assert caught.value.file == "diary_rules.yaml"
    finally:
        monkeypatch.undo()
        load_diary_rules.cache_clear()
