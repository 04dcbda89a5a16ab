"""The FastAPI application factory."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from .. import __version__
from .errors import SeekCareOnErrorMiddleware, install_error_handlers
from .rendering import make_templates
from .routes import ROUTERS
from .security import (
    BodySizeLimitMiddleware,
    CsrfCookieMiddleware,
    CsrfTokens,
    SecurityHeadersMiddleware,
    TrustedHostMiddleware,
)
from .settings import Settings

DESCRIPTION = (
    "Unknot's JSON API: assess a back spasm from findings or from a person's own "
    "words, run the interview as stateless steps, and keep the diary. "
    "Not a diagnosis: every answer carries the disclaimer."
)


def _hoist_defs(document: dict[str, Any]) -> dict[str, Any]:
    """Move the ``$defs`` of hand-written body schemas into ``components/schemas``.

    A Pydantic schema keeps its nested models under ``$defs`` with ``#/$defs/...``
    references, which point nowhere once the schema sits inside the OpenAPI
    document; there they must live in ``components/schemas``.
    """
    components = document.setdefault("components", {}).setdefault("schemas", {})
    renamed: dict[str, str] = {}

    def collect(node: Any) -> None:
        if isinstance(node, dict):
            for name, schema in node.pop("$defs", {}).items():
                target = name
                while target in components and components[target] != schema:
                    target += "-Body"
                components[target] = schema
                renamed[name] = target
                collect(schema)
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for value in node:
                collect(value)

    def relink(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                node["$ref"] = "#/components/schemas/" + renamed[ref.removeprefix("#/$defs/")]
            for value in node.values():
                relink(value)
        elif isinstance(node, list):
            for value in node:
                relink(value)

    collect(document.get("paths", {}))
    relink(document)
    return document


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the web app. ``settings`` defaults to :meth:`Settings.from_env`."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="Unknot",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # the interactive docs load scripts from a CDN
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    build_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = _hoist_defs(build_openapi())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.state.settings = settings
    app.state.csrf = CsrfTokens(settings.secret_key)
    app.state.templates = make_templates()
    app.mount("/static", StaticFiles(packages=[("unknot.web", "static")]), name="static")
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    # Added innermost first: the last one added sees the request first.
    app.add_middleware(SeekCareOnErrorMiddleware)
    app.add_middleware(CsrfCookieMiddleware, secure=settings.cookies_secure)
    app.add_middleware(BodySizeLimitMiddleware, limit=settings.max_body_bytes)
    app.add_middleware(
        TrustedHostMiddleware,
        allowed_hosts=settings.allowed_hosts,
        public_origins=(settings.public_origin,) if settings.public_origin else (),
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app
