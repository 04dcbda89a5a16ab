"""The reference docs stay true to the code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_generated_from_the_current_help() -> None:
    gen = _script("gen_cli_docs")
    written = (ROOT / "docs" / "cli.md").read_text()
    assert written == gen.cli_markdown(), "docs/cli.md is stale: run python scripts/gen_cli_docs.py"


def test_cli_reference_covers_every_command() -> None:
    import typer

    from unknot.cli import app

    written = (ROOT / "docs" / "cli.md").read_text()
    root = typer.main.get_command(app)
    ctx = typer.Context(root)
    names = []
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        names.append(f"unknot {name}")
        sub = root.get_command(ctx, name)  # type: ignore[attr-defined]
        if hasattr(sub, "list_commands"):
            names += [f"unknot {name} {s}" for s in sub.list_commands(ctx)]
    assert len(names) > 10
    for name in names:
        assert f"`{name}`" in written, name
