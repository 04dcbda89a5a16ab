"""``unknot assess``: the interview in the terminal, or findings from a file."""

from __future__ import annotations

from .app import app


@app.command()
def assess() -> None:
    """Assess a back spasm: is it serious, why did it happen, what to do."""
