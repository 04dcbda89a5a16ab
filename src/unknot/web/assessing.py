"""Run the engine for a surface, turning unexpected failures into seek-care advice."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from ..engine import FindingsError, assess, failed_assessment

log = logging.getLogger("unknot.web")

FAILED_REASON = "The assessment could not be completed."


def assess_or_fail(
    findings: Mapping[str, Any],
    *,
    region: str | None,
    today: date | None = None,
    validated: bool = False,
) -> dict[str, Any]:
    """The assessment as JSON, or the seek-care result if the engine fails.

    :class:`FindingsError` (bad input) is passed on for a 4xx answer. Nothing
    about the person is logged: only the kind of failure.
    """
    try:
        return assess(findings, today=today, region=region, validated=validated).to_dict()
    except FindingsError:
        raise
    except Exception as exc:  # any engine bug must still end in advice
        log.error("assessment failed: %s", type(exc).__name__)
        return failed(region)


def failed(region: str | None) -> dict[str, Any]:
    return failed_assessment(FAILED_REASON, region).to_dict()
