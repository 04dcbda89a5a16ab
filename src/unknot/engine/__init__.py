"""The engine: pure functions from findings to an assessment.

- :func:`assess` - findings in, :class:`Assessment` out (with ``doubtful``
  signs counted as present, ``complete`` and ``unanswered``).
- :func:`unread_assessment` - words that could not be read: no level, the
  safety questions to ask. :func:`failed_assessment` - seek care.
- :mod:`.interview` - the adaptive interview as a state machine.
- :func:`validate_findings` / :class:`FindingsError` - input checking.
"""

from .assessment import assess, failed_assessment, unread_assessment
from .findings import FindingsError, validate_findings
from .results import Assessment

__all__ = [
    "Assessment",
    "FindingsError",
    "assess",
    "failed_assessment",
    "unread_assessment",
    "validate_findings",
]
