"""`unknot diary ...` as a person or a script uses it."""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from unknot.cli import app

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "diary.sqlite3"
    monkeypatch.setenv("UNKNOT_DATABASE_URL", f"sqlite:///{path}")
    return path


def run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["diary", *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def ago(**kw: float) -> str:
    return (datetime.now() - timedelta(**kw)).strftime("%Y-%m-%d %H:%M")


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_start_check_in_show_and_list_in_json(db: Path) -> None:
    code, out, _ = run("start", "--at", ago(days=3), "-w", "lower_back", "--pain", "7",
                       "-t", "lifting", "--tried", "heat=yes", "--tried", "nsaid",
                       "--format", "json")
    assert code == 0, out
    started = json.loads(out)
    episode = started["episode"]
    assert episode["regions"] == ["lower_back"] and episode["peak_pain"] == 7
    assert [(t["remedy"], t["helped"]) for t in episode["tried"]] == [("heat", True),
                                                                      ("nsaid", None)]
    assert [d["kind"] for d in started["due"]] == ["not_easing"]

    code, out, _ = run("checkin", "--pain", "5", "--feeling", "better", "--format", "json")
    assert code == 0 and json.loads(out)["checkin"]["episode_id"] == episode["id"]
    code, out, _ = run("show", "--format", "json")
    shown = json.loads(out)
    assert [c["pain"] for c in shown["episode"]["checkins"]] == [5] and shown["due"] == []
    code, out, _ = run("list", "--format", "json")
    assert [e["id"] for e in json.loads(out)["episodes"]] == [episode["id"]]


def test_a_danger_sign_at_check_in_prints_the_new_triage_prominently(db: Path) -> None:
    run("start", "--at", ago(days=1), "-w", "lower_back")
    code, out, _ = run("checkin", "--pain", "8", "--feeling", "worse", "--danger",
                       "bowel_incontinence")
    assert code == 0
    assert "triage was run again at once" in out
    assert "Emergency" in out and "emergency number" in out.lower()
    assert "not a diagnosis" in out


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["start", "--pain", "12"], "peak_pain"),
        (["start", "--at", "2099-01-01 08:00"], "started_at"),
        (["start", "-w", "knee"], "regions"),
        (["start", "--at", "2024-05-02", "--end", "2024-05-01"], "ended_at"),
        (["start", "--tried", "heat=maybe"], "--tried"),
    ],
)
def test_bad_input_exits_2_names_the_field_and_writes_nothing(
    db: Path, args: list[str], field: str
) -> None:
    run("start", "--at", ago(days=1))
    code, out, err = run(*args)
    assert code == 2
    assert field in err and "Traceback" not in err + out
    assert count(db, "episodes") == 1


def test_a_bad_check_in_writes_nothing(db: Path) -> None:
    run("start", "--at", ago(days=1))
    code, _, err = run("checkin", "--pain", "3", "--feeling", "same", "--danger", "tired")
    assert code == 2 and "danger_signs" in err
    assert count(db, "checkins") == 0


def test_check_in_with_no_open_episode_says_what_to_do(db: Path) -> None:
    code, _, err = run("checkin", "--pain", "3", "--feeling", "same")
    assert code == 2 and "no episode is open" in err


def test_start_from_a_findings_file_keeps_the_assessment(db: Path, tmp_path: Path) -> None:
    findings = tmp_path / "f.json"
    findings.write_text(json.dumps({"location": ["neck"], "pain_score": 6, "trigger": ["twisting"],
                                    "days_since_onset": 2, "onset": "sudden"}))
    code, out, _ = run("start", "--findings", str(findings), "--format", "json")
    assert code == 0, out
    ep = json.loads(out)["episode"]
    assert ep["regions"] == ["neck"] and ep["peak_pain"] == 6 and ep["triggers"] == ["twisting"]
    assert ep["triage"][0]["source"] == "assessment" and ep["level"] == "self_care"
    started = datetime.fromisoformat(ep["started_at"])
    since = datetime.now().astimezone() - started
    assert timedelta(days=1, hours=23) < since < timedelta(days=2, hours=1)


