"""One router per resource; ``ROUTERS`` is what ``create_app`` includes."""

from __future__ import annotations

from fastapi import APIRouter

from . import api, diary, diary_api, fhir, interview, pages

ROUTERS: tuple[APIRouter, ...] = (
    pages.router,
    interview.router,
    diary.router,
    api.router,
    diary_api.router,
    fhir.router,
)
