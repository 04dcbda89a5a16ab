"""Bad input on the command line: one clear line naming what is wrong, exit 2, no traceback.

Each case is what a person or a script might really type or pipe in. The table
runs in-process (CliRunner), so an exception that escapes a command fails the
test here rather than being caught by ``main``'s last-resort message; a few
cases also run the installed ``unknot`` to check what a person sees.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unknot.cli import app

runner = CliRunner()
NEST = 100_000
HUGE = str(2**63)


def write(name: str, content: str | bytes) -> Callable[[Path], str]:
    """A file made in the test's folder; the case gets its path."""

    def make(folder: Path) -> str:
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return str(path)

    return make


def folder(folder: Path) -> str:
    return str(folder)


def missing(folder: Path) -> str:
    return str(folder / "no-such-file.json")


def findings(data: str) -> Callable[[Path], str]:
    return write("findings.json", data)


NESTED_JSON = write("nested.json", "[" * NEST + "]" * NEST)
NESTED_YAML = write("nested.yaml", "[" * NEST + "]" * NEST)
NESTED_OBJ = write("nested-obj.json", '{"a":' * NEST + "1" + "}" * NEST)
NOT_UTF8 = write("latin1.json", b'{"age": "\xe9\xff"}')

Arg = str | Callable[[Path], str]
CASES: list[tuple[str, list[Arg]]] = [
    # --- assess: findings files
    ("findings file missing", ["assess", "-f", missing]),
    ("findings file is a folder", ["assess", "-f", folder]),
    ("findings not JSON", ["assess", "-f", findings("{age: ")]),
    ("findings deeply nested JSON", ["assess", "-f", NESTED_JSON]),
    ("findings deeply nested YAML", ["assess", "-f", NESTED_YAML]),
    ("findings deeply nested object", ["assess", "-f", NESTED_OBJ]),
    ("findings not UTF-8", ["assess", "-f", NOT_UTF8]),
    ("findings a list", ["assess", "-f", findings("[1, 2]")]),
    ("findings empty", ["assess", "-f", findings("")]),
    ("findings a number", ["assess", "-f", findings("42")]),
    ("finding misspelt", ["assess", "-f", findings('{"agee": 40}')]),
    ("finding derived", ["assess", "-f", findings('{"red_flag_count": 1}')]),
    ("age text", ["assess", "-f", findings('{"age": "forty"}')]),
    ("age Infinity", ["assess", "-f", findings('{"age": Infinity}')]),
    ("age -Infinity", ["assess", "-f", findings('{"age": -Infinity}')]),
    ("age NaN", ["assess", "-f", findings('{"age": NaN}')]),
    ("age 1e309", ["assess", "-f", findings('{"age": 1e309}')]),
    ("age past 2^63", ["assess", "-f", findings('{"age": ' + HUGE + "}")]),
    ("age 10^400", ["assess", "-f", findings('{"age": 1' + "0" * 400 + "}")]),
    ("age a fraction", ["assess", "-f", findings('{"age": 40.5}')]),
    ("age a list", ["assess", "-f", findings('{"age": [40]}')]),
    ("age an object", ["assess", "-f", findings('{"age": {"years": 40}}')]),
    ("age true", ["assess", "-f", findings('{"age": true}')]),
    ("trigger a number", ["assess", "-f", findings('{"trigger": 5}')]),
    ("trigger unknown", ["assess", "-f", findings('{"trigger": ["juggling"]}')]),
    ("trigger nested list", ["assess", "-f", findings('{"trigger": [["lifting"]]}')]),
    ("yes/no as a word", ["assess", "-f", findings('{"saddle_numbness": "perhaps"}')]),
    ("yes/no as a list", ["assess", "-f", findings('{"saddle_numbness": [true]}')]),
    ("choice a number", ["assess", "-f", findings('{"sex": 5}')]),
    ("--today year 1", ["assess", "-f", findings('{"age": 40}'), "--today", "0001-01-01"]),
    ("--today year 9999", ["assess", "-f", findings('{"age": 40}'), "--today", "9999-12-31"]),
    ("--today 30 Feb", ["assess", "-f", findings('{"age": 40}'), "--today", "2024-02-30"]),
    ("--today words", ["assess", "-f", findings('{"age": 40}'), "--today", "next week"]),
    ("findings and text", ["assess", "-f", findings('{"age": 40}'), "--text", "sore back"]),
    ("empty --text", ["assess", "--text", "   "]),
    ("--text too long", ["assess", "--text", "back " * 20_000]),
    ("--format unknown", ["assess", "--format", "xml"]),
    # --- diary: episodes
    ("--pain 11", ["diary", "start", "--pain", "11"]),
    ("--pain -1", ["diary", "start", "--pain", "-1"]),
    ("--pain words", ["diary", "start", "--pain", "bad"]),
    ("--pain 10^20", ["diary", "start", "--pain", "1" + "0" * 20]),
    ("--at year 1", ["diary", "start", "--at", "0001-01-01 08:00"]),
    ("--at year 9999", ["diary", "start", "--at", "9999-12-31 08:00"]),
    ("--at 30 Feb", ["diary", "start", "--at", "2024-02-30"]),
    ("--at words", ["diary", "start", "--at", "when it started"]),
    ("--end before --at", ["diary", "start", "--at", "2024-05-02", "--end", "2024-05-01"]),
    ("--where unknown", ["diary", "start", "--where", "elbow"]),
    ("--trigger unknown", ["diary", "start", "--trigger", "juggling"]),
    ("--tried unknown", ["diary", "start", "--tried", "magic"]),
    ("--tried odd answer", ["diary", "start", "--tried", "heat=maybe"]),
    ("--notes too long", ["diary", "start", "--notes", "n" * 10_001]),
    ("--assessment missing", ["diary", "start", "--assessment", missing]),
    ("--assessment nested", ["diary", "start", "--assessment", NESTED_JSON]),
    ("--assessment a list", ["diary", "start", "--assessment", findings("[]")]),
    ("--assessment bad findings", ["diary", "start", "--assessment",
                                   findings('{"level": "soon", "findings": [1, 2]}')]),
    ("--assessment bad level", ["diary", "start", "--assessment",
                                findings('{"level": "whenever"}')]),
    ("--assessment level a number", ["diary", "start", "--assessment",
                                     findings('{"level": 5}')]),
    ("--assessment location a number", ["diary", "start", "--assessment", findings(
        '{"level": "soon", "findings": {"location": 7}}')]),
    ("start --findings bad", ["diary", "start", "-f", findings('{"agee": 1}')]),
    ("show past 2^63", ["diary", "show", HUGE]),
    ("show 0", ["diary", "show", "0"]),
    ("show negative", ["diary", "show", "--", "-5"]),
    ("show words", ["diary", "show", "first"]),
    ("show not there", ["diary", "show", "99"]),
    ("end past 2^63", ["diary", "end", HUGE]),
    ("edit past 2^63", ["diary", "edit", HUGE, "--pain", "3"]),
    ("edit --start year 1", ["diary", "edit", "1", "--start", "0001-01-01"]),
    ("chart past 2^63", ["diary", "chart", HUGE]),
    ("chart --width 5", ["diary", "chart", "--width", "5"]),
    # --- diary: check-ins
    ("checkin feeling unknown", ["diary", "checkin", "--pain", "3", "--feeling", "great"]),
    ("checkin --pain 99", ["diary", "checkin", "--pain", "99", "--feeling", "same"]),
    ("checkin no --pain", ["diary", "checkin", "--feeling", "same"]),
    ("checkin past 2^63", ["diary", "checkin", HUGE, "--pain", "3", "--feeling", "same"]),
    ("checkin unknown sign", ["diary", "checkin", "--pain", "3", "--feeling", "same",
                              "--danger", "dizzy"]),
    ("checkin odd sign value", ["diary", "checkin", "--pain", "3", "--feeling", "same",
                                "--danger", "fever=perhaps"]),
    ("checkin --at year 1", ["diary", "checkin", "--pain", "3", "--feeling", "same",
                             "--at", "0001-01-01"]),
    # --- diary: reports and files
    ("--months 10^20", ["diary", "summary", "--months", "1" + "0" * 20]),
    ("--months -1", ["diary", "summary", "--months", "-1"]),
    ("summary pdf without -o", ["diary", "summary", "--format", "pdf"]),
    ("summary format unknown", ["diary", "summary", "--format", "docx"]),
    ("summary -o into a missing folder", ["diary", "summary", "-o",
                                          lambda f: str(f / "nope" / "s.md")]),
    ("export csv without -o", ["diary", "export", "--format", "csv"]),
    ("export csv to -", ["diary", "export", "--format", "csv", "-o", "-"]),
    ("export -o a folder", ["diary", "export", "-o", folder]),
    ("reminders without -o", ["diary", "reminders"]),
    ("reminders past 2^63", ["diary", "reminders", "--episode", HUGE, "-o", "-"]),
    ("import missing", ["diary", "import", missing]),
    ("import a folder", ["diary", "import", folder]),
    ("import nested", ["diary", "import", NESTED_JSON]),
    ("import nested object", ["diary", "import", NESTED_OBJ]),
    ("import not UTF-8", ["diary", "import", NOT_UTF8]),
    ("import a list", ["diary", "import", findings("[]")]),
    ("import episodes text", ["diary", "import", findings('{"episodes": "all of them"}')]),
    ("import episode year 1", ["diary", "import", findings(
        '{"episodes": [{"uid": "a", "started_at": "0001-01-01T00:00:00"}]}')]),
    ("import episode uid a number", ["diary", "import", findings(
        '{"episodes": [{"uid": 5, "started_at": "2024-05-01T00:00:00"}]}')]),
    ("import pain Infinity", ["diary", "import", findings(
        '{"episodes": [{"uid": "a", "started_at": "2024-05-01T00:00:00", '
        '"peak_pain": Infinity}]}')]),
    # --- where the diary is
    ("--db-url ::::", ["diary", "list", "--db-url", "::::"]),
    ("--db-url a folder", ["diary", "list", "--db-url", lambda f: f"sqlite:///{f}"]),
    ("--db-url unknown database", ["diary", "list", "--db-url", "nosuchdb://x/y"]),
    ("--db-url no scheme", ["diary", "list", "--db-url", "diary.sqlite3"]),
    # --- other commands
    ("validate missing", ["validate", missing]),
    ("validate nested", ["validate", NESTED_JSON]),
    ("validate not cases", ["validate", findings('[1, "two"]')]),
    ("web --port 70000", ["web", "--port", "70000"]),
    ("web --port words", ["web", "--port", "eighty"]),
    ("unknown command", ["triage"]),
    ("unknown option", ["assess", "--colour", "red"]),
]