def test_end_marks_the_open_episode_over(db: Path) -> None:
    run("start", "--at", ago(days=2))
    code, out, _ = run("end")
    assert code == 0 and "ended after" in out
    assert run("due", "--format", "json")[1].strip() == "[]"


def test_export_delete_import_round_trip_through_the_cli(db: Path, tmp_path: Path) -> None:
    run("start", "--at", ago(days=5), "--end", ago(days=3), "-w", "neck", "--pain", "4")
    run("start", "--at", ago(days=1), "-w", "flank", "--notes", "after gardening")
    run("checkin", "--pain", "2", "--feeling", "better")
    first, second = tmp_path / "one.json", tmp_path / "two.json"
    assert run("export", "-o", str(first))[0] == 0
    code, out, _ = run("delete-all", input="no\n")
    assert code == 1 and "Nothing was deleted" in out and count(db, "episodes") == 2
    code, out, _ = run("delete-all", "--keep-exports", input="delete\n")
    assert code == 0 and count(db, "episodes") == 0 and first.exists()
    assert run("import", str(first))[0] == 0
    run("export", "-o", str(second))
    assert first.read_text() == second.read_text()
    assert run("delete-all", "--yes")[0] == 0 and count(db, "episodes") == 0


def test_delete_all_leaves_no_trace_of_the_words_in_the_files(db: Path) -> None:
    run("start", "--at", ago(days=2), "--notes", "zebra-crossing-private-note")
    run("checkin", "--pain", "3", "--feeling", "better", "--notes", "zebra-crossing-again")
    assert run("delete-all", "--yes")[0] == 0
    for path in db.parent.glob("diary.sqlite3*"):
        assert b"zebra-crossing" not in path.read_bytes(), path.name


def test_import_of_a_broken_file_exits_2(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "unknot-diary", "format_version": 1, "episodes": [{"uid": "x"}]}')
    code, _, err = run("import", str(bad))
    assert code == 2 and "episodes.0.started_at" in err
    bad.write_text("not json")
    assert run("import", str(bad))[0] == 2


def test_summary_reminders_chart_and_csv_write_their_files(db: Path, tmp_path: Path) -> None:
    run("start", "--at", ago(days=2), "-w", "lower_back", "--pain", "6")
    run("checkin", "--pain", "4", "--feeling", "better")
    pdf, html, ics, svg = (tmp_path / n for n in ("s.pdf", "s.html", "r.ics", "c.svg"))
    assert run("summary", "--format", "pdf", "-o", str(pdf))[0] == 0
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert run("summary", "--format", "html", "-o", str(html))[0] == 0
    assert "<svg" in html.read_text()
    code, out, _ = run("summary")
    assert code == 0 and out.startswith("# Back spasm diary")
    assert run("summary", "--format", "pdf")[0] == 2  # a PDF needs --output
    assert run("reminders", "-o", str(ics))[0] == 0
    assert ics.read_text().startswith("BEGIN:VCALENDAR")
    code, out, _ = run("chart", "1", "--svg", str(svg))
    assert code == 0 and "Pain during episode 1" in out and svg.read_text().startswith("<svg")
    assert run("export", "--format", "csv", "-o", str(tmp_path / "csv"))[0] == 0
    assert (tmp_path / "csv" / "episodes.csv").read_text().startswith("uid,started_at")


def test_patterns_with_one_episode_say_it_is_too_few(db: Path) -> None:
    run("start", "--at", ago(days=2))
    code, out, _ = run("patterns")
    assert code == 0 and "too few to see a pattern" in out
    data = json.loads(run("patterns", "--format", "json")[1])
    assert data["episode_count"] == 1 and data["enough"] is False


def test_a_damaged_database_gets_a_clear_message_not_a_traceback(db: Path) -> None:
    db.write_bytes(b"garbage" * 100)
    code, out, err = run("list")
    assert code == 1 and "damaged" in err and "left untouched" in err
    assert "Traceback" not in out + err and db.read_bytes() == b"garbage" * 100


def test_the_db_url_option_is_used(tmp_path: Path) -> None:
    other = tmp_path / "elsewhere.sqlite3"
    code, out, _ = run("info", "--db-url", f"sqlite:///{other}", "--format", "json")
    assert code == 0 and json.loads(out)["database"].endswith("elsewhere.sqlite3")
    assert other.exists()
