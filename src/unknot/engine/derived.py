"""Values worked out from other findings (declared under ``derived`` in findings.yaml)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def with_derived(findings: Mapping[str, Any]) -> dict[str, Any]:
    """Findings plus derived values; the input is not changed."""
    out = dict(findings)
    height, weight = findings.get("height_cm"), findings.get("weight_kg")
    if height and weight:
        # two decimals: exact at the threshold (76.8 kg at 160 cm is 30), no float noise
        out["bmi"] = round(weight / (height / 100) ** 2, 2)
    return out
