"""One router per resource; ``ROUTERS`` is what ``create_app`` includes."""

from __future__ import annotations

from fastapi import APIRouter

from . import api, diary, diary_api, fhir, interview, pages

# Routes are matched in order: the busiest (the assess API, the interview and
# its result page) come first, so a request tries few patterns before its own.
ROUTERS: tuple[APIRouter, ...] = (
    api.router,
    interview.reading,
    interview.router,
    pages.router,
    diary.router,
    diary_api.router,
    fhir.router,
)
