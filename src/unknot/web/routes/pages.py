"""Plain pages: start, about, health, exercise pictures."""

from __future__ import annotations

from functools import cache
from importlib import resources

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from ..deps import REGION_COOKIE, CsrfProtected, KnowledgeDep, TemplatesDep
from ..schemas import MAX_TEXT

router = APIRouter()


@router.get("/", include_in_schema=False)
def start(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "start.html", {"active": "/", "max_text": MAX_TEXT})


@router.get("/learn", include_in_schema=False)
def learn(request: Request, templates: TemplatesDep) -> Response:
    """Short topics (learn.yaml) on what a spasm is, its causes and what helps."""
    return templates.TemplateResponse(request, "learn.html", {"active": "/about"})


@router.get("/about", include_in_schema=False)
def about(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "about.html", {"active": "/about"})


@router.post("/region", include_in_schema=False, dependencies=[CsrfProtected])
def choose_region(
    kb: KnowledgeDep,
    region: str = Form(default="", max_length=20),
    back: str = Form(default="/", max_length=200),
) -> Response:
    """Remember the person's region on this browser, for the emergency number."""
    if region not in kb.regions:
        raise HTTPException(422, "Please choose a region from the list.")
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        REGION_COOKIE, region, max_age=365 * 24 * 3600, httponly=True, samesite="strict"
    )
    return response


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
