"""The interview pages: free text or step by step, one screen at a time, then the result.

Every screen has its own address, ``/interview/<id>/<screen>``, and the
result ``/interview/<id>/result``; the answers so far are kept on the server
for this browser session (:mod:`unknot.web.interview.store`), never in the
address. A form posts to its screen's address and is answered with a
redirect to the next one (post, redirect, get), so that the browser's Back,
Reload and a link away and back keep the answers and the result, with or
without JavaScript. A bad value comes back on the same screen (422) with what
is allowed, the other answers kept.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from importlib.util import find_spec
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from ...engine import FindingsError
from ...engine.findings import to_jsonable
from ...engine.interview import CONFIRM_SCREEN, Step, screen_by_id
from ...knowledge import load_knowledge
from ...knowledge.models import Screen
from ...present import present
from ..deps import CsrfProtected, TemplatesDep, region_of
from ..errors import error_page
from ..interview.forms import parse_form, summarise, values_from_findings
from ..interview.signing import StateSigner
from ..interview.steps import assess_step, progress_of, run_step
from ..interview.store import InterviewState, InterviewStore
from ..interview.story import IntakeUnavailable, extraction_of
from ..rendering import describe_value
from ..schemas import MAX_TEXT
from ..security import csrf_cookie

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)
#: The screens and the result, read (GET): no form, so no CSRF check and no
#: dependencies to solve on the page a reload or Back asks for most.
reading = APIRouter(include_in_schema=False)

RESULT = "result"
NO_STORE = {"cache-control": "no-store"}


def store_of(request: Request) -> InterviewStore:
    store: InterviewStore | None = getattr(request.app.state, "interviews", None)
    if store is None:
        store = request.app.state.interviews = InterviewStore()
    return store


def address(ident: str, screen_id: str) -> str:
    return f"/interview/{ident}/{screen_id}"


def go(request: Request, ident: str, screen_id: str) -> Response:
    """Redirect to a screen's address (a new history entry in the browser)."""
    return RedirectResponse(address(ident, screen_id), status_code=303, headers=NO_STORE)


def expired(request: Request, templates: TemplatesDep) -> Response:
    """A neutral page: the answers are gone (Unknot restarted, or it was a while ago)."""
    return templates.TemplateResponse(
        request, "expired.html", {}, status_code=410, headers=NO_STORE
    )


def _step(state: InterviewState) -> Step:
    return run_step(state.answers, state.prefilled, state.to_confirm)


def next_address(ident: str, step: Step) -> str:
    return RESULT if step.done or step.screen is None else step.screen.id


# ---------------------------------------------------------------- pages


@router.get("/interview")
def interview_start(request: Request) -> Response:
    ident = store_of(request).new(csrf_cookie(request), InterviewState())
    return RedirectResponse(f"/interview/{ident}", status_code=303, headers=NO_STORE)


@router.get("/interview/{ident}")
def interview_resume(request: Request, templates: TemplatesDep, ident: str) -> Response:
    state = store_of(request).load(csrf_cookie(request), ident)
    if state is None:
        return expired(request, templates)
    return go(request, ident, next_address(ident, _step(state)))


@reading.get("/interview/{ident}/{screen_id}")
async def interview_screen(request: Request) -> Response:
    ident, screen_id = request.path_params["ident"], request.path_params["screen_id"]
    if screen_id == RESULT:  # a reload, or Back to it: the page made for these answers
        kept = store_of(request).page(csrf_cookie(request), ident, made_for(request))
        if kept is not None:
            return HTMLResponse(kept, headers=result_headers(ident))
    templates = request.app.state.templates
    return await run_in_threadpool(_interview_screen, request, templates, ident, screen_id)


def _interview_screen(
    request: Request, templates: TemplatesDep, ident: str, screen_id: str
) -> Response:
    state = store_of(request).load(csrf_cookie(request), ident)
    if state is None:
        return expired(request, templates)
    try:
        step = _step(state)
    except FindingsError:
        return expired(request, templates)  # answers from an older Unknot: start again
    if screen_id == RESULT:
        if not step.done:
            return go(request, ident, next_address(ident, step))
        return show_result(request, templates, ident, state, step)
    if step.screen is not None and step.screen.id == screen_id:
        screen: Screen | None = step.screen  # only what is still unknown
    else:
        screen = screen_by_id(screen_id, state.answers, state.prefilled, state.to_confirm)
    if screen is None:
        return go(request, ident, next_address(ident, step))
    return show_screen(request, templates, ident, state, step, screen)


