"""Diary pages: episodes, check-ins, the pain chart, patterns, checkpoints due,
the doctor summary, export and delete. The diary package does the work."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response
from itsdangerous import BadSignature
from markupsafe import Markup

from ..assessing import assess_or_fail
from ..deps import CsrfProtected, TemplatesDep, region_of
from ..diary_forms import checkin_data, episode_data, local_input
from ..diary_options import danger_sign_options, feelings, options, remedies
from ..diary_store import diary_engine, reading, writing
from ..errors import error_page
from ..interview.signing import StateSigner
from .diary_api import EpisodeId

router = APIRouter(prefix="/diary", dependencies=[CsrfProtected], include_in_schema=False)


def form_options() -> dict[str, Any]:
    return {
        "regions": options("location"),
        "triggers": options("trigger"),
        "remedies": remedies(),
        "signs": danger_sign_options(),
        "feelings": feelings(),
        "now": local_input(datetime.now()),
    }


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def bad_input(
    request: Request, templates: TemplatesDep, page: str, context: dict[str, Any], exc: Any
) -> Response:
    """Show the form again with the diary's message naming the field (422)."""
    context = {
        **form_options(),
        **context,
        "problem": f"{exc.field}: {exc.message}",
        "active": "/diary",
    }
    return templates.TemplateResponse(request, page, context, status_code=422)


PER_PAGE = 20  # episodes per page of the diary, newest first
CHART_EPISODES = 200  # the pain chart shows the latest episodes, not all ten years


