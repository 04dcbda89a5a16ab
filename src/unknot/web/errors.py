"""What people see when something goes wrong: a clear page, never a blank one.

- Bad input: 4xx naming the field (JSON for the API, a page for forms).
- A form without a valid CSRF token: 403 with a way to start again.
- Anything unexpected: the seek-care advice of :func:`failed_assessment`,
  as a page or JSON. Only the kind of error is logged, never what the
  person typed or answered.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .assessing import failed
from .deps import CsrfRejected, region_of
from .diary_store import DiaryUnavailable

log = logging.getLogger("unknot.web")


FHIR_JSON = "application/fhir+json"


def operation_outcome(where: str, message: str, status: int = 422) -> JSONResponse:
    """A FHIR OperationOutcome naming the item (``expression``) and what is wrong."""
    issue: dict[str, Any] = {
        "severity": "error",
        "code": "invalid" if status == 422 else "structure",
        "diagnostics": f"{where}: {message}" if where else message,
    }
    if where:
        issue["expression"] = [where]
    return JSONResponse(
        {"resourceType": "OperationOutcome", "issue": [issue]},
        status_code=status,
        media_type=FHIR_JSON,
    )


OPERATION_OUTCOME_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["resourceType", "issue"],
    "properties": {
        "resourceType": {"const": "OperationOutcome"},
        "issue": {"type": "array", "items": {"type": "object"}},
    },
}


def wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path.startswith("/fhir/") or path == "/health"


def error_page(
    request: Request,
    status: int,
    title: str,
    message: str,
    advice: dict[str, Any] | None = None,
) -> Response:
    templates = request.app.state.templates
    response: Response = templates.TemplateResponse(
        request,
        "error.html",
        {"title": title, "message": message, "advice": advice},
        status_code=status,
    )
    return response


def _public_errors(errors: Any) -> list[dict[str, Any]]:
    """Validation errors without the submitted values (they may be a person's words)."""
    return [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in errors
    ]


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = _public_errors(exc.errors())
    if request.url.path.startswith("/fhir/"):
        first = errors[0] if errors else {"loc": [], "msg": "is not valid"}
        where = ".".join(str(p) for p in first["loc"] if p != "body")
        status = 400 if first.get("type") == "json_invalid" else 422
        return operation_outcome(where, str(first["msg"]), status)
    if wants_json(request):
        return JSONResponse({"detail": errors}, status_code=422)
    fields = ", ".join(str(e["loc"][-1]) for e in errors if e["loc"])
    return error_page(
        request, 422, "Something in the form was not right", f"Please check: {fields}."
    )


async def _csrf(request: Request, exc: Exception) -> Response:
    if request.url.path.startswith(("/interview", "/start/")):
        # an interview page from an old session: a neutral page, not a medical warning
        response: Response = request.app.state.templates.TemplateResponse(
            request, "expired.html", {}, status_code=403, headers={"cache-control": "no-store"}
        )
        return response
    return error_page(
        request,
        403,
        "This form has expired",
        "For your safety, Unknot only accepts forms from its own pages, and this one "
        "was old or came from somewhere else. Please start again. If you need help "
        "now, do not wait.",
        advice=failed(region_of(request)),
    )


def allowed_methods(request: Request) -> str:
    """Every method the API documents for this path (Starlette's 405 names only one route's)."""
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 405 and (allow := allowed_methods(request)):
        headers["allow"] = allow
    if request.url.path.startswith("/fhir/") and exc.status_code in (400, 422):
        return operation_outcome("", str(exc.detail), exc.status_code)
    if wants_json(request):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=headers)
    title = "Page not found" if exc.status_code == 404 else "That did not work"
    return error_page(request, exc.status_code, title, str(exc.detail))


async def _diary_unavailable(request: Request, exc: Exception) -> Response:
    log.error("diary unavailable")
    if wants_json(request):
        return JSONResponse({"detail": str(exc)}, status_code=503)
    return error_page(request, 503, "The diary cannot be opened", str(exc))


def _storage_problem(exc: Exception) -> Exception | None:
    """The diary's clear message for a full or read-only disk behind ``exc``, if any."""
    import sys

    db = sys.modules.get("unknot.diary.db")  # loaded whenever the diary was used
    if db is None:
        return None
    problem: object = exc if isinstance(exc, db.DiaryStorageError) else db.storage_problem(exc)
    return problem if isinstance(problem, Exception) else None


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(DiaryUnavailable, _diary_unavailable)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(CsrfRejected, _csrf)
    app.add_exception_handler(StarletteHTTPException, _http)


class SeekCareOnErrorMiddleware:
    """Turns any unhandled exception into the seek-care advice (status 500).

    It sits inside the app so that the exception never reaches the server's
    own error log with its message.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            request = Request(scope)
            storage = _storage_problem(exc)
            if storage is not None:  # a full or read-only disk: say so, not "went wrong"
                log.error("diary storage: %s", type(storage).__name__)
                if not started:
                    await (await _diary_unavailable(request, storage))(scope, receive, send)
                return
            log.error("unexpected error on %s: %s", scope.get("path", "?"), type(exc).__name__)
            if started:
                return
            advice = failed(region_of(request))
            response: Response
            if wants_json(request):
                response = JSONResponse(advice, status_code=500)
            else:
                response = error_page(
                    request, 500, "Something went wrong", "Unknot hit a problem.", advice=advice
                )
            await response(scope, receive, send)
