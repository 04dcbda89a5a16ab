"""``unknot --help`` from the cache folder says exactly what Typer would say."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from unknot.cli import app, lean_app

UNKNOT = str(Path(sys.executable).parent / "unknot")


def run_help(cache: Path, *command: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "UNKNOT_CACHE_DIR": str(cache), "COLUMNS": "80"}
    return subprocess.run(
        list(command or [UNKNOT, "--help"]), capture_output=True, text=True, env=env, check=False
    )


def test_overview_is_the_same_built_cached_or_damaged(tmp_path: Path) -> None:
    whole_app = "import sys; sys.argv = ['unknot', '--help']; from unknot.cli import app; app()"
    expected = run_help(tmp_path, sys.executable, "-c", whole_app).stdout
    first = run_help(tmp_path)
    assert first.returncode == 0 and first.stdout == expected
    assert (tmp_path / "cli-help.txt").exists()
    again = run_help(tmp_path)
    assert again.returncode == 0 and again.stdout == expected
    (tmp_path / "cli-help.txt").write_text("stale key\nUsage: something else\n")
    damaged = run_help(tmp_path)
    assert damaged.returncode == 0 and damaged.stdout == expected


def test_one_command_app_answers_as_the_whole_app() -> None:
    runner = CliRunner()
    for args in (["assess", "--help"], ["diary", "list", "--help"], ["nosuch"], []):
        whole = runner.invoke(app, args)
        lean = runner.invoke(lean_app(args), args)
        assert (lean.exit_code, lean.output) == (whole.exit_code, whole.output)
