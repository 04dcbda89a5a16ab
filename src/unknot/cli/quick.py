"""``unknot assess --text``, the command a person waits on most, without Typer.

:func:`assess_text` reads the findings from a person's words, assesses them and
prints the result; ``unknot assess --text`` (Typer, :mod:`unknot.cli.assess`)
and :func:`run` both use it. :func:`run` reads an ``assess`` command line
itself when it is one it can read without doubt: ``--text`` with ``--format``,
``--region``, ``--today`` and ``--full``, each once, with a value it accepts.
Anything else (help, another option, a value to refuse, ``--findings``) is
left to Typer, so every message and exit status stays Typer's. Typer, Rich and
the interview are imported only when they are needed: Rich for the text format,
the interview when a person at a terminal is asked the unanswered questions.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from .inputs import InputError
from .plain_line import plain_options

if TYPE_CHECKING:
    from ..engine.results import Assessment
    from ..intake import Extraction
    from ..knowledge import Knowledge


class Format(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


PROVISIONAL_EXIT = 3
"""Exit status of ``assess --text`` when the result is not complete (documented in --help)."""

BAD_INPUT_EXIT = 2


UNEXPECTED = (
    "Error: Unknot hit a problem it did not expect ({kind}). "
    "Nothing was saved. If you need help with your back now, do not wait: "
    "contact a doctor or your local emergency number."
)
"""The one line for any failure nobody expected, on both paths (here and Typer's)."""

Ask = Callable[["Assessment", "Extraction", "str | None", "date | None"], "Assessment | None"]


def echo(text: str, *, err: bool = False) -> None:
    """A line to standard output (or error), as ``typer.echo`` prints it."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


def render(
    assessment: Assessment,
    fmt: Format,
    extraction: Extraction | None = None,
    *,
    full: bool = False,
) -> None:
    """Print an assessment in the chosen format (with what was read from the text, if any)."""
    if fmt is Format.json:  # the assessment document, as the API and the diary keep it
        if extraction is not None:
            assessment = assessment.with_words(extraction.subject, extraction.evidence)
        echo(json.dumps(assessment.to_dict(), indent=2, ensure_ascii=False))
        return
    from ..knowledge import load_knowledge
    from ..report import assessment_markdown  # only for text and Markdown

    kb = load_knowledge()
    extra = read_back_markdown(extraction, kb) if extraction is not None else ""
    if fmt is Format.markdown:
        text = assessment_markdown(assessment, kb, full=full)
        echo(text + ("\n" + extra if extra else ""))
        return
    from .terminal import print_assessment

    print_assessment(assessment, full=full, extra_markdown=extra)


def safe_assess(
    findings: dict[str, Any],
    region: str | None,
    today: date | None,
    doubtful: Iterable[str] = (),
) -> Assessment:
    """Assess through the engine's safe entry: any unexpected failure is the seek-care result."""
    from ..engine import run

    return run(findings, region=region, today=today, doubtful=doubtful)


def read_back_markdown(extraction: Extraction, kb: Knowledge) -> str:
    """What Unknot read from the person's words, each with the words it came from."""
    from ..engine.findings import to_jsonable

    values = to_jsonable(extraction.findings)
    who = "" if extraction.subject == "self" else f" (about your {extraction.subject})"
    out = [f"## What Unknot read from your words{who}", ""]
    if not values:
        out.append("Nothing Unknot knows about: answer the questions, or use the interview.")
    for name, value in values.items():
        shown = ", ".join(value) if isinstance(value, list) else value
        words = "; ".join(f'"{w}"' for w in extraction.evidence.get(name, []))
        out.append(f"- {kb.findings[name].label}: {shown} (from {words})")
    for name in sorted(extraction.doubtful):
        out.append(
            f"- You mentioned {kb.findings[name].label}, but it sounded uncertain. "
            "It is counted as present to be safe: please check it."
        )
    return "\n".join(out) + "\n"


def read_text(text: str) -> str:
    """The text given with --text (``-`` reads standard input), or InputError."""
    from ..intake import MAX_CHARS

    words = sys.stdin.read() if text == "-" else text
    if not words.strip():
        raise InputError("--text is empty: describe what happened in your own words")
    if len(words) > MAX_CHARS:
        raise InputError(
            f"--text is too long ({len(words)} characters): describe it in at most {MAX_CHARS}"
        )
    return words


def interactive() -> bool:
    """A person at a terminal (not a script piping answers in)."""
    return sys.stdin.isatty()


def ask_unanswered(
    result: Assessment, extraction: Extraction, region: str | None, day: date | None
) -> Assessment | None:
    """At a terminal: confirm the doubtful signs, then ask the unanswered safety
    questions (one checklist with "None of these"), then assess again.

    Returns the new assessment (it may still be provisional if some were left
    unanswered), or None to keep the one given.
    """
    from .interview import ask_open_safety

    findings = dict(extraction.findings) if getattr(extraction, "read", True) else {}
    doubtful = tuple(sorted(extraction.doubtful)) if findings else ()
    findings, doubtful = ask_open_safety(findings, doubtful)
    return safe_assess(findings, region, day, doubtful)


def assess_text(
    text: str,
    fmt: Format,
    region: str | None,
    day: date | None,
    *,
    full: bool = False,
    at_terminal: Callable[[], bool] = interactive,
    ask: Ask = ask_unanswered,
) -> int:
    """``--text``: read the findings from the person's words, assess them, print the result.

    Signs said with doubt count as present (as on the web); words that could
    not be read give the unread result. Returns the exit status: 0, or
    :data:`PROVISIONAL_EXIT` for a result that is not complete (it names the
    unanswered safety questions). Raises InputError for empty or too long text.
    """
    from ..engine import failed_assessment, unread_assessment

    words = read_text(text)
    try:
        from ..intake import extract_findings

        extraction = extract_findings(words)
        if getattr(extraction, "read", True):
            result = safe_assess(extraction.findings, region, day, extraction.doubtful)
        else:
            result = unread_assessment(getattr(extraction, "unread_reason", None), region)
    except Exception as exc:  # never show nothing; never echo the person's words
        render(
            failed_assessment(f"could not read the text ({exc.__class__.__name__})", region),
            fmt,
            full=full,
        )
        return PROVISIONAL_EXIT
    if not result.complete and at_terminal() and fmt is Format.text:
        result = ask(result, extraction, region, day) or result
    render(result, fmt, extraction, full=full)
    return 0 if result.complete else PROVISIONAL_EXIT


# --- The command line, read without Typer -----------------------------------------

_VALUED = {"--text": "text", "-t": "text", "--format": "format", "--region": "region",
           "--today": "today"}
_FLAGS = {"--full": "full"}


def parse(args: Sequence[str]) -> dict[str, Any] | None:
    """The options of an ``assess --text`` line, or None to leave the line to Typer."""
    seen: dict[str, Any] | None = plain_options(args, _VALUED, _FLAGS, dash_value=True)
    if seen is None:
        return None
    if "text" not in seen:
        return None
    try:
        seen["format"] = Format(seen.get("format", "text"))
    except ValueError:
        return None
    if "region" not in seen:
        seen["region"] = os.environ.get("UNKNOT_REGION") or None
    return seen


def run(args: Sequence[str]) -> int | None:
    """Run ``unknot assess`` with ``args`` (what follows ``assess``) and return the exit
    status, or return None at once, having done nothing, when Typer must read them."""
    options = parse(args)
    if options is None:
        return None
    # Pydantic looks through every installed package for plugins when it first builds a
    # model; Unknot uses none, and Typer turns the search off for its own models too.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "1")
    day: date | None = None
    if "today" in options:
        from ..bounds import check_day

        try:
            day = check_day(date.fromisoformat(options["today"]))
        except ValueError:
            return None  # Typer's path says what is allowed
    try:
        return assess_text(
            options["text"],
            options["format"],
            options["region"],
            day,
            full=options.get("full", False),
        )
    except InputError as exc:
        echo(f"Error: {exc}", err=True)
        return BAD_INPUT_EXIT
    except (EOFError, KeyboardInterrupt):
        echo("", err=True)
        echo("Aborted.", err=True)
        return 1
    except Exception as exc:
        echo(UNEXPECTED.format(kind=type(exc).__name__), err=True)
        return 1
