"""The diary as JSON: the same service functions as the pages and the CLI."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import orjson
from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from ...bounds import MAX_ID
from ...diary.checkins import CheckinResult
from ...diary.checkpoints import DueCheckpoint
from ...diary.patterns import Patterns
from ...diary.schemas import CheckinIn, Episode, EpisodeDetail, EpisodeIn
from ..diary_store import diary_engine, reading, writing
from ..schemas import ERROR_RESPONSES
from .api import body_schema, parse_json, problem

router = APIRouter(prefix="/api/diary", tags=["diary"], responses=ERROR_RESPONSES)

M = TypeVar("M", bound=BaseModel)
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such episode."}}
EpisodeId = Annotated[int, Path(ge=1, le=MAX_ID, description="The episode's number.")]


async def diary_input(request: Request, model: type[M]) -> M | Response:
    """A JSON body checked by the diary's own rules; problems become a 422 naming the field."""
    from ...diary.schemas import DiaryInputError, parse

    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind != "application/json":
        return problem(["header", "content-type"], "must be application/json")
    data = parse_json(await request.body())
    if isinstance(data, Response):
        return data
    if not isinstance(data, dict):
        return problem(["body"], "must be a JSON object")
    try:
        return parse(model, data, json=True)
    except DiaryInputError as exc:
        return problem(["body", *exc.field.split(".")], exc.message)


def json_of(model: BaseModel | list[Any], status: int = 200) -> Response:
    if isinstance(model, list):
        body = orjson.dumps([m.model_dump(mode="json") for m in model])
    else:
        body = orjson.dumps(model.model_dump(mode="json"))
    return Response(body, status_code=status, media_type="application/json")


def missing(episode_id: EpisodeId) -> HTTPException:
    return HTTPException(404, f"There is no episode {episode_id} in the diary.")


@router.get("/episodes", response_model=list[Episode], summary="Every episode, oldest first")
def list_episodes(request: Request) -> Response:
    from ...diary.repository import list_episodes as listed

    with reading(request) as session:
        return json_of(listed(session))


@router.post(
    "/episodes",
    response_model=EpisodeDetail,
    status_code=201,
    openapi_extra=body_schema(EpisodeIn),
    summary="Record an episode (optionally with the assessment it started from)",
)
async def create_episode(request: Request) -> Response:
    from ...diary.repository import create_episode as create

    data = await diary_input(request, EpisodeIn)
    if isinstance(data, Response):
        return data
    with writing(request) as session:
        return json_of(create(session, data), status=201)


@router.get(
    "/episodes/{episode_id}",
    response_model=EpisodeDetail,
    responses=NOT_FOUND,
    summary="One episode with its check-ins and triage history",
)
def get_episode(request: Request, episode_id: EpisodeId) -> Response:
    from ...diary.repository import EpisodeNotFound
    from ...diary.repository import get_episode as get

    with reading(request) as session:
        try:
            return json_of(get(session, episode_id))
        except EpisodeNotFound:
            raise missing(episode_id) from None


@router.post(
    "/episodes/{episode_id}/checkins",
    response_model=CheckinResult,
    status_code=201,
    responses=NOT_FOUND,
    openapi_extra=body_schema(CheckinIn),
    summary="A daily check-in; a new warning sign re-runs triage at once",
)
async def add_checkin(request: Request, episode_id: EpisodeId) -> Response:
    from ...diary.checkins import add_checkin as add
    from ...diary.repository import EpisodeNotFound
    from ...diary.schemas import DiaryInputError

    data = await diary_input(request, CheckinIn)
    if isinstance(data, Response):
        return data
    try:
        with writing(request) as session:
            return json_of(add(session, episode_id, data), status=201)
    except EpisodeNotFound:
        raise missing(episode_id) from None
    except DiaryInputError as exc:
        return problem(["body", *exc.field.split(".")], exc.message)


@router.get("/due", response_model=list[DueCheckpoint], summary="Checkpoints due now")
def due(request: Request) -> Response:
    from ...diary.checkpoints import due_now

    with reading(request) as session:
        return json_of(due_now(session))


@router.get("/patterns", response_model=Patterns, summary="Patterns across episodes")
def patterns(request: Request) -> Response:
    from ...diary.patterns import patterns as found

    with reading(request) as session:
        return json_of(found(session))


@router.get(
    "/export",
    summary="Everything, as JSON that `unknot diary import` reads back",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def export(request: Request) -> Response:
    from ...diary.export import export_json

    with reading(request) as session:
        return Response(export_json(session), media_type="application/json")


@router.delete(
    "",
    summary="Delete everything in the diary",
    responses={200: {"content": {"application/json": {"schema": {"type": "object"}}}}},
)
def delete_everything(
    request: Request,
    confirm: str = Query(..., pattern="^yes$", description="Must be `yes`."),
) -> Response:
    from ...diary.db import erase_everything

    counts = erase_everything(diary_engine(request), request.app.state.settings.database_url)
    return JSONResponse({"deleted": counts})
