"""The interview pages: free text or step by step, one screen at a time, then the result.

Stateless: the answers so far travel in a signed hidden field. Answers are
sent by POST so that they never appear in a URL or a server log.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ...engine import FindingsError
from ...engine.findings import to_jsonable
from ...knowledge import load_knowledge
from ...knowledge.models import Screen
from ...present import present
from ..assessing import assess_or_fail
from ..deps import CsrfProtected, TemplatesDep, region_of
from ..errors import error_page
from ..interview_flow import (
    IntakeUnavailable,
    InterviewState,
    StateSigner,
    extraction_of,
    parse_form,
    progress_of,
    run_step,
    screen_for,
    values_from_findings,
)
from ..rendering import describe_value
from ..schemas import MAX_TEXT

router = APIRouter(dependencies=[CsrfProtected], include_in_schema=False)

MAX_STATE = 100_000


def signer(request: Request) -> StateSigner:
    return StateSigner(request.app.state.settings.secret_key)


def show_step(
    request: Request,
    templates: TemplatesDep,
    state: InterviewState,
    *,
    screen: Screen | None = None,
    problems: dict[str, str] | None = None,
    submitted: dict[str, Any] | None = None,
    evidence: dict[str, list[str]] | None = None,
    subject: str | None = None,
) -> Response:
    """Render ``screen`` (to change an answer) or whatever the engine asks next.

    ``evidence`` (the person's own words behind each finding read from free
    text) is shown once, on the first screen after the text; it is not kept.
    """
    try:
        step = run_step(state.answers, state.prefilled, state.to_confirm)
    except FindingsError as exc:
        return error_page(request, 422, "An answer did not fit", f"{exc.field}: {exc.message}")
    if screen is None and step.done:
        result = assess_or_fail(step.findings, region=region_of(request), validated=True)
        return show_result(request, templates, result, state)
    current = screen or step.screen
    assert current is not None
    answered, total = progress_of(step)
    values = submitted if submitted is not None else initial_values(current, state)
    kb = load_knowledge()
    history = [s for s in state.history if s in state.answers and s != current.id]
    shown = [(s, state.answers[s]) for s in history]
    return templates.TemplateResponse(
        request,
        "interview.html",
        {
            "screen": current,
            "values": values,
            "problems": problems or {},
            "state_token": signer(request).dumps(state),
            "answered": answered,
            "total": max(total, answered + 1),
            "previous": history[-1] if history else None,
            "history": [(s, v) for s, v in ((screen_for(i, state, kb), v) for i, v in shown) if s],
            "summary": summarise,
            "understood": understood(state.prefilled, evidence or {}),
            "subject": subject if subject not in (None, "self") else None,
        },
        status_code=422 if problems else 200,
    )


def initial_values(screen: Screen, state: InterviewState) -> dict[str, Any]:
    """What the screen's inputs show: earlier answers, else what free text told us."""
    from ...engine.interview import CONFIRM_SCREEN

    if screen.id == CONFIRM_SCREEN and screen.id not in state.answers:
        return {f.id: [i.id for i in f.items] for f in screen.fields}  # confirm = keep ticked
    values = values_from_findings(screen, state.prefilled)
    values.update(state.answers.get(screen.id, {}))
    return values


def summarise(screen: Screen, values: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer) pairs for the 'your answers so far' list."""
    rows = []
    for fld in screen.fields:
        value = values.get(fld.id)
        if fld.kind == "checklist":
            texts = [i.text for i in fld.items if i.id in (value or [])]
            rows.append((fld.text, "; ".join(texts) or "none of these"))
        elif fld.kind == "multi":
            chosen = [fld.choices.get(v, v) for v in value or []]
            rows.append((fld.text, ", ".join(chosen) or "not answered"))
        elif fld.kind == "choice":
            rows.append((fld.text, fld.choices.get(value or "", "not answered")))
        else:
            rows.append((fld.text, "not answered" if value is None else f"{value:g}"))
    return rows


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
    result: dict[str, Any],
    state: InterviewState | None = None,
) -> Response:
    """The result page; with the interview's state, the answers can still be changed."""
    token = None
    remedies: list[tuple[str, str]] = []
    if not result.get("error") and result.get("level") and find_spec("unknot.diary") is not None:
        from ...diary.repository import result_uid
        from ..diary_access import remedies as remedy_options

        key = result_uid(
            result["findings"], result.get("onset_date"), str(result.get("knowledge_version"))
        )
        token = signer(request).dumps_value(
            {"findings": result["findings"], "level": result["level"], "key": key},
            salt="unknot-result",
        )
        remedies = remedy_options()
    context: dict[str, Any] = {
        "r": result,
        "p": present(result),
        "diary_token": token,
        "remedies": remedies,
    }
    if state is not None:
        kb = load_knowledge()
        shown = [
            (screen_for(s, state, kb), state.answers[s])
            for s in state.history
            if s in state.answers
        ]
        context.update(
            {
                "state_token": signer(request).dumps(state),
                "history": [(s, v) for s, v in shown if s is not None],
                "summary": summarise,
                "last_screen": state.history[-1] if state.history else None,
            }
        )
    return templates.TemplateResponse(request, "result.html", context)


def stale_form(request: Request) -> Response:
    return error_page(
        request,
        400,
        "Please start again",
        "Unknot could not read the answers carried by this page (it may be from before "
        "Unknot restarted). Nothing was saved. If you need help now, do not wait.",
    )


@router.get("/interview")
def interview_start(request: Request, templates: TemplatesDep) -> Response:
    return show_step(request, templates, InterviewState())


@router.post("/interview")
async def interview_answer(
    request: Request,
    templates: TemplatesDep,
    state: str = Form(default="", max_length=MAX_STATE),
    screen: str = Form(default="", max_length=100),
    action: str = Form(default="next", max_length=120),
) -> Response:
    current = signer(request).loads(state)
    if current is None:
        return stale_form(request)
    kb = load_knowledge()
    if action.startswith("edit:"):
        target = screen_for(action.removeprefix("edit:"), current, kb)
        return show_step(request, templates, current, screen=target)
    if action == "back":
        history = [s for s in current.history if s in current.answers and s != screen]
        target = screen_for(history[-1], current, kb) if history else None
        return show_step(request, templates, current, screen=target)
    posted = screen_for(screen, current, kb)
    if posted is None:
        return show_step(request, templates, current)
    form = await request.form()
    values, problems = parse_form(posted, form, form.getlist)
    if problems:
        return show_step(
            request, templates, current, screen=posted, problems=problems, submitted=values
        )
    current.answers[posted.id] = values
    current.history = [s for s in current.history if s != posted.id] + [posted.id]
    return show_step(request, templates, current)


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
    doubtful = [str(d) for d in found.doubtful or () if str(d) in findings]
    state = InterviewState(prefilled=findings, to_confirm=doubtful)
    return show_step(
        request,
        templates,
        state,
        evidence={k: list(v) for k, v in (found.evidence or {}).items()},
        subject=str(found.subject) if found.subject else None,
    )
