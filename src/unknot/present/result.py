"""What a result says, and in what order: decided once, here.

:func:`present` turns an assessment (the engine's object or its JSON dict) into
a :class:`Presentation`: a first screen (the level in words, one sentence why,
what to do now, numbers to call, the signs that would change the level) and
short sections that open on demand. The terminal, Markdown, the web pages and
the diary only lay this out; none of them chooses what to show.

Every text comes from the knowledge files; this module holds no clinical facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..knowledge import Knowledge, load_knowledge
from ..knowledge.models import Region

#: How many unanswered safety questions the first screen names.
FIRST_UNANSWERED = 2
#: How many reasons (concerns) the first screen names.
FIRST_REASONS = 2


@dataclass(frozen=True, slots=True)
class Call:
    """A number to tap: ``label`` says who answers, ``tel`` is the digits to dial."""

    label: str
    number: str
    tel: str

    @property
    def href(self) -> str:
        return f"tel:{self.tel}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing inside a section: a piece of advice, a checkpoint, an exercise..."""

    title: str
    text: str = ""
    notes: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    link: str | None = None
    image: str | None = None
    image_alt: str = ""
    anchor: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """Entries under one heading (a phase of the relief plan, say); heading may be empty."""

    heading: str
    when: str
    entries: tuple[Entry, ...]


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    intro: str
    groups: tuple[Group, ...]

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for g in self.groups for e in g.entries)


@dataclass(frozen=True, slots=True)
class FirstScreen:
    """What must be seen without scrolling or opening anything."""

    level: str | None
    title: str
    headline: str
    why: str
    reasons: tuple[str, ...]
    do_now: tuple[str, ...]
    calls: tuple[Call, ...]
    call_now_if: tuple[str, ...]
    provisional: bool
    doubt: str
    unanswered: tuple[str, ...]
    more_unanswered: int
    unread: str | None
    error: str | None
    disclaimer: str


@dataclass(frozen=True, slots=True)
class Presentation:
    first: FirstScreen
    sections: tuple[Section, ...]
    knowledge_version: str
    emergency_number: str
    region: str
    onset: str | None = None
    words: dict[str, int] = field(default_factory=dict)

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)


def as_dict(result: Any) -> Mapping[str, Any]:
    """The assessment's JSON form, whether given the engine object or the dict."""
    if isinstance(result, Mapping):
        return result
    data: Mapping[str, Any] = result.to_dict()
    return data


def region_of(kb: Knowledge, region: str | None) -> Region:
    return kb.regions.get((region or "").lower()) or kb.regions[kb.default_region]


def calls_for(kb: Knowledge, region: str | None, *, urgent: bool) -> tuple[Call, ...]:
    """The emergency number(s) to tap and, when asked, the region's urgent line."""
    chosen = region_of(kb, region)
    tels = chosen.emergency_tel or _digits_in(chosen.emergency_number)
    calls = [Call("Emergency", t, t) for t in tels]
    if urgent and chosen.urgent_tel:
        calls.append(Call(_line_name(chosen), _spaced(chosen.urgent_tel), chosen.urgent_tel))
    return tuple(calls)


def phone_numbers(kb: Knowledge) -> dict[str, str]:
    """Every number the regions name, as written -> digits (for tap-to-call links)."""
    found: dict[str, str] = {}
    for r in kb.regions.values():
        for tel in [*r.emergency_tel, *([r.urgent_tel] if r.urgent_tel else [])]:
            found[tel] = tel
            found[_spaced(tel)] = tel
        for text in (r.emergency_number, r.urgent_line or ""):
            for written in re.findall(r"\d[\d ]*\d", text):
                digits = written.replace(" ", "")
                if digits in found.values():
                    found[written] = digits
    return found


def link_phones(text: str, kb: Knowledge, link: Callable[[str, str], str]) -> str:
    """``text`` with every number a region names replaced by ``link(written, digits)``."""
    pattern, digits = _phone_pattern(kb)
    if pattern is None:
        return text
    return pattern.sub(lambda m: link(m.group(0), digits[m.group(0)]), text)


_PATTERNS: dict[str, tuple[re.Pattern[str] | None, dict[str, str]]] = {}


