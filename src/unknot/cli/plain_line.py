"""A command line read without Typer, for the quick paths (``assess --text``, ``diary list``).

:func:`plain_options` reads a line only when it can do so without doubt: every
option known and given once, every valued option with its value. Anything else
returns None and the caller leaves the line to Typer, so that every message and
exit status stays Typer's.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def plain_options(
    args: Sequence[str],
    valued: Mapping[str, str],
    flags: Mapping[str, str],
    *,
    dash_value: bool = False,
) -> dict[str, str | bool] | None:
    """Option name -> value (a flag's is True), or None to leave the line to Typer.

    ``valued`` and ``flags`` map each option as typed (``--page``, ``-t``) to its
    name. A value may follow its option or be joined with ``=`` (long options
    only). A value that looks like an option is refused (Typer says what is
    wrong), except ``-`` when ``dash_value`` (standard input).
    """
    seen: dict[str, str | bool] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=") if arg.startswith("--") else (arg, "", "")
        value: str | bool
        if name in flags and not eq:
            key, value = flags[name], True
        elif name in valued:
            if eq:
                value = inline
            elif i + 1 < len(args):
                i += 1
                value = args[i]
            else:
                return None
            if value.startswith("-") and not (dash_value and value == "-"):
                return None
            key = valued[name]
        else:
            return None
        if key in seen:
            return None
        seen[key] = value
        i += 1
    return seen