def show_screen(
    request: Request,
    templates: TemplatesDep,
    ident: str,
    state: InterviewState,
    step: Step,
    screen: Screen,
    *,
    problems: dict[str, str] | None = None,
    submitted: dict[str, Any] | None = None,
) -> Response:
    answered, total = progress_of(step)
    values = submitted if submitted is not None else initial_values(screen, state)
    kb = load_knowledge()
    before = (
        state.history[: state.history.index(screen.id)]
        if screen.id in state.history
        else state.history
    )
    history = [s for s in state.history if s in state.answers and s != screen.id]
    shown = [
        (screen_by_id(s, state.answers, state.prefilled, state.to_confirm, kb), s) for s in history
    ]
    headers = dict(NO_STORE)
    headers["HX-Push-Url"] = address(ident, screen.id)
    return templates.TemplateResponse(
        request,
        "interview.html",
        {
            "screen": screen,
            "values": values,
            "problems": problems or {},
            "state_token": ident,
            "action": address(ident, screen.id),
            "answered": answered,
            "total": max(total, answered + 1),
            "previous": before[-1] if before else None,
            "history": [(s, state.answers[i]) for s, i in shown if s is not None],
            "change_href": lambda sid: address(ident, sid),
            "summary": summarise,
            "understood": understood(state.prefilled, state.evidence),
            "subject": state.subject if state.subject not in (None, "self") else None,
        },
        status_code=422 if problems else 200,
        headers=headers,
    )


def initial_values(screen: Screen, state: InterviewState) -> dict[str, Any]:
    """What the screen's inputs show: earlier answers, else what free text told us."""
    if screen.id == CONFIRM_SCREEN and screen.id not in state.answers:
        return {}  # nothing ticked: the person says which are true, or None of these
    values = values_from_findings(screen, state.prefilled)
    values.update(state.answers.get(screen.id, {}))
    return values


def understood(
    findings: dict[str, Any], evidence: dict[str, list[str]]
) -> list[tuple[str, str, list[str]]]:
    """(label, answer, the words it came from) for what free text told us."""
    kb = load_knowledge()
    return [
        (kb.findings[name].label, describe_value(name, value), evidence.get(name, []))
        for name, value in findings.items()
        if name in kb.findings
    ]


def show_result(
    request: Request,
    templates: TemplatesDep,
    ident: str,
    state: InterviewState,
    step: Step,
) -> Response:
    """The result page; the answers can still be changed, and the why-step is offered."""
    result = assess_step(step, region=region_of(request))
    token = None
    remedies: list[tuple[str, str]] = []
    if not result.get("error") and result.get("level") and find_spec("unknot.diary") is not None:
        from ...diary.repository import result_uid
        from ..diary_options import remedies as remedy_options

        key = result_uid(
            result["findings"], result.get("onset_date"), str(result.get("knowledge_version"))
        )
        token = StateSigner(request.app.state.settings.secret_key).dumps_value(
            {"findings": result["findings"], "level": result["level"], "key": key}
        )
        remedies = remedy_options()
    kb = load_knowledge()
    shown = [
        (screen_by_id(s, state.answers, state.prefilled, state.to_confirm, kb), state.answers[s])
        for s in state.history
        if s in state.answers
    ]
    why = step.why_screen if result.get("level") not in (None, "emergency") else None
    context: dict[str, Any] = {
        "r": result,
        "p": present(result),
        "diary_token": token,
        "remedies": remedies,
        "state_token": ident,
        "history": [(s, v) for s, v in shown if s is not None],
        "summary": summarise,
        "last_screen": state.history[-1] if state.history else None,
        "why_screen": why,
        "why_action": address(ident, why.id) if why is not None else None,
        "values": {},
        "problems": {},
    }
    response = templates.TemplateResponse(
        request, "result.html", context, headers=result_headers(ident)
    )
    store_of(request).keep_page(
        csrf_cookie(request), ident, made_for(request), state, bytes(response.body)
    )
    return response


