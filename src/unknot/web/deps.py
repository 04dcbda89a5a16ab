"""FastAPI dependencies, as ``Annotated`` aliases the routes declare.

They are ``async`` because they only read app state: FastAPI would otherwise
run each in a worker thread.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from ..knowledge import Knowledge, load_knowledge
from .security import CSRF_COOKIE, CSRF_FIELD, UNSAFE_METHODS, CsrfTokens
from .settings import Settings


class CsrfRejected(Exception):
    """A form arrived without a valid CSRF token (handled as a 403 page)."""


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


async def get_knowledge() -> Knowledge:
    return load_knowledge()


async def verify_csrf(request: Request) -> None:
    """For unsafe methods: the form's token must match the browser's cookie."""
    if request.method not in UNSAFE_METHODS:
        return
    tokens: CsrfTokens = request.app.state.csrf
    form = await request.form()
    if not tokens.matches(request.cookies.get(CSRF_COOKIE), form.get(CSRF_FIELD)):
        raise CsrfRejected


REGION_COOKIE = "unknot_region"


def region_of(request: Request) -> str | None:
    """The region the person chose on this browser (cookie), else the app's setting."""
    chosen = request.cookies.get(REGION_COOKIE)
    if chosen and chosen in load_knowledge().regions:
        return chosen
    region: str | None = request.app.state.settings.region
    return region


SettingsDep = Annotated[Settings, Depends(get_settings)]
TemplatesDep = Annotated[Jinja2Templates, Depends(get_templates)]
KnowledgeDep = Annotated[Knowledge, Depends(get_knowledge)]
CsrfProtected = Depends(verify_csrf)
