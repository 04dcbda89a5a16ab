"""Free-text intake: a person's own words in, findings out.

``extract_findings(text)`` reads lay language ("bent over to pick up my
toddler and my lower back seized, no numbness, peeing fine") into findings
named as in findings.yaml, with the words behind each one. The phrases live
in ``knowledge/data/lexicon.yaml``; negation, doubt, the past, hypotheticals
and other people are handled by medspaCy's ConText.

Importing this package is cheap: spaCy and medspaCy load on the first call.
"""

from __future__ import annotations

from .extract import MAX_CHARS, Extraction, extract_findings
from .lexicon import Lexicon, load_lexicon

__all__ = ["MAX_CHARS", "Extraction", "Lexicon", "extract_findings", "load_lexicon"]
