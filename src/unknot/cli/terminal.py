"""The interview and the result in a terminal, with Rich.

The interview itself is asked by :mod:`unknot.cli.interview`.
"""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.panel import Panel

from ..engine.results import Assessment

LEVEL_STYLE = {
    "emergency": "bold white on red",
    "urgent": "bold black on dark_orange",
    "soon": "bold black on yellow",
    "self_care": "bold white on dark_green",
}


def _console() -> Console:
    return Console(highlight=False)


def print_assessment(a: Assessment, markdown_text: str) -> None:
    """The level first, as a banner in words (not colour alone), then the details."""
    console = _console()
    console.print(
        Panel(
            f"{a.level_title.upper()}\n{a.headline}",
            style=LEVEL_STYLE.get(a.level or "", "bold"),
            title="Unknot result",
        )
    )
    body = markdown_text.split("\n", 3)[-1]  # the banner already shows the heading
    console.print(Markdown(body))
