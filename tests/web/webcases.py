"""Interview answers, in the engine's terms, that lead to each level (our own cases)."""

from __future__ import annotations

from typing import Any

SELF_CARE: dict[str, dict[str, Any]] = {
    "about_you": {"age": "34", "sex": "female", "pregnant": "false"},
    "this_episode": {
        "days": "1",
        "onset": "sudden",
        "trend": "improving",
        "trigger": ["lifting"],
        "location": ["lower_back"],
        "pain": "6",
    },
    "daily_life": {"sitting": "10"},
    "habits": {"habits": ["slouch"]},
}
SOON: dict[str, dict[str, Any]] = {**SELF_CARE, "health_history": {"history": ["injury"]}}
URGENT: dict[str, dict[str, Any]] = {**SELF_CARE, "urgent_signs": {"signs": ["uncontrolled"]}}
EMERGENCY: dict[str, dict[str, Any]] = {"emergency_signs": {"signs": ["saddle"]}}

BY_LEVEL = {"self_care": SELF_CARE, "soon": SOON, "urgent": URGENT, "emergency": EMERGENCY}
