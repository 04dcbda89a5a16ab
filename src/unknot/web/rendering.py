"""Jinja2 templates and the small helpers they use to show engine output.

The helpers only translate: they read labels and texts from the knowledge
files, never decide anything clinical.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from importlib import resources
from typing import Any

from fastapi.templating import Jinja2Templates
from markupsafe import Markup, escape
from starlette.requests import Request

from ..knowledge import Knowledge, load_knowledge
from .security import CSRF_FIELD, csrf_cookie

TEMPLATES_DIR = str(resources.files("unknot.web").joinpath("templates"))

# How each level looks: a word and a symbol as well as a colour, so that the
# meaning never depends on colour alone.
LEVEL_STYLE = {
    "emergency": {"symbol": "!!", "css": "level-emergency"},
    "urgent": {"symbol": "!", "css": "level-urgent"},
    "soon": {"symbol": "i", "css": "level-soon"},
    "self_care": {"symbol": "✓", "css": "level-self_care"},
}


_ANSWER_TEXTS: dict[str, dict[tuple[str, str], str]] = {}


def answer_texts(kb: Knowledge) -> dict[tuple[str, str], str]:
    """(finding, value) -> the words the interview used for that answer (cached per version)."""
    cached = _ANSWER_TEXTS.get(kb.version)
    if cached is not None:
        return cached
    texts: dict[tuple[str, str], str] = {}
    for screen in kb.screens:
        for fld in screen.fields:
            if fld.finding:
                for key, text in fld.choices.items():
                    texts.setdefault((fld.finding, str(key)), text)
            for item in fld.items:
                if item.finding is None:
                    continue
                texts.setdefault((item.finding, str(item.value)), item.text)
    _ANSWER_TEXTS[kb.version] = texts
    return texts


def describe_value(finding: str, value: Any, kb: Knowledge | None = None) -> str:
    """A person-readable form of one answer."""
    kb = kb or load_knowledge()
    texts = answer_texts(kb)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(describe_value(finding, v, kb) for v in sorted(value, key=str)) or "none"
    if value is None:
        return "not answered"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return texts.get((finding, str(value)), str(value).replace("_", " "))


def long_date(value: Any) -> str:
    """``2026-11-21`` or a date -> ``Sat 21 Nov 2026``."""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if not isinstance(value, date):
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def cited_sources(result: Mapping[str, Any], kb: Knowledge) -> list[tuple[str, str]]:
    """(id, title) of every source the result cites, in the knowledge file's order."""
    cited: set[str] = set()

    def take(items: Iterable[Mapping[str, Any]]) -> None:
        for item in items:
            cited.update(item.get("citations", ()))

    take(result.get("concerns", ()))
    take(result.get("factors", ()))
    take(result.get("prevention_plan", ()))
    take(result.get("checkpoints", ()))
    for phase in result.get("relief_plan", ()):
        take(phase.get("items", ()))
    for ex in result.get("exercises", ()):
        if ex in kb.exercises:
            cited.update(kb.exercises[ex].citations)
    return [(s.id, s.title) for s in kb.sources.values() if s.id in cited]


def phone_links(text: Any) -> Markup:
    """Escape ``text`` and make every phone number a region names a tap-to-call link."""
    from ..present import link_phones

    escaped = str(escape(str(text)))
    return Markup(
        link_phones(escaped, load_knowledge(), lambda w, d: f'<a href="tel:{d}">{w}</a>')
    )


def _common_context(request: Request) -> dict[str, Any]:
    tokens = request.app.state.csrf
    kb = load_knowledge()
    from .deps import region_of

    region = region_of(request)
    chosen = kb.regions.get((region or "").lower()) or kb.regions[kb.default_region]
    return {
        "csrf_field": CSRF_FIELD,
        "csrf_token": tokens.token_for(csrf_cookie(request)),
        "disclaimer": " ".join(kb.disclaimer.split()),
        "emergency_number": chosen.emergency_number,
        "region": chosen.id,
        "request_path": request.url.path,
        "kb": kb,
    }


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=TEMPLATES_DIR, context_processors=[_common_context])
    env = templates.env
    env.filters["long_date"] = long_date
    env.filters["phone_links"] = phone_links
    env.filters["describe"] = lambda value, finding: describe_value(finding, value)
    env.globals["LEVEL_STYLE"] = LEVEL_STYLE
    env.globals["cited_sources"] = cited_sources
    env.trim_blocks = True
    env.lstrip_blocks = True
    # Templates are compiled once and kept: the package's files do not change
    # while it runs, so there is no need to look at them again on every page.
    env.auto_reload = False
    return templates
