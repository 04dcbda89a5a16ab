"""Stories typed in one breath, without full stops or commas.

"no fever no tingling peeing is hard since yesterday": the "no" is about the
phrase right after it; the sign after that most likely starts a new clause.
Such a sign is read as said with doubt (counted as present, to be confirmed),
never as denied; a real list ("no numbness, tingling or weakness", also
without its commas) keeps every denial.
"""

from __future__ import annotations

from typing import Any

import pytest

from unknot.engine import assess
from unknot.intake import extract_findings

RANK = {"self_care": 0, "soon": 1, "urgent": 2, "emergency": 3}


def _read(text: str) -> tuple[str, dict[str, Any], set[str]]:
    read = extract_findings(text)
    result = assess(read.findings, doubtful=read.doubtful)
    return result.level or "emergency", read.findings, read.doubtful


@pytest.mark.parametrize(
    ("text", "sign", "level"),
    [
        ("no fever no numbness no tingling peeing is hard since yesterday",
         "urinary_retention", "emergency"),
        ("no numbness my legs feel weak though both of them", "leg_weakness", "emergency"),
        ("no numbness in my legs cant feel my bum cheeks or privates though",
         "saddle_numbness", "emergency"),
        ("nope no fever no weight loss wet myself twice this morning back in spasm",
         "urinary_incontinence", "emergency"),
    ],
)
def test_a_sign_after_a_run_of_denials_is_not_denied(text: str, sign: str, level: str) -> None:
    got, findings, doubtful = _read(text)
    assert findings.get(sign) not in (None, False, "none"), findings
    assert sign in doubtful  # the person is asked to confirm it first
    assert RANK[got] >= RANK[level]


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("no numbness, tingling or weakness in my legs",
         ["leg_numbness", "leg_tingling", "leg_weakness"]),
        ("no numbness tingling or weakness", ["leg_numbness", "leg_tingling", "leg_weakness"]),
        ("no fever no numbness no tingling no trouble peeing", ["fever", "urinary_retention"]),
        ("no numbness dont have any bladder problems", ["leg_numbness", "urinary_retention"]),
        ("No fever, no numbness and no problems with my bladder or bowels",
         ["fever", "leg_numbness", "urinary_retention"]),
    ],
)
def test_a_list_of_denials_stays_denied(text: str, denied: list[str]) -> None:
    got, findings, doubtful = _read(text)
    for name in denied:
        assert findings.get(name) in (False, "none"), (name, findings)
    assert not doubtful and got == "self_care"
