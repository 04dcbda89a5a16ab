"""Unknot: a self-care and triage assistant for back muscle spasms.

Not a diagnosis. The layout follows the data flow:
``knowledge`` (YAML data) -> ``engine`` (pure functions) -> surfaces (``cli``,
``web``, ``api``) that only translate.
"""

__version__ = "0.1.0"
