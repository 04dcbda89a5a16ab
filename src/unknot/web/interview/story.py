"""The person's own words, read by the free-text intake (imported lazily: spaCy is heavy)."""

from __future__ import annotations

import importlib
from typing import Any


class IntakeUnavailable(Exception):
    """Free-text intake is not installed in this build."""


def extraction_of(text: str) -> Any:
    """Run free-text intake on ``text``."""
    try:
        intake = importlib.import_module("unknot.intake")
    except ImportError as exc:
        raise IntakeUnavailable from exc
    return intake.extract_findings(text)
