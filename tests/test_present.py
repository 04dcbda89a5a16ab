"""What a result says, and in what order: the presentation room (unknot.present)."""

from __future__ import annotations

from datetime import date

import pytest
from typer.testing import CliRunner

from unknot.cli import app
from unknot.engine import assess
from unknot.knowledge import Knowledge
from unknot.present import link_phones, present
from unknot.report import assessment_markdown

TODAY = date(2026, 11, 20)
ALL_CLEAR: dict[str, object] = {"age": 34, "pain_score": 5, "days_since_onset": 1}
runner = CliRunner()


def _all_safety_answered(kb: Knowledge, extra: dict[str, object]) -> dict[str, object]:
    """Every safety question answered 'no' (or its calmest value), then ``extra``."""
    first = assess({}, today=TODAY, kb=kb)
    findings: dict[str, object] = {}
    for name in first.unanswered:
        spec = kb.findings[name]
        if spec.type == "bool":
            findings[name] = False
        elif spec.type == "enum":
            findings[name] = spec.values[0]
    findings.update(extra)
    return findings


def test_first_screen_says_level_why_what_to_do_and_what_to_call(kb: Knowledge) -> None:
    p = present(assess(ALL_CLEAR, today=TODAY, region="uk", kb=kb), kb)
    f = p.first
    assert f.title == kb.levels["self_care"].title
    assert f.why and f.do_now and f.call_now_if
    assert [c.href for c in f.calls] == ["tel:999"]


def test_urgent_names_the_regions_urgent_line_and_no_week_of_home_care(kb: Knowledge) -> None:
    result = assess({**ALL_CLEAR, "fever": True}, today=TODAY, region="au", kb=kb)
    assert result.level == "urgent"
    p = present(result, kb)
    assert [c.href for c in p.first.calls] == ["tel:000", "tel:1800022222"]
    ids = [s.id for s in p.sections]
    assert "tell" in ids
    assert not {"relief", "prevention", "exercises"} & set(ids)
    everything = assessment_markdown(result, kb, full=True).lower()
    assert "harmless" not in everything


def test_soon_shows_only_until_you_are_seen_without_reassurance(kb: Knowledge) -> None:
    result = assess({**ALL_CLEAR, "previous_back_injury": True}, today=TODAY, kb=kb)
    assert result.level == "soon"
    p = present(result, kb)
    relief = p.section("relief")
    assert relief is not None and relief.title == "Until you are seen"
    assert len(relief.groups) == 1
    assert "harmless" not in assessment_markdown(result, kb, full=True).lower()


@pytest.mark.parametrize("region", ["uk", "us", "ca", "au", "nz", "ie", "in", "eu"])
def test_every_region_names_an_urgent_line(kb: Knowledge, region: str) -> None:
    chosen = kb.regions[region]
    assert chosen.urgent_line and chosen.emergency_tel
    result = assess({**ALL_CLEAR, "fever": True}, today=TODAY, region=region, kb=kb)
    text = assessment_markdown(result, kb)
    line = link_phones(chosen.urgent_line, kb, lambda w, d: f"[{w}](tel:{d})")
    assert line.split(" (")[0] in text
    assert all(f"(tel:{t})" in text for t in chosen.emergency_tel)
    if chosen.urgent_tel:
        assert f"(tel:{chosen.urgent_tel})" in text


def test_unanswered_safety_questions_make_the_result_provisional(kb: Knowledge) -> None:
    p = present(assess(ALL_CLEAR, today=TODAY, kb=kb), kb)
    assert p.first.provisional and p.first.unanswered
    text = assessment_markdown(assess(ALL_CLEAR, today=TODAY, kb=kb), kb)
    assert text.startswith(f"# {kb.levels['self_care'].title} (provisional)\n")
    assert text.index(p.first.unanswered[0]) < text.index("What to do now")
    assert "no warning sign" not in text.lower()
    assert "more in the full list" in text and "25 more" not in text


def test_all_answered_is_not_provisional(kb: Knowledge) -> None:
    result = assess(
        _all_safety_answered(kb, {**ALL_CLEAR, "pain_trend": "improving"}), today=TODAY, kb=kb
    )
    assert result.unanswered == () and result.level == "self_care"
    p = present(result, kb)
    assert not p.first.provisional and p.section("unanswered") is None


def test_an_unread_text_says_so_and_goes_to_the_questions(kb: Knowledge) -> None:
    unread = {
        **assess(ALL_CLEAR, today=TODAY, kb=kb).to_dict(),
        "level": None,
        "unread_reason": "Unknot could not find any words it knows.",
    }
    p = present(unread, kb)
    assert p.first.title == "Unknot could not read your words"
    assert "questions" in p.first.do_now[0]
    assert p.first.calls and not p.first.provisional


def test_markdown_opens_with_the_level_in_words_once(kb: Knowledge) -> None:
    text = assessment_markdown(assess({"saddle_numbness": True}, today=TODAY, kb=kb), kb)
    assert text.startswith("# Emergency\n")
    assert "EMERGENCY" not in text


def test_cli_compact_keeps_the_level_on_screen_and_full_shows_everything(tmp_path: object) -> None:
    import json
    from pathlib import Path

    path = Path(str(tmp_path)) / "f.json"
    path.write_text(json.dumps(ALL_CLEAR))
    compact = runner.invoke(app, ["assess", "-f", str(path), "--today", "2026-11-20"])
    full = runner.invoke(app, ["assess", "-f", str(path), "--today", "2026-11-20", "--full"])
    assert compact.exit_code == 0 and full.exit_code == 0
    assert "SELF-CARE" in "\n".join(compact.output.splitlines()[:4])
    assert len(compact.output.splitlines()) <= 40
    assert "--full" in compact.output
    assert "Relief plan" in full.output and "Relief plan" not in compact.output.split("More (")[0]
    assert len(full.output.splitlines()) > 3 * len(compact.output.splitlines())
