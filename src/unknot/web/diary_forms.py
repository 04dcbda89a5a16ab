"""The diary's web forms as the diary's own inputs (checked by the diary, not here)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from ..knowledge import load_knowledge
from .diary_options import remedies


def local_input(value: datetime) -> str:
    """A time as a ``datetime-local`` input value."""
    return value.strftime("%Y-%m-%dT%H:%M")


def blank(value: Any) -> Any:
    return None if value in (None, "") else value


def episode_data(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The new-episode form as the diary's EpisodeIn data (checked by the diary)."""
    tried = []
    for remedy, _ in remedies():
        answer = form.get(f"tried.{remedy}")
        if answer in ("yes", "no", "unsure"):
            tried.append({"remedy": remedy, "helped": {"yes": True, "no": False}.get(answer)})
    return {
        "started_at": blank(form.get("started_at")) or datetime.now(),
        "ended_at": blank(form.get("ended_at")),
        "regions": list(getlist("regions")),
        "peak_pain": blank(form.get("peak_pain")),
        "triggers": list(getlist("triggers")),
        "tried": tried,
        "notes": str(form.get("notes") or ""),
    }


def checkin_data(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The check-in form as the diary's CheckinIn data; for a sign with levels
    (one leg, both legs) the last ticked in the catalogue's order counts."""
    kb = load_knowledge()
    signs: dict[str, Any] = {}
    for ticked in getlist("signs"):
        name, _, value = str(ticked).partition("=")
        spec = kb.findings.get(name)
        if spec is not None and spec.type == "enum" and name in signs:
            order = spec.values
            if value in order and order.index(value) < order.index(signs[name]):
                continue
        signs[name] = value
    return {
        "at": blank(form.get("at")) or datetime.now(),
        "pain": blank(form.get("pain")),
        "feeling": blank(form.get("feeling")),
        "danger_signs": signs,
        "notes": str(form.get("notes") or ""),
    }
