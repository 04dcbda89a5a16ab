"""A new episode filled from an assessment: the one translation every surface uses.

``unknot diary start --findings/--assessment`` and the web's "keep this in my
diary" both start an episode from an assessment document: the episode keeps
the whole document as its first triage result, and takes where it hurts, what
set it off, how bad it is and when it began from the assessment's findings
(only where the person did not say otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

#: Beyond this many days ago no start date is taken from the findings (the catalogue's limit).
MAX_DAYS = 36_500


def episode_from_assessment(
    document: Mapping[str, Any],
    data: Mapping[str, Any] | None = None,
    *,
    now: datetime,
    start_now: bool = True,
) -> dict[str, Any]:
    """The new episode's fields (checked later as ``EpisodeIn``).

    ``data`` holds what the person gave (empty values are filled from the
    findings); with ``start_now`` the episode begins ``days_since_onset`` ago.
    """
    given = dict(data or {})
    found = document.get("findings") or {}
    out: dict[str, Any] = {"started_at": now, **given, "assessment": dict(document)}
    out["regions"] = given.get("regions") or _names(found.get("location"))
    out["triggers"] = given.get("triggers") or _names(found.get("trigger"))
    if given.get("peak_pain") is None:
        out["peak_pain"] = found.get("pain_score")
    days = found.get("days_since_onset")
    if isinstance(days, bool) or not isinstance(days, int | float):
        return out
    if start_now and 0 < days < MAX_DAYS:
        out["started_at"] = now - timedelta(days=float(days))
    return out


def _names(value: Any) -> list[Any]:
    """A list finding from an assessment (anything else is left for the checks)."""
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]
