"""The "learn" topics: loaded, cited, and covering what the seed articles cover."""

from __future__ import annotations

from typing import Any

import pytest

from conftest import load_with_change
from unknot.knowledge import Knowledge, KnowledgeError


def test_learn_topics_load_in_order_with_versions_and_citations(kb: Knowledge) -> None:
    assert kb.learn, "no learn topics loaded"
    assert kb.learn[0].id == "learn.what_is_a_spasm"
    for topic in kb.learn:
        assert topic.version >= 1 and topic.title, topic.id
        assert len(topic.text.split()) >= 30, f"{topic.id} is too thin to teach anything"
        assert all(c in kb.sources for c in topic.citations), topic.id
        assert "\n" not in topic.text


@pytest.mark.parametrize(
    "subject, words",
    [
        ("what a spasm is", ["tightening on its own", "let go"]),
        ("causes", ["twist", "lifting", "strain"]),
        ("risk factors", ["water", "minerals", "hamstrings", "posture", "stress"]),
        ("signs", ["knot", "stiffness"]),
        ("prevention", ["warm up", "stretch", "lift"]),
        ("treatment", ["heat", "massage", "stretch"]),
        ("when to see a doctor", ["week", "numbness", "fever"]),
        ("severe pain is usually harmless", ["harmless"]),
        ("medicines, never with a dose", ["paracetamol", "never gives doses"]),
    ],
)
def test_learn_covers_each_subject_of_the_seed_articles(
    kb: Knowledge, subject: str, words: list[str]
) -> None:
    everything = " ".join(t.text.lower() for t in kb.learn)
    missing = [w for w in words if w.lower() not in everything]
    assert missing == [], f"{subject}: {missing}"


def test_every_seed_article_is_drawn_on_by_some_topic(kb: Knowledge) -> None:
    cited = {c for t in kb.learn for c in t.citations}
    seeds = {s.id for s in kb.sources.values() if s.kind == "seed_article"}
    assert seeds <= cited


def test_a_broken_learn_topic_names_the_file_and_topic(monkeypatch: pytest.MonkeyPatch) -> None:
    def change(data: dict[str, Any]) -> None:
        data["topics"][2]["citations"] = ["a-blog-post"]

    with pytest.raises(KnowledgeError) as err:
        load_with_change(monkeypatch, "learn.yaml", change)
    assert err.value.file == "learn.yaml"
    assert err.value.item == "learn.causes"
    assert "a-blog-post" in err.value.problem