def _phone_pattern(kb: Knowledge) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    cached = _PATTERNS.get(kb.version)
    if cached is None:
        digits = phone_numbers(kb)
        written = sorted(digits, key=len, reverse=True)
        alternatives = "|".join(re.escape(w) for w in written)
        pattern = re.compile(rf"(?<![\w.])(?:{alternatives})(?!\w)") if written else None
        cached = _PATTERNS[kb.version] = (pattern, digits)
    return cached


def present(result: Any, kb: Knowledge | None = None) -> Presentation:
    """Decide what a result says, first screen then sections, for every surface."""
    kb = kb or load_knowledge()
    r = as_dict(result)
    level = r.get("level")
    region = str(r.get("region") or kb.default_region)
    chosen = region_of(kb, region)
    number = str(r.get("emergency_number") or chosen.emergency_number)
    fill = {"emergency": number, "urgent": chosen.urgent_line or "your doctor"}
    spec = kb.levels.get(level) if isinstance(level, str) else None
    unanswered = [str(n) for n in r.get("unanswered") or ()]
    complete = bool(r.get("complete", not unanswered)) and level is not None
    concerns = list(r.get("concerns") or ())
    error = r.get("error")
    unread = r.get("unread_reason") if level is None else None

    # The first screen names the reasons; why each matters is in a section below.
    reasons = tuple(str(c["title"]) for c in concerns[:FIRST_REASONS])
    if spec is None:
        title = kb.texts["unread_screen_title"]
        headline = kb.texts["unread_screen_headline"]
        why = str(unread or kb.texts["unread_screen_why"])
        do_now: tuple[str, ...] = (
            kb.texts["unread_do_first"],
            kb.texts["unread_do_call"].replace("{emergency_number}", number),
        )
        call_now_if: tuple[str, ...] = tuple(kb.levels["urgent"].call_now_if)
    else:
        title = str(r.get("level_title") or spec.title)
        # The level's own headline: the provisional and doubt notes are laid out apart.
        headline = spec.headline.rstrip(".") + "."
        why = spec.why
        do_now = tuple(_fill(t, fill) for t in spec.do_now)
        if concerns and level != "self_care":
            first_do = str(concerns[0].get("what_to_do", "")).strip()
            if first_do and level == "emergency":
                do_now = (first_do, *do_now[1:])
            elif first_do:
                do_now = (do_now[0], first_do, *do_now[2:]) if do_now else (first_do,)
        call_now_if = tuple(spec.call_now_if)
    # An emergency cannot become more urgent: it is never provisional.
    provisional = not complete and not error and level not in (None, "emergency")
    if provisional:  # the first screen's "Provisional" note names the open questions
        do_now = (kb.texts["provisional_do_first"], *do_now)
    if complete and not concerns and not error and level == "self_care":
        # Said only when every safety question has an answer (TRIAGE.md, how it asks 6).
        why = f"{kb.texts['no_warning_signs'].strip()} {why}"
    if error:
        why = f"{error} {kb.texts['failed_why_end']}"
    labels = [_label(kb, n) for n in unanswered]
    first = FirstScreen(
        level=level if isinstance(level, str) else None,
        title=title,
        headline=headline,
        why=why,
        reasons=reasons,
        do_now=do_now,
        calls=calls_for(kb, region, urgent=level in ("urgent", "soon", None) or bool(error)),
        call_now_if=() if level == "emergency" else call_now_if,
        provisional=provisional,
        doubt=_doubt(kb, [str(n) for n in r.get("doubtful") or ()]),
        unanswered=tuple(labels[:FIRST_UNANSWERED]),
        more_unanswered=max(0, len(labels) - FIRST_UNANSWERED),
        unread=str(unread) if unread else None,
        error=str(error) if error else None,
        disclaimer=str(r.get("disclaimer") or kb.disclaimer),
    )
    sections = _sections(r, kb, level, spec, concerns, labels)
    return Presentation(
        first=first,
        sections=tuple(s for s in sections if s.groups),
        knowledge_version=str(r.get("knowledge_version") or kb.version),
        emergency_number=number,
        region=chosen.id,
        onset=r.get("onset_date"),
    )


