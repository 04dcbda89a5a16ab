"""Run the engine for a surface, turning unexpected failures into seek-care advice.

The JSON is the engine's :meth:`Assessment.to_dict` shape (or its compact
form), written by :mod:`unknot.engine.serialize`: orjson, with the plan parts
that repeat between assessments kept as ready JSON (a test checks the two agree).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import orjson

from ..engine import FindingsError, assess, failed_assessment, unread_assessment
from ..engine.serialize import assessment_json as to_json

log = logging.getLogger("unknot.web")

FAILED_REASON = "The assessment could not be completed."


def assessment_json(
    findings: Mapping[str, Any],
    *,
    region: str | None,
    today: date | None = None,
    validated: bool = False,
    doubtful: Iterable[str] = (),
    compact: bool = False,
) -> bytes:
    """The assessment as JSON bytes, or the seek-care result if the engine fails.

    ``doubtful``: signs said with doubt; the engine counts them as present.
    :class:`FindingsError` (bad input) is passed on for a 4xx answer. Nothing
    about the person is logged: only the kind of failure.
    """
    try:
        result = assess(
            findings, doubtful=doubtful, today=today, region=region, validated=validated
        )
        return to_json(result, compact=compact)
    except FindingsError:
        raise
    except Exception as exc:  # any engine bug must still end in advice
        log.error("assessment failed: %s", type(exc).__name__)
        return to_json(failed_assessment(FAILED_REASON, region), compact=compact)


def unread_json(reason: str, region: str | None, *, compact: bool = False) -> bytes:
    """The words could not be read: no level, the reason, the safety questions to ask."""
    return to_json(unread_assessment(reason, region), compact=compact)


def assess_or_fail(
    findings: Mapping[str, Any],
    *,
    region: str | None,
    today: date | None = None,
    validated: bool = False,
    doubtful: Iterable[str] = (),
) -> dict[str, Any]:
    """Like :func:`assessment_json`, as a dict for the templates."""
    result: dict[str, Any] = orjson.loads(
        assessment_json(
            findings, region=region, today=today, validated=validated, doubtful=doubtful
        )
    )
    return result


def failed(region: str | None) -> dict[str, Any]:
    return failed_assessment(FAILED_REASON, region).to_dict()