def result_headers(ident: str) -> dict[str, str]:
    return {**NO_STORE, "HX-Push-Url": address(ident, RESULT)}


def made_for(request: Request) -> Hashable:
    """What a result page depends on besides the answers: the region (the person's
    choice or the app's), the day its plan is dated from, the knowledge's version."""
    return (region_of(request), date.today(), load_knowledge().version)


# ---------------------------------------------------------------- answers


@router.post("/interview/{ident}/{screen_id}")
async def interview_answer(
    request: Request,
    templates: TemplatesDep,
    ident: str,
    screen_id: str,
    action: str = Form(default="next", max_length=120),
) -> Response:
    return await _answer(request, templates, ident, screen_id, action)


@router.post("/interview")
async def interview_answer_form(
    request: Request,
    templates: TemplatesDep,
    state: str = Form(default="", max_length=200),
    screen: str = Form(default="", max_length=100),
    action: str = Form(default="next", max_length=120),
) -> Response:
    """The same, with the interview and screen named in the form (the result page's form)."""
    return await _answer(request, templates, state, screen, action)


async def _answer(
    request: Request, templates: TemplatesDep, ident: str, screen_id: str, action: str
) -> Response:
    store = store_of(request)
    cookie = csrf_cookie(request)
    state = store.load(cookie, ident)
    if state is None:
        return expired(request, templates)
    if action.startswith("edit:"):
        return go(request, ident, action.removeprefix("edit:"))
    if action == "back":
        before = [s for s in state.history if s in state.answers]
        if screen_id in before:
            before = before[: before.index(screen_id)]
        return go(request, ident, before[-1] if before else screen_id)
    try:
        step = _step(state)
    except FindingsError:
        return expired(request, templates)
    if step.screen is not None and step.screen.id == screen_id:
        posted: Screen | None = step.screen
    else:
        posted = screen_by_id(screen_id, state.answers, state.prefilled, state.to_confirm)
    if posted is None:
        return go(request, ident, next_address(ident, step))
    form = await request.form()
    values, problems = parse_form(posted, form, form.getlist, load_knowledge())
    if not problems:
        trial = {**state.answers, posted.id: values}
        try:
            run_step(trial, state.prefilled, state.to_confirm)
        except FindingsError as exc:
            field = exc.field.split(".")[1] if "." in exc.field else posted.fields[0].id
            problems[field] = f"Please check this answer: {exc.message}."
    if problems:
        return show_screen(
            request, templates, ident, state, step, posted, problems=problems, submitted=values
        )
    state.answers[posted.id] = values
    state.history = [s for s in state.history if s != posted.id] + [posted.id]
    store.save(cookie, ident, state)
    return go(request, ident, next_address(ident, _step(state)))


@router.post("/start/text")
def start_text(
    request: Request,
    templates: TemplatesDep,
    text: str = Form(default="", max_length=MAX_TEXT),
) -> Response:
    def again(message: str) -> Response:
        context = {"active": "/", "max_text": MAX_TEXT, "text": text, "error": message}
        return templates.TemplateResponse(request, "start.html", context, status_code=422)

    if not text.strip():
        return again("Please write a few words, or step through the questions instead.")
    try:
        found = extraction_of(text)
    except IntakeUnavailable:
        return again("Reading free text is not available here. Please step through the questions.")
    findings = to_jsonable(found.findings)
    state = InterviewState(
        prefilled=findings,
        to_confirm=[str(d) for d in found.doubtful or () if str(d) in findings],
        evidence={k: list(v) for k, v in (found.evidence or {}).items()},
        subject=str(found.subject) if found.subject else None,
    )
    ident = store_of(request).new(csrf_cookie(request), state)
    try:
        step = _step(state)
    except FindingsError as exc:
        return error_page(request, 422, "An answer did not fit", f"{exc.field}: {exc.message}")
    return go(request, ident, next_address(ident, step))
