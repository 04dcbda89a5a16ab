"""Interview answers, in the engine's terms, that lead to each level (our own cases)."""

from __future__ import annotations

from typing import Any

NONE = ["none"]
SELF_CARE: dict[str, dict[str, Any]] = {
    "danger": {"signs": NONE},
    "warning_signs": {"signs": NONE},
    "about_you": {"age": "34", "sex": "female", "pregnant": "false", "history": NONE},
    "this_episode": {
        "days": "1",
        "onset": "sudden",
        "trend": "improving",
        "trigger": ["lifting"],
        "location": ["lower_back"],
        "pain": "6",
    },
}
# The optional "Why did this happen?" step, answered from the result page.
WHY: dict[str, Any] = {"sitting": "10", "habits": ["slouch"]}
SOON: dict[str, dict[str, Any]] = {
    **SELF_CARE,
    "about_you": {**SELF_CARE["about_you"], "history": ["injury"]},
}
URGENT: dict[str, dict[str, Any]] = {**SELF_CARE, "warning_signs": {"signs": ["uncontrolled"]}}
EMERGENCY: dict[str, dict[str, Any]] = {
    "danger": {"signs": ["down_below"]},
    "danger_details": {"down_below": ["saddle"]},
}

BY_LEVEL = {"self_care": SELF_CARE, "soon": SOON, "urgent": URGENT, "emergency": EMERGENCY}
