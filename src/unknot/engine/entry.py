"""The one way every surface runs the engine: it never fails silent.

:func:`run` is :func:`~unknot.engine.assessment.assess` with a guard: bad input
still raises :class:`~unknot.engine.findings.FindingsError` (the surface names
the field: exit code 2 or a 422), and any other failure becomes the seek-care
result of :func:`~unknot.engine.assessment.failed_assessment`, with the reason.
Nothing about the person is logged: only the kind of failure.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from ..knowledge import Knowledge
from .assessment import assess, failed_assessment
from .findings import FindingsError
from .results import Assessment
from .serialize import assessment_json

log = logging.getLogger("unknot.engine")

#: The reason a failed result gives (the error's kind is added in brackets).
FAILED_REASON = "The assessment could not be completed"


def run(
    findings: Mapping[str, Any],
    *,
    doubtful: Iterable[str] = (),
    today: date | None = None,
    region: str | None = None,
    kb: Knowledge | None = None,
    validated: bool = False,
) -> Assessment:
    """Assess, or say to seek care with the reason: never nothing, never a traceback.

    Raises :class:`FindingsError` only for bad input, which the person can fix.
    """
    try:
        return assess(
            findings,
            doubtful=tuple(doubtful),
            today=today,
            region=region,
            kb=kb,
            validated=validated,
        )
    except FindingsError:
        raise
    except Exception as exc:  # any engine bug must still end in advice to seek care
        kind = type(exc).__name__
        log.error("assessment failed: %s", kind)
        return failed_assessment(f"{FAILED_REASON} ({kind}).", region)


def run_json(
    findings: Mapping[str, Any],
    *,
    doubtful: Iterable[str] = (),
    today: date | None = None,
    region: str | None = None,
    kb: Knowledge | None = None,
    validated: bool = False,
    compact: bool = False,
) -> bytes:
    """:func:`run`, as the assessment's JSON document (``compact``: without the
    plan's long texts, see :mod:`.serialize`)."""
    result = run(
        findings, doubtful=doubtful, today=today, region=region, kb=kb, validated=validated
    )
    try:
        return assessment_json(result, compact=compact)
    except Exception as exc:  # a result that cannot be written is a failure too
        kind = type(exc).__name__
        log.error("assessment could not be written: %s", kind)
        return assessment_json(failed_assessment(f"{FAILED_REASON} ({kind}).", region))
