"""Run the engine for the web app: :func:`unknot.engine.run`, as JSON or a dict.

The engine's safe entry turns any failure into the seek-care result; this
module only writes it out. The JSON is the assessment document of
:class:`unknot.engine.Assessment` (the same as ``unknot assess --format json``),
written by
:mod:`unknot.engine.serialize` (plan parts that repeat are kept as ready JSON),
in full or compact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import orjson

from ..engine import failed_assessment, run_json, unread_assessment
from ..engine.serialize import assessment_json as to_json

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
    :class:`~unknot.engine.FindingsError` (bad input) is passed on for a 4xx answer.
    """
    return run_json(
        findings,
        region=region,
        today=today,
        validated=validated,
        doubtful=doubtful,
        compact=compact,
    )


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
