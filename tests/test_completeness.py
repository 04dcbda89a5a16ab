"""The engine owns the clinical defaults (TRIAGE.md "How the assessment asks"
4, 5, 6, 8): doubt counts as yes, an unanswered safety question as no for the
level but keeps the result provisional, and unread words give no level.
Every surface (CLI, API) shows the same fields.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from unknot.cli.app import app as cli_app
from unknot.engine import FindingsError, assess, failed_assessment, unread_assessment
from unknot.knowledge import LEVEL_RANK, Knowledge, load_knowledge
from unknot.report import assessment_markdown
from unknot.web import Settings, create_app

KB = load_knowledge()
SAFETY = [n for n in KB.safety_order]


def all_answered_no(**overrides: Any) -> dict[str, Any]:
    """Every safety question answered "no" (a man of 40, pain low in the back)."""
    out: dict[str, Any] = {}
    for name in SAFETY:
        spec = KB.findings[name]
        if spec.type == "bool":
            out[name] = False
        elif spec.type == "enum" and "none" in spec.values:
            out[name] = "none"
    out.update(
        age=40,
        sex="male",
        days_since_onset=1,
        pain_trend="improving",
        location=["lower_back"],
        trigger=["bending"],
        onset="sudden",
    )
    out.update(overrides)
    return out


# ---------------------------------------------------------------- complete


def test_with_every_safety_question_answered_the_result_is_complete() -> None:
    result = assess(all_answered_no())
    assert result.level == "self_care"
    assert result.complete and result.unanswered == () and result.doubtful == ()
    assert not result.headline.startswith("Provisional")
    assert "No warning signs" in assessment_markdown(result, KB)


def test_nothing_answered_is_provisional_and_never_says_no_warning_signs() -> None:
    result = assess({"age": 34})
    assert result.level == "self_care" and not result.complete
    assert len(result.unanswered) > 20
    assert result.headline.startswith(f"Provisional: {len(result.unanswered)} safety questions")
    text = assessment_markdown(result, KB)
    assert "no warning sign" not in text.lower()
    assert result.to_dict()["complete"] is False


def test_one_question_left_names_it_and_keeps_it_provisional() -> None:
    findings = all_answered_no()
    del findings["saddle_numbness"]
    result = assess(findings)
    assert result.unanswered == ("saddle_numbness",) and not result.complete
    assert result.headline.startswith("Provisional: 1 safety question is")


def test_a_question_that_cannot_apply_does_not_keep_it_provisional() -> None:
    """Pregnancy for a man; bleeding in pregnancy once she said she is not pregnant."""
    man = all_answered_no()
    del man["pregnant"], man["vaginal_bleeding"]
    assert assess(man).complete
    woman = {**man, "sex": "female"}
    assert set(assess(woman).unanswered) == {"pregnant", "vaginal_bleeding"}
    assert assess({**woman, "pregnant": False}).complete
    assert "vaginal_bleeding" in assess({**woman, "pregnant": True}).unanswered


def test_a_question_whose_rules_are_already_settled_is_not_asked() -> None:
    """Nausea matters only with pain in the flank; the place is answered without it."""
    findings = all_answered_no()
    del findings["nausea_vomiting"]
    assert assess(findings).complete
    assert "nausea_vomiting" in assess({**findings, "location": ["flank"]}).unanswered


def test_unanswered_lists_the_most_urgent_questions_first(kb: Knowledge) -> None:
    result = assess({"age": 30})
    top = {}
    for rule in kb.rules:
        from unknot.knowledge.conditions import findings_used

        for name in findings_used(rule.when):
            top[name] = max(top.get(name, 0), LEVEL_RANK[rule.level])
    ranks = [top[n] for n in result.unanswered]
    assert ranks == sorted(ranks, reverse=True)
    assert ranks[0] == LEVEL_RANK["emergency"]


def test_an_emergency_is_not_watered_down_by_the_provisional_note() -> None:
    result = assess({"saddle_numbness": True})
    assert result.level == "emergency" and not result.complete
    assert result.headline == KB.levels["emergency"].headline


# ---------------------------------------------------------------- doubt


def test_a_doubtful_sign_counts_as_present_and_is_listed() -> None:
    sure_no = assess(all_answered_no())
    doubt = assess(all_answered_no(), doubtful=["leg_weakness"])
    assert sure_no.level == "self_care"
    assert doubt.level == "urgent" and "progressive_nerve_deficit" in {c.id for c in doubt.concerns}
    assert doubt.doubtful == ("leg_weakness",) and not doubt.complete
    assert "with some doubt" in doubt.headline


def test_a_doubtful_sign_keeps_the_value_the_person_gave() -> None:
    result = assess({"leg_numbness": "both_legs"}, doubtful=["leg_numbness"])
    assert result.level == "emergency"


def test_a_doubtful_yes_no_sign_given_as_no_still_counts_as_yes() -> None:
    result = assess({"fever": False}, doubtful=["fever"])
    assert result.level == "urgent" and result.findings["fever"] is True


def test_a_doubtful_name_that_is_not_a_finding_is_refused_by_name() -> None:
    with pytest.raises(FindingsError) as err:
        assess({}, doubtful=["numbnes"])
    assert err.value.field == "numbnes"


def test_feeding_the_result_back_gives_the_same_level() -> None:
    """The findings and doubt of a result, assessed again (as the diary does), agree."""
    first = assess({"age": 50}, doubtful=["abdominal_pain"])
    again = assess(first.findings, doubtful=first.doubtful)
    assert (
        (again.level, again.doubtful)
        == (first.level, first.doubtful)
        == ("urgent", ("abdominal_pain",))
    )


# ---------------------------------------------------------------- unread / failed


def test_unread_words_have_no_level_and_ask_every_safety_question() -> None:
    result = unread_assessment("The words are not in English.", region="uk")
    data = result.to_dict()
    assert data["level"] is None and data["complete"] is False
    assert data["unread_reason"] == "The words are not in English."
    assert "999" in data["headline"] and "not a diagnosis" in data["disclaimer"].lower()
    assert set(data["unanswered"]) == set(assess({}).unanswered)
    assert data["relief_plan"] == [] and data["concerns"] == []
    assert data["schema_version"] == "2"
    assert "no warning sign" not in assessment_markdown(result, KB).lower()


def test_a_failure_still_says_to_seek_care_and_is_not_complete() -> None:
    result = failed_assessment("internal error")
    assert result.level == "urgent" and not result.complete


# ---------------------------------------------------------------- property


def answer(name: str) -> st.SearchStrategy[Any]:
    spec = KB.findings[name]
    if spec.type == "bool":
        return st.booleans()
    if spec.type == "enum":
        return st.sampled_from(spec.values)
    low, high = int(spec.min or 0), int(spec.max or 100)
    return st.integers(low, min(high, 120))


@st.composite
def more_answers(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after): after answers some safety questions before left open."""
    start = draw(st.lists(st.sampled_from(SAFETY), unique=True, max_size=10))
    before = {n: draw(answer(n)) for n in start}
    before["trigger"] = draw(
        st.lists(st.sampled_from(KB.findings["trigger"].values), unique=True, max_size=2)
    )
    before["location"] = draw(
        st.lists(st.sampled_from(KB.findings["location"].values), unique=True, max_size=2)
    )
    rest = [n for n in SAFETY if n not in before]
    extra = draw(st.lists(st.sampled_from(rest), unique=True, min_size=1, max_size=12))
    return before, {**before, **{n: draw(answer(n)) for n in extra}}


