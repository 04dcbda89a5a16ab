"""Snapshot of what the reader makes of every narrative the project has.

Run: ``.venv/bin/python scripts/reader_snapshot.py OUT.json`` and compare two
snapshots with ``--compare A.json B.json``. Covers tests/reader_corpus.py (intake
cases, phrases, robustness narratives and their variants, probe narratives and
their typo and texting variants, review, case suite, lexicon examples), the dev
vignettes when ../shared is beside the checkout, and extra random typo variants
of each of them. For each text: the findings, evidence, doubt, subject, read and
unread reason, and the mentions found in each version of the text read.
A tool for changing the reader safely (the output must not change); not a test.
"""

from __future__ import annotations

import json
import random
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
TODAY = date(2026, 12, 3)


def corpus() -> list[tuple[str, str, date | None]]:
    import yaml

    from reader_corpus import narratives  # type: ignore[import-not-found]

    out = list(narratives())
    vignettes = ROOT.parent / "shared" / "clinical" / "vignettes-dev.yaml"
    for other in (vignettes, ROOT.parent.parent / "shared" / "clinical" / "vignettes-dev.yaml"):
        if other.exists():
            for case in yaml.safe_load(other.read_text("utf-8")):
                out.append((f"vignette:{case['id']}", case["narrative"], None))
            break
    extra = []
    for where, text, today in out:
        rng = random.Random(where)
        words = text.split(" ")
        for n in range(3):
            typed = list(words)
            for _ in range(1 + n):
                i = rng.randrange(len(typed))
                w = typed[i]
                if len(w) < 3:
                    continue
                j = rng.randrange(len(w))
                kind = rng.choice("dsrx")
                if kind == "d":
                    w = w[:j] + w[j + 1:]
                elif kind == "s" and j + 1 < len(w):
                    w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
                elif kind == "r":
                    w = w[:j] + rng.choice("abcdefghijklmnopqrstuvwxyz") + w[j + 1:]
                else:
                    w = w[:j] + w[j] + w[j:]
                typed[i] = w
            extra.append((f"{where}:rand{n}", " ".join(typed), today))
    return out + extra


def snapshot() -> dict[str, Any]:
    from unknot.engine.findings import to_jsonable
    from unknot.intake import extract, normalise
    from unknot.intake.lexicon import load_lexicon

    lex = load_lexicon()
    seen_mentions: list[list[tuple[str, int, int]]] = []
    real_find = extract.find_mentions

    def spy(text: str, lex_: Any) -> Any:
        found = real_find(text, lex_)
        seen_mentions.append([(m.entry.spec.id, m.start, m.end) for m in found])
        return found

    extract.find_mentions = spy  # type: ignore[assignment]
    out: dict[str, Any] = {}
    try:
        for where, text, today in corpus():
            seen_mentions.clear()
            try:
                got = extract.extract_findings(text, today=today or TODAY)
                result: Any = {
                    "findings": to_jsonable(got.findings),
                    "evidence": got.evidence,
                    "doubtful": sorted(got.doubtful),
                    "subject": got.subject,
                    "read": got.read,
                    "unread": got.unread_reason,
                    "mentions": [list(map(list, ms)) for ms in seen_mentions],
                }
            except Exception as exc:  # noqa: BLE001
                result = {"error": repr(exc)}
            key = where
            while key in out:
                key += "+"
            out[key] = {"text": text, **result}
    finally:
        extract.find_mentions = real_find
    del normalise, lex
    return out


def compare(a_path: str, b_path: str) -> int:
    a = json.loads(Path(a_path).read_text())
    b = json.loads(Path(b_path).read_text())
    diffs = 0
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            diffs += 1
            if diffs <= 40:
                print(f"DIFF {key}:\n  A {json.dumps(a.get(key))[:600]}\n"
                      f"  B {json.dumps(b.get(key))[:600]}")
    print(f"{len(a)} vs {len(b)} texts; {diffs} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    if sys.argv[1] == "--compare":
        sys.exit(compare(sys.argv[2], sys.argv[3]))
    data = snapshot()
    Path(sys.argv[1]).write_text(json.dumps(data, indent=0, sort_keys=True, default=str))
    print(f"{len(data)} texts")