def _doubt(kb: Knowledge, doubtful: list[str]) -> str:
    """The engine's sentence on signs said with doubt, and which they are."""
    if not doubtful:
        return ""
    key = "doubtful_one" if len(doubtful) == 1 else "doubtful_many"
    sentence = kb.texts.get(key, "").replace("{n}", str(len(doubtful)))
    return f"{sentence} ({'; '.join(_label(kb, n) for n in doubtful)})".strip()


def _sections(
    r: Mapping[str, Any],
    kb: Knowledge,
    level: Any,
    spec: Any,
    concerns: list[Mapping[str, Any]],
    unanswered: list[str],
) -> list[Section]:
    out: list[Section] = []
    if unanswered and level != "emergency":
        out.append(
            Section(
                "unanswered",
                kb.texts["unanswered_title"].replace("{n}", str(len(unanswered))),
                kb.texts["unanswered_intro"],
                (Group("", "", tuple(Entry(u) for u in unanswered)),),
            )
        )
    if concerns:
        entries = tuple(
            Entry(
                f"{c['title']} ({_level_title(kb, c.get('level'))})",
                str(c.get("why", "")),
                notes=(f"Because you said: {_evidence(c.get('evidence') or (), kb)}.",)
                if c.get("evidence")
                else (),
            )
            for c in concerns
        )
        out.append(Section("reasons", "Why Unknot says this", "", (Group("", "", entries),)))
    if spec is not None and spec.tell_clinician:
        out.append(
            Section(
                "tell",
                "What to tell the doctor or nurse",
                "",
                (Group("", "", tuple(Entry(t) for t in spec.tell_clinician)),),
            )
        )
    self_care = level == "self_care"
    if level in ("self_care", "soon"):
        out.append(_relief(r, kb, only_now=not self_care))
    if level in ("self_care", "soon", "urgent"):
        out.append(_checkpoints(r, kb))
    if self_care or level == "soon":
        out.append(_factors(r, kb))
    if self_care:
        out.append(_prevention(r, kb))
        out.append(_exercises(r, kb))
    out.append(_sources(r, kb))
    return out


def _relief(r: Mapping[str, Any], kb: Knowledge, *, only_now: bool) -> Section:
    items = {i.id: i for i in kb.relief}
    groups = []
    for phase in r.get("relief_plan") or ():
        entries = []
        for item in phase.get("items") or ():
            spec = items.get(item.get("id"))
            if only_now and spec is not None and spec.self_care_only:
                continue
            notes = [f"Why: {item['why']}"] if item.get("why") else []
            notes += [f"Take care: {c}" for c in item.get("cautions") or ()]
            notes += _exercise_links(item.get("exercises") or (), kb)
            entries.append(Entry(str(item["title"]), str(item["text"]), tuple(notes)))
        if entries:
            groups.append(Group(str(phase["title"]), _dates(phase), tuple(entries)))
        if only_now:
            break
    title = "Until you are seen" if only_now else "Relief plan"
    return Section("relief", title, "", tuple(groups))


def _checkpoints(r: Mapping[str, Any], kb: Knowledge) -> Section:
    entries = []
    for cp in r.get("checkpoints") or ():
        when = _long_date(cp.get("date")) if cp.get("date") else "Any time"
        if cp.get("passed"):
            when += " (already passed)"
        entries.append(Entry(f"{when}: {cp['title']}", str(cp["text"])))
    return Section("checkpoints", "Checkpoints", "", _one(entries))


def _factors(r: Mapping[str, Any], kb: Knowledge) -> Section:
    entries = [
        Entry(
            str(f["title"]),
            str(f["why"]),
            (f"What helps: {f['what_to_do']}",)
            + (
                (f"Because you said: {_evidence(f['evidence'], kb)}.",) if f.get("evidence") else ()
            ),
        )
        for f in r.get("factors") or ()
    ]
    return Section("factors", "Why it may have happened", "", _one(entries))


def _prevention(r: Mapping[str, Any], kb: Knowledge) -> Section:
    entries = [
        Entry(str(i["title"]), str(i["text"]), tuple(_exercise_links(i.get("exercises") or (), kb)))
        for i in r.get("prevention_plan") or ()
    ]
    return Section("prevention", "Prevention plan", "", _one(entries))