@settings(deadline=None, max_examples=250)
@given(more_answers())
def test_answering_more_safety_questions_never_lowers_the_level(
    change: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    before, after = change
    first, second = assess(before), assess(after)
    assert first.level is not None and second.level is not None
    assert LEVEL_RANK[second.level] >= LEVEL_RANK[first.level], (before, after)


# ---------------------------------------------------------------- CLI


runner = CliRunner()


@dataclass
class FakeExtraction:
    findings: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    doubtful: set[str] = field(default_factory=set)
    subject: str = "self"
    read: bool = True
    unread_reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "findings": {
                n: {"value": v, "evidence": [], "doubtful": n in self.doubtful}
                for n, v in self.findings.items()
            },
        }


def fake_reader(monkeypatch: pytest.MonkeyPatch, extraction: FakeExtraction) -> None:
    import unknot.intake

    monkeypatch.setattr(unknot.intake, "extract_findings", lambda text: extraction)


def test_cli_text_passes_doubt_to_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Same words, same level as the web: a doubtful weak leg is counted."""
    fake_reader(monkeypatch, FakeExtraction(findings={"age": 40}, doubtful={"leg_weakness"}))
    result = runner.invoke(cli_app, ["assess", "--format", "json", "--text", "maybe weaker?"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.output)
    assert data["level"] == "urgent" and data["doubtful"] == ["leg_weakness"]
    assert data["complete"] is False and data["schema_version"] == "2"


def test_cli_unread_text_gives_no_level_and_exit_3(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_reader(monkeypatch, FakeExtraction(read=False, unread_reason="Not in English."))
    result = runner.invoke(cli_app, ["assess", "--format", "json", "--text", "hola"])
    assert result.exit_code == 3, result.output
    data = json.loads(result.output)
    assert data["level"] is None and data["unread_reason"] == "Not in English."
    assert data["unanswered"] and data["complete"] is False


def test_cli_provisional_text_names_the_questions(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_reader(monkeypatch, FakeExtraction(findings={"age": 40}))
    result = runner.invoke(cli_app, ["assess", "--format", "markdown", "--text", "back hurts"])
    assert result.exit_code == 3
    assert "provisional" in result.output.lower()
    # the most urgent open questions are named first, the rest counted
    first = assess({"age": 40}).unanswered[0]
    assert KB.findings[first].label.lower() in result.output.lower()
    assert "more in the full list" in result.output
    assert "no warning sign" not in result.output.lower()


def test_cli_complete_text_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    fake_reader(monkeypatch, FakeExtraction(findings=all_answered_no()))
    result = runner.invoke(cli_app, ["assess", "--format", "json", "--text", "all of it"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["complete"] is True


def test_cli_help_documents_exit_status_3() -> None:
    result = runner.invoke(cli_app, ["assess", "--help"])
    assert "3" in result.output and "provisional" in result.output.lower()


# ---------------------------------------------------------------- API

CONTRACT = {"level", "complete", "unanswered", "doubtful", "unread_reason", "schema_version"}


@pytest.fixture
def client(tmp_path: Any) -> Any:
    settings_ = Settings(secret_key="test", database_url=f"sqlite:///{tmp_path / 'd.db'}")
    with TestClient(create_app(settings_)) as c:
        yield c


def test_api_findings_carry_the_contract_fields(client: Any) -> None:
    got = client.post("/api/assess", json={"findings": {"age": 40, "fever": False}})
    assert got.status_code == 200
    data = got.json()
    assert set(data) >= CONTRACT
    assert data["complete"] is False and "saddle_numbness" in data["unanswered"]
    assert data["schema_version"] == "2" and data["unread_reason"] is None


def test_api_text_passes_doubt_and_unread(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import unknot.web.routes.api as api

    monkeypatch.setattr(
        api,
        "extraction_of",
        lambda text: FakeExtraction(findings={"age": 40}, doubtful={"leg_weakness"}),
    )
    data = client.post("/api/assess", json={"text": "maybe my leg is weaker?"}).json()
    assert data["level"] == "urgent" and data["doubtful"] == ["leg_weakness"]

    monkeypatch.setattr(
        api, "extraction_of", lambda text: FakeExtraction(read=False, unread_reason="Only emoji.")
    )
    got = client.post("/api/assess", json={"text": "\U0001f62d\U0001f62d"})
    assert got.status_code == 200
    data = got.json()
    assert data["level"] is None and data["complete"] is False
    assert data["unread_reason"] == "Only emoji." and data["unanswered"]


def test_a_doubt_about_a_trend_or_a_number_changes_nothing() -> None:
    result = assess({"age": 40}, doubtful=["pain_trend", "days_since_onset"])
    assert result.doubtful == () and "pain_trend" not in result.findings