def _args(case: list[Arg], tmp_path: Path) -> list[str]:
    return [a(tmp_path) if callable(a) else a for a in case]


@pytest.fixture
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{tmp_path / 'diary.sqlite3'}")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert len({name for name, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("name", "args"), CASES, ids=[name for name, _ in CASES])
def test_bad_input_gets_one_line_and_exit_2(isolated: Path, name: str, args: list[Arg]) -> None:
    runner.invoke(app, ["diary", "start", "--at", "2024-05-01 08:00"])  # an episode 1
    result = runner.invoke(app, _args(args, isolated))
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}"
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert result.exit_code == 2, (result.exit_code, result.output)
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert len(lines[0]) < 1000
    assert "Traceback" not in result.output


def test_nothing_was_saved_by_bad_input(isolated: Path) -> None:
    runner.invoke(app, ["diary", "start", "--at", "2024-05-01 08:00", "--notes", "kept"])
    for _name, args in CASES:
        if args[0] == "diary" and args[1] in ("start", "checkin", "edit", "import", "end"):
            runner.invoke(app, _args(args, isolated))
    listed = runner.invoke(app, ["diary", "list", "--format", "json"])
    episodes = json.loads(listed.stdout)["episodes"]
    assert [e["notes"] for e in episodes] == ["kept"]


