"""One router per resource; ``ROUTERS`` is what ``create_app`` includes."""

from __future__ import annotations

from fastapi import APIRouter

from . import api, diary, fhir, interview, pages

ROUTERS: tuple[APIRouter, ...] = (
    pages.router,
    interview.router,
    diary.router,
    api.router,
    fhir.router,
)
