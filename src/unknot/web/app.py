"""The FastAPI application factory."""

from __future__ import annotations

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
