"""Plain pages: start, about, health, exercise pictures."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from ..deps import KnowledgeDep, TemplatesDep
from ..schemas import MAX_TEXT

router = APIRouter()


@router.get("/", include_in_schema=False)
def start(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "start.html", {"active": "/", "max_text": MAX_TEXT})


@router.get("/about", include_in_schema=False)
def about(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "about.html", {"active": "/about"})


@router.get("/health", tags=["meta"], summary="Is the server up?")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@cache
def _exercise_svg(name: str) -> bytes:
    return (
        resources.files("unknot.knowledge.data").joinpath("exercises").joinpath(name).read_bytes()
    )


@router.get("/exercises/{exercise_id}.svg", include_in_schema=False)
def exercise_picture(exercise_id: str, kb: KnowledgeDep) -> Response:
    exercise = kb.exercises.get(exercise_id)
    if exercise is None:
        raise HTTPException(404, "No such exercise.")
    try:
        body = _exercise_svg(exercise.image)
    except FileNotFoundError:
        raise HTTPException(404, "This exercise has no picture yet.") from None
    return Response(body, media_type="image/svg+xml", headers={"cache-control": "max-age=3600"})
