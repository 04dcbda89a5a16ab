"""The choices the diary's web forms offer, in the person's words, from the knowledge."""

from __future__ import annotations

from ..knowledge import load_knowledge


def options(finding: str) -> list[tuple[str, str]]:
    """(value, words) for a set finding such as location or trigger."""
    from .rendering import describe_value

    kb = load_knowledge()
    return [(v, describe_value(finding, v, kb)) for v in kb.findings[finding].values]


def remedies() -> list[tuple[str, str]]:
    from ..knowledge.loader import load_diary_rules

    return [(r.id, r.label) for r in load_diary_rules().remedies]


def danger_sign_options() -> list[tuple[str, str, str]]:
    """(finding, value, words) for each box of the check-in's warning-sign list."""
    from ..knowledge.loader import load_diary_rules
    from .rendering import describe_value

    kb = load_knowledge()
    out = []
    for name in load_diary_rules().danger_signs:
        spec = kb.findings[name]
        if spec.type == "enum":
            for value in spec.values:
                if value != "none":
                    out.append((name, value, describe_value(name, value, kb)))
        else:
            out.append((name, "true", spec.label[:1].upper() + spec.label[1:]))
    return out


def feelings() -> list[tuple[str, str]]:
    from ..knowledge.loader import load_diary_rules

    return [(k, f.label) for k, f in load_diary_rules().feelings.items()]
