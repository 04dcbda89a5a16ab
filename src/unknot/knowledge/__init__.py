"""Unknot's knowledge base: clinical content as reviewable data, validated on load.

``load_knowledge()`` reads every file in ``data/`` once, checks it against the
models in :mod:`unknot.knowledge.models`, compiles the conditions, and returns
a frozen :class:`Knowledge`. The engine only ever reads from it.
"""

from __future__ import annotations

from .loader import Knowledge, load_knowledge
from .models import LEVEL_RANK, LEVELS, KnowledgeError

__all__ = ["LEVELS", "LEVEL_RANK", "Knowledge", "KnowledgeError", "load_knowledge"]
