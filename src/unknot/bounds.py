"""Limits every input is held to, wherever it arrives (API, FHIR, forms, CLI).

A ground-floor module (it imports nothing from Unknot), so that the engine's
models, the diary's inputs and the web's request models can all use it, and
stays in force when those models are regenerated.

- Dates: from 1900-01-01 to 2199-12-31. Nobody's back spasm began earlier, and
  a later date is a typo; both ends keep every date calculation (plans add
  weeks, the summary goes back months) far from the calendar's limits.
- Database ids: 1 to 2**63 - 1 (what SQLite and PostgreSQL can store).
- Numbers: finite (no NaN, no Infinity).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator

EARLIEST = date(1900, 1, 1)
LATEST = date(2199, 12, 31)
MAX_ID = 2**63 - 1
#: Longest "last N months" a summary can ask for (100 years).
MAX_MONTHS = 1200
DATE_RANGE = f"between {EARLIEST.isoformat()} and {LATEST.isoformat()}"


def check_day(value: date) -> date:
    """A calendar date in :data:`EARLIEST` .. :data:`LATEST`, else ValueError."""
    day = value.date() if isinstance(value, datetime) else value
    if not EARLIEST <= day <= LATEST:
        raise ValueError(f"must be a date {DATE_RANGE}, got {day.isoformat()}")
    return value


def check_moment(value: datetime) -> datetime:
    """A date and time whose date is in range (checked before any time-zone arithmetic)."""
    check_day(value.date())
    return value


def check_finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Day = Annotated[date, AfterValidator(check_day)]
Moment = Annotated[datetime, AfterValidator(check_moment)]
