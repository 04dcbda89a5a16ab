"""Contributing factors: why this spasm may have happened, ranked.

A factor whose evidence includes the episode's trigger comes first (it is tied
to this episode); then by the weight given in ``factors.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..knowledge import Knowledge
from .results import FactorResult
from .triage import evidence_for

EPISODE_FINDINGS = frozenset({"trigger", "onset"})


def contributing_factors(findings: Mapping[str, Any], kb: Knowledge) -> tuple[FactorResult, ...]:
    found: list[tuple[bool, int, FactorResult]] = []
    factors, compiled = kb.factors, kb.compiled
    for i in kb.factors_holding(findings):
        factor = factors[i]
        hit = compiled[f"factor:{factor.id}"](findings)  # the evidence: what made it hold
        if hit is None:  # cannot happen: both are compiled from the same condition
            continue
        episode = not EPISODE_FINDINGS.isdisjoint(hit)
        found.append(
            (
                episode,
                factor.weight,
                FactorResult.of(
                    factor.id,
                    factor.title,
                    factor.explanation,
                    factor.advice,
                    episode,
                    evidence_for(hit, findings, kb),
                    tuple(factor.citations),
                ),
            )
        )
    found.sort(key=lambda t: (not t[0], -t[1]))
    return tuple(f for _, _, f in found)
