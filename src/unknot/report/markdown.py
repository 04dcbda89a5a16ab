"""An assessment as Markdown: for `--format markdown`, files and doctor visits.

What the result says and in which order is decided in :mod:`unknot.present`;
this module only writes it out. Compact by default (the first screen and the
names of the sections); ``full=True`` writes every section.
"""

from __future__ import annotations

from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..present import Presentation, Section, link_phones, present


def assessment_markdown(a: Any, kb: Knowledge | None = None, *, full: bool = False) -> str:
    """The result as Markdown: first screen, then sections (all of them with ``full``).

    Every phone number a region names becomes a ``tel:`` link."""
    kb = kb or load_knowledge()
    text = presentation_markdown(present(a, kb), full=full)
    return link_phones(text, kb, lambda w, d: f"[{w}](tel:{d})")


def presentation_markdown(p: Presentation, *, full: bool = False) -> str:
    f = p.first
    title = f"{f.title} (provisional)" if f.provisional else f.title
    out: list[str] = [f"# {title}", "", f"**{f.headline}**", ""]
    if f.provisional and f.unanswered:
        out += ["This result is provisional. These safety questions are not answered yet:", ""]
        out += [f"- {u}" for u in f.unanswered]
        if f.more_unanswered:
            out.append(f"- (and {f.more_unanswered} more in the full list)")
        out.append("")
    if f.doubt:
        out += [f.doubt, ""]
    out += [f.why, ""]
    out += [f"- {reason}" for reason in f.reasons]
    if f.reasons:
        out.append("")
    out += ["## What to do now", ""] + [f"- {step}" for step in f.do_now] + [""]
    out += [
        "Call: " + ", ".join(f"{c.number} ({c.label})" for c in f.calls),
        "",
    ]
    if f.call_now_if:
        out += [f"**Call {p.emergency_number} now if you get:**", ""]
        out += [f"- {sign}" for sign in f.call_now_if] + [""]
    if full:
        for section in p.sections:
            out += section_markdown(section)
    elif p.sections:
        names = "; ".join(s.title.split(" (")[0] for s in p.sections)
        out += [f"_More in the full result ({names}): run again with `--full`._", ""]
    out += [f"_{f.disclaimer}_", "", f"Knowledge version {p.knowledge_version}."]
    return "\n".join(out) + "\n"


def section_markdown(section: Section) -> list[str]:
    out = [f"## {section.title}", ""]
    if section.intro:
        out += [section.intro, ""]
    for group in section.groups:
        if group.heading:
            out += [f"### {group.heading}" + (f" ({group.when})" if group.when else ""), ""]
        for e in group.entries:
            head = (
                f"[{e.title}]({e.link})" if e.link else (f"**{e.title}.**" if e.text else e.title)
            )
            out.append(f"- {head} {e.text}".rstrip())
            out += [f"  {n}. {step}" for n, step in enumerate(e.steps, 1)]
            out += [f"  - {note}" for note in e.notes]
        out.append("")
    return out
