"""The engine: pure functions from findings to an assessment.

- :func:`assess` - findings in, :class:`Assessment` out.
- :mod:`.interview` - the adaptive interview as a state machine.
- :func:`validate_findings` / :class:`FindingsError` - input checking.
"""

from .assessment import assess, failed_assessment
from .findings import FindingsError, validate_findings
from .results import Assessment

__all__ = ["Assessment", "FindingsError", "assess", "failed_assessment", "validate_findings"]
