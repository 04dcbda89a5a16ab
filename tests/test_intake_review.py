"""Fresh phrasings, written after the intake was built, read straight to a level.

Each narrative's expected level was worked out by hand from the triage policy;
the intake must reach it from the words alone (no findings given).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from unknot.engine import assess
from unknot.intake import extract_findings

CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "narratives" / "review.yaml").read_text()
)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_narrative_reaches_its_level(case: dict[str, Any]) -> None:
    extraction = extract_findings(case["narrative"])
    result = assess(extraction.findings, validated=True)
    named = {c.id for c in result.concerns}
    assert result.level == case["expect"]["level"], (case["narrative"], extraction.findings)
    assert set(case["expect"].get("concerns", [])) <= named