@router.get("")
def diary_home(
    request: Request,
    templates: TemplatesDep,
    page: Annotated[int, Query(ge=1, le=100_000, description="Page of episodes, 1 is newest")] = 1,
) -> Response:
    from ...diary.charts import diary_series, svg_chart
    from ...diary.checkpoints import due_now
    from ...diary.patterns import patterns
    from ...diary.repository import count_episodes, current_episode, list_episodes
    from ...diary.summary import overview_lines

    with reading(request) as session:
        total = count_episodes(session)
        pages = max(1, -(-total // PER_PAGE))
        page = min(page, pages)
        episodes = list_episodes(
            session, newest_first=True, limit=PER_PAGE, offset=(page - 1) * PER_PAGE
        )
        charted = list(reversed(list_episodes(session, newest_first=True, limit=CHART_EPISODES)))
        current = current_episode(session)
        due = due_now(session)
        found = patterns(session)
    return templates.TemplateResponse(
        request,
        "diary.html",
        {
            "active": "/diary",
            "episodes": episodes,
            "page": page,
            "pages": pages,
            "total": total,
            "charted": len(charted),
            "current": current,
            "due": due,
            "overview": overview_lines(found),
            "chart": Markup(svg_chart(diary_series(charted), chart_id="diary-chart"))
            if any(e.worst_pain is not None for e in charted)
            else None,
            **form_options(),
        },
    )


@router.get("/episodes/new")
def new_episode(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(
        request, "diary_new.html", {"active": "/diary", "values": {}, **form_options()}
    )


@router.post("/episodes")
async def create_episode(request: Request, templates: TemplatesDep) -> Response:
    from ...diary.repository import create_episode as create
    from ...diary.schemas import DiaryInputError, EpisodeIn, parse

    form = await request.form()
    data = episode_data(form, form.getlist)
    try:
        checked = parse(EpisodeIn, data)
    except DiaryInputError as exc:
        return bad_input(request, templates, "diary_new.html", {"values": form}, exc)
    with writing(request) as session:
        episode = create(session, checked)
    return see_other(f"/diary/episodes/{episode.id}")


@router.post("/episodes/from-result")
async def episode_from_result(request: Request) -> Response:
    """One episode per result: a second press opens the episode the first one made."""
    from ...diary.from_assessment import episode_from_assessment
    from ...diary.repository import create_episode as create
    from ...diary.repository import episode_id_for_uid
    from ...diary.schemas import DiaryInputError, EpisodeIn, parse

    form = await request.form()
    raw = str(form.get("result") or "")[:200_000]
    signer = StateSigner(request.app.state.settings.secret_key)
    try:
        token = signer.loads_value(raw, salt="unknot-result")
    except BadSignature:
        return error_page(
            request,
            400,
            "Please start again",
            "Unknot could not read the result this page carried.",
        )
    known = {r for r, _ in remedies()}
    tried = [str(t) for t in form.getlist("tried")]
    if any(t not in known for t in tried):
        return error_page(
            request, 400, "Please try again", "tried: choose from the list of things to try."
        )
    key = token.get("key")
    with writing(request) as session:
        existing = episode_id_for_uid(session, key) if isinstance(key, str) else None
        if existing is not None:
            return see_other(f"/diary/episodes/{existing}")
        record = assess_or_fail(token["findings"], region=region_of(request))
        now = datetime.now().replace(second=0, microsecond=0)
        data = episode_from_assessment(record, now=now)
        data["tried"] = [{"remedy": t, "helped": None} for t in dict.fromkeys(tried)]
        try:
            checked = parse(EpisodeIn, data)
        except DiaryInputError as exc:
            return error_page(request, 400, "Please try again", f"{exc.field}: {exc.message}")
        episode = create(session, checked, uid=key if isinstance(key, str) else None)
    return see_other(f"/diary/episodes/{episode.id}")


def episode_page(
    request: Request,
    templates: TemplatesDep,
    episode_id: int,
    extra: dict[str, Any] | None = None,
    status: int = 200,
) -> Response:
    from ...diary.charts import describe, episode_series, svg_chart
    from ...diary.checkpoints import due_now
    from ...diary.repository import EpisodeNotFound, get_episode

    with reading(request) as session:
        try:
            detail = get_episode(session, episode_id)
        except EpisodeNotFound:
            raise HTTPException(404, f"There is no episode {episode_id} in your diary.") from None
        due = due_now(session, episode_id=detail.id)
    series = episode_series(detail)
    return templates.TemplateResponse(
        request,
        "diary_episode.html",
        {
            "active": "/diary",
            "e": detail,
            "due": due,
            "chart": Markup(svg_chart(series, chart_id="episode-chart")) if series.points else None,
            "chart_text": describe(series),
            **form_options(),
            **(extra or {}),
        },
        status_code=status,
    )


@router.get("/episodes/{episode_id}")
def show_episode(request: Request, templates: TemplatesDep, episode_id: EpisodeId) -> Response:
    return episode_page(request, templates, episode_id)


@router.post("/episodes/{episode_id}/checkins")
async def add_checkin(
    request: Request, templates: TemplatesDep, episode_id: EpisodeId
) -> Response:
    from ...diary.checkins import add_checkin as add
    from ...diary.repository import EpisodeNotFound
    from ...diary.schemas import CheckinIn, DiaryInputError, parse

    form = await request.form()
    try:
        checked = parse(CheckinIn, checkin_data(form, form.getlist))
        with writing(request) as session:
            outcome = add(session, episode_id, checked)
    except EpisodeNotFound:
        raise HTTPException(404, f"There is no episode {episode_id} in your diary.") from None
    except DiaryInputError as exc:
        return episode_page(
            request, templates, episode_id, {"problem": f"{exc.field}: {exc.message}"}, status=422
        )
    if outcome.retriaged and outcome.assessment is not None:
        # A new warning sign: say so at once, with the new result, not a quiet redirect.
        return episode_page(
            request,
            templates,
            episode_id,
            {"retriage": outcome.assessment, "message": outcome.message},
        )
    return see_other(f"/diary/episodes/{episode_id}#checkins")


@router.post("/episodes/{episode_id}/end")
def end_episode(request: Request, episode_id: EpisodeId) -> Response:
    from ...diary.repository import EpisodeNotFound
    from ...diary.repository import end_episode as end

    try:
        with writing(request) as session:
            end(session, episode_id, datetime.now().replace(microsecond=0))
    except EpisodeNotFound:
        raise HTTPException(404, f"There is no episode {episode_id} in your diary.") from None
    return see_other(f"/diary/episodes/{episode_id}")


@router.get("/summary")
def doctor_summary(
    request: Request,
    templates: TemplatesDep,
    page: Annotated[
        int, Query(ge=1, le=100_000, description="Page of the episode list, 1 is newest")
    ] = 1,
) -> Response:
    from ...diary.charts import describe, diary_series, episode_series, svg_chart
    from ...diary.summary import (
        CHECKIN_HEADERS,
        EPISODE_HEADERS,
        build_summary_page,
        checkin_rows,
        episode_row,
        overview_lines,
    )

    with reading(request) as session:
        s = build_summary_page(session, page=page)
    across = diary_series(s.charted)  # every episode of the period, not only those listed
    latest = episode_series(s.latest) if s.latest else None
    return templates.TemplateResponse(
        request,
        "diary_summary.html",
        {
            "active": "/diary",
            "s": s,
            "overview": overview_lines(s.patterns),
            "headers": EPISODE_HEADERS,
            "rows": [episode_row(e) for e in s.episodes],
            "checkin_headers": CHECKIN_HEADERS,
            "checkin_rows": checkin_rows(s.latest) if s.latest else [],
            "diary_chart": Markup(svg_chart(across, chart_id="diary-chart"))
            if across.points
            else None,
            "diary_chart_text": describe(across),
            "latest_chart": Markup(svg_chart(latest, chart_id="episode-chart"))
            if latest and latest.points
            else None,
        },
    )


@router.get("/summary.pdf")
def doctor_summary_pdf(request: Request) -> Response:
    from ...diary.summary import build_summary
    from ...diary.summary_pdf import render_pdf

    with reading(request) as session:
        pdf = render_pdf(build_summary(session))
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"content-disposition": 'attachment; filename="unknot-summary.pdf"'},
    )


@router.get("/export.json")
def export_json(request: Request) -> Response:
    from ...diary.export import export_json as export

    with reading(request) as session:
        body = export(session)
    return Response(
        body,
        media_type="application/json",
        headers={"content-disposition": 'attachment; filename="unknot-diary.json"'},
    )


@router.get("/export/{name}.csv")
def export_csv(request: Request, name: str) -> Response:
    from ...diary.export import export_csv as export

    with reading(request) as session:
        files = export(session)
    key = next((k for k in files if k.removesuffix(".csv") == name), None)
    if key is None:
        raise HTTPException(404, f"No such export; there are: {', '.join(sorted(files))}.")
    return Response(
        files[key],
        media_type="text/csv",
        headers={"content-disposition": f'attachment; filename="unknot-{name}.csv"'},
    )


@router.get("/reminders.ics")
def reminders(
    request: Request,
    tz: str | None = Query(None, max_length=64, description="IANA time zone, e.g. Europe/Paris."),
) -> Response:
    from ...diary.reminders import BadTimeZone, EmptyCalendar, reminders_calendar
    from ...diary.repository import current_episode

    with reading(request) as session:
        episode = current_episode(session)
    try:
        body = reminders_calendar(episode, tz=tz)
    except BadTimeZone as exc:
        raise HTTPException(422, f"tz: {exc}") from None
    except EmptyCalendar as exc:
        raise HTTPException(404, str(exc)) from None
    return Response(
        body,
        media_type="text/calendar; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="unknot-reminders.ics"'},
    )


@router.get("/delete")
def confirm_delete(request: Request, templates: TemplatesDep) -> Response:
    return templates.TemplateResponse(request, "diary_delete.html", {"active": "/diary"})


@router.post("/delete")
def delete_everything(
    request: Request, templates: TemplatesDep, confirm: str = Form(default="", max_length=20)
) -> Response:
    from ...diary.db import erase_everything

    if confirm != "yes":
        return templates.TemplateResponse(
            request,
            "diary_delete.html",
            {
                "active": "/diary",
                "problem": "Tick the box to confirm, or go back to keep your diary.",
            },
            status_code=422,
        )
    settings = request.app.state.settings
    counts = erase_everything(diary_engine(request), settings.database_url)
    return templates.TemplateResponse(
        request, "diary_delete.html", {"active": "/diary", "deleted": counts}
    )
