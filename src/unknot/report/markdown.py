"""An assessment as Markdown: for `--format markdown`, files and doctor visits."""

from __future__ import annotations

from typing import Any

from ..engine.results import Assessment, Evidence
from ..knowledge import Knowledge

LEVEL_MARK = {
    "emergency": "EMERGENCY",
    "urgent": "URGENT",
    "soon": "SOON",
    "self_care": "SELF-CARE",
}


def evidence_text(evidence: tuple[Evidence, ...]) -> str:
    """'because you said: ...' in plain words."""
    parts = []
    for ev in evidence:
        parts.append(f"{ev.label} ({display_value(ev.value)})")
    return "; ".join(parts)


def display_value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, frozenset | set | list | tuple):
        return ", ".join(str(v).replace("_", " ") for v in sorted(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_", " ")


def assessment_markdown(a: Assessment, kb: Knowledge) -> str:
    out: list[str] = [
        f"# {LEVEL_MARK.get(a.level or '', (a.level or 'not read').upper())}: {a.level_title}",
        "",
        f"**{a.headline}**",
        "",
    ]
    if a.error:
        out += [f"_Why: {a.error}_", ""]
    if a.concerns:
        out += ["## Why", ""]
        for c in a.concerns:
            out += [
                f"### {c.title} ({c.level.replace('_', ' ')})",
                "",
                c.why,
                "",
                f"**What to do now:** {c.what_to_do}",
                "",
                f"Because you said: {evidence_text(c.evidence)}.",
                f"Sources: {', '.join(c.citations)}",
                "",
            ]
    elif not a.error and a.complete:  # never while a safety question is open
        out += [
            f"{kb.texts['no_warning_signs']} "
            f"If any appear, call {a.emergency_number} or get medical advice.",
            "",
        ]
    if a.unread_reason:
        out += [f"_Why: {a.unread_reason}_", ""]
    if a.unanswered:
        names = ", ".join(kb.findings[n].label for n in a.unanswered[:12])
        more = "" if len(a.unanswered) <= 12 else f" and {len(a.unanswered) - 12} more"
        out += [f"**Not asked or not answered (safety):** {names}{more}.", ""]
    if a.factors:
        out += ["## Why it may have happened", ""]
        for f in a.factors:
            out.append(
                f"- **{f.title}**: {f.why} _Because you said: {evidence_text(f.evidence)}._ "
                f"What helps: {f.what_to_do}"
            )
        out.append("")
    if a.relief_plan:
        out += ["## Relief plan", ""]
        for phase in a.relief_plan:
            dates = ""
            if phase.starts:
                dates = f" (from {phase.starts:%a %d %b}" + (
                    f" to {phase.ends:%a %d %b})" if phase.ends else ")"
                )
            out += [f"### {phase.title}{dates}", ""]
            for item in phase.items:
                out.append(f"- **{item.title}.** {item.text}")
                if item.why:
                    out.append(f"  _Why: {item.why}_")
                for caution in item.cautions:
                    out.append(f"  - Caution: {caution}")
            out.append("")
    if a.checkpoints:
        out += ["## Checkpoints", ""]
        for cp in a.checkpoints:
            when = f"{cp.date:%a %d %b %Y}" if cp.date else "Any time"
            out.append(f"- **{when} - {cp.title}** {cp.text}")
        out.append("")
    if a.prevention_plan:
        out += ["## Prevention plan", ""]
        for item in a.prevention_plan:
            aim = (
                f" _(for: {', '.join(x.replace('_', ' ') for x in item.answers)})_"
                if item.answers
                else ""
            )
            out.append(f"- **{item.title}.** {item.text}{aim}")
        out.append("")
    if a.exercises:
        out += ["## Exercises", ""]
        for ex_id in a.exercises:
            ex = kb.exercises[ex_id]
            dose = "once" if ex.repetitions == 1 else f"{ex.repetitions} times"
            if ex.hold_seconds:
                dose = f"hold {ex.hold_seconds} s, {dose}"
            out.append(f"- **{ex.title}** ({dose}, {ex.times_per_day}x a day): {ex.purpose}")
            out += [f"  {n}. {step}" for n, step in enumerate(ex.steps, 1)]
            out += [f"  - Caution: {c}" for c in ex.cautions]
        out.append("")
    cited = sorted(
        {s for c in a.concerns for s in c.citations} | {s for f in a.factors for s in f.citations}
    )
    if cited:
        out += ["## Sources", ""] + [f"- {kb.sources[s].title}" for s in cited if s in kb.sources]
        out.append("")
    out += [f"_{a.disclaimer}_", "", f"Knowledge version {a.knowledge_version}."]
    return "\n".join(out) + "\n"