def _exercises(r: Mapping[str, Any], kb: Knowledge) -> Section:
    entries = []
    for ex_id in r.get("exercises") or ():
        ex = kb.exercises.get(ex_id)
        if ex is None:
            continue
        dose = "once" if ex.repetitions == 1 else f"{ex.repetitions} times"
        if ex.hold_seconds:
            dose = f"hold {ex.hold_seconds} seconds, {dose}"
        times = "once a day" if ex.times_per_day == 1 else f"{ex.times_per_day} times a day"
        entries.append(
            Entry(
                ex.title,
                f"{ex.purpose} Do it {dose}, {times}.",
                tuple(f"Take care: {c}" for c in ex.cautions),
                steps=tuple(ex.steps),
                image=f"/exercises/{ex.id}.svg",
                image_alt=ex.image_alt,
                anchor=f"exercise-{ex.id}",
            )
        )
    return Section("exercises", "Exercises", "", _one(entries))


def _sources(r: Mapping[str, Any], kb: Knowledge) -> Section:
    entries = [Entry(s.title, link=s.url) for s in kb.sources.values() if s.id in cited_ids(r, kb)]
    return Section("sources", "Sources", "", _one(entries))


def cited_ids(r: Mapping[str, Any], kb: Knowledge) -> set[str]:
    """Every source the result cites (concerns, factors, advice, checkpoints, exercises)."""
    cited: set[str] = set()

    def take(items: Iterable[Mapping[str, Any]]) -> None:
        for item in items:
            cited.update(item.get("citations") or ())

    take(r.get("concerns") or ())
    take(r.get("factors") or ())
    take(r.get("prevention_plan") or ())
    take(r.get("checkpoints") or ())
    for phase in r.get("relief_plan") or ():
        take(phase.get("items") or ())
    for ex in r.get("exercises") or ():
        if ex in kb.exercises:
            cited.update(kb.exercises[ex].citations)
    return cited


def _one(entries: list[Entry]) -> tuple[Group, ...]:
    return (Group("", "", tuple(entries)),) if entries else ()


def _exercise_links(ids: Iterable[str], kb: Knowledge) -> list[str]:
    names = [kb.exercises[e].title for e in ids if e in kb.exercises]
    return [f"Exercises: {', '.join(names)}"] if names else []


def _evidence(evidence: Iterable[Mapping[str, Any]], kb: Knowledge) -> str:
    return "; ".join(f"{e['label']} ({_value(e.get('value'))})" for e in evidence)


def _value(value: Any) -> str:
    if value is True:
        return "yes"
    if value is False:
        return "no"
    if isinstance(value, list | tuple | set | frozenset):
        return ", ".join(str(v).replace("_", " ") for v in sorted(value, key=str))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("_", " ")


def _label(kb: Knowledge, name: str) -> str:
    spec = kb.findings.get(name)
    text = spec.label if spec is not None else name.replace("_", " ")
    return text[:1].upper() + text[1:]


def _level_title(kb: Knowledge, level: Any) -> str:
    spec = kb.levels.get(level) if isinstance(level, str) else None
    return spec.title if spec is not None else ""


def _fill(text: str, values: Mapping[str, str]) -> str:
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def _dates(phase: Mapping[str, Any]) -> str:
    starts, ends = phase.get("starts"), phase.get("ends")
    if not starts:
        return ""
    text = _long_date(starts)
    if ends and ends != starts:
        text += f" to {_long_date(ends)}"
    return text


def _long_date(value: Any) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if not isinstance(value, date):
        return ""
    return f"{value:%a} {value.day} {value:%b %Y}"


def _digits_in(text: str) -> list[str]:
    return [m.replace(" ", "") for m in re.findall(r"\d[\d ]*\d", text)]


def _spaced(tel: str) -> str:
    """How a number is written for people: 1800 022 222, 0800 611 116, 116 117."""
    if len(tel) == 10:
        return f"{tel[:4]} {tel[4:7]} {tel[7:]}"
    if len(tel) == 6:
        return f"{tel[:3]} {tel[3:]}"
    return tel


def _line_name(region: Region) -> str:
    return region.urgent_name or "Urgent advice line"
