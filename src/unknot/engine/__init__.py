"""The engine: pure functions from findings to an assessment.

- :func:`run` - the one entry every surface uses: findings in, :class:`Assessment`
  out, and the seek-care result (never nothing) if anything fails.
- :func:`assess` - the same without the guard (raises on a bug).
  ``assess`` counts ``doubtful`` signs as present and sets ``complete`` and
  ``unanswered``.
- :func:`unread_assessment` - words that could not be read: no level, the
  safety questions to ask. :func:`failed_assessment` - seek care.
- :mod:`.interview` - the adaptive interview as a state machine.
- :func:`validate_findings` / :class:`FindingsError` - input checking.
"""

from .assessment import assess, failed_assessment, unread_assessment
from .entry import run, run_json
from .findings import FindingsError, validate_findings
from .results import Assessment

__all__ = [
    "Assessment",
    "FindingsError",
    "assess",
    "failed_assessment",
    "run",
    "run_json",
    "unread_assessment",
    "validate_findings",
]