@pytest.mark.parametrize(
    ("args", "stdin"),
    [
        (["assess", "-f", "-"], "[" * NEST + "]" * NEST),
        (["diary", "show", HUGE], None),
        (["diary", "summary", "--months", "1" + "0" * 20], None),
        (["diary", "list", "--db-url", "::::"], None),
    ],
)
def test_the_installed_command_prints_no_traceback(
    tmp_path: Path, args: list[str], stdin: str | None
) -> None:
    env = {**os.environ, "UNKNOT_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}"}
    done = subprocess.run(
        [sys.executable, "-m", "unknot", *args],
        input=stdin or "", capture_output=True, text=True, env=env, timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("UNKNOT_ALLOWED_HOSTS", "*"),
        ("UNKNOT_ALLOWED_HOSTS", "http://unknot.home.arpa"),
        ("UNKNOT_PUBLIC_ORIGIN", "unknot.example.org"),
        ("UNKNOT_PUBLIC_ORIGIN", "https://unknot.example.org/app"),
    ],
)
def test_bad_server_settings_stop_before_serving(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    import unknot.web.serve as serve

    monkeypatch.setattr(serve, "serve", lambda *a, **k: pytest.fail("the server started"))
    monkeypatch.setenv("UNKNOT_SECRET_KEY", "s" * 40)
    monkeypatch.setenv(variable, value)
    result = runner.invoke(app, ["web"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and variable in lines[0]
