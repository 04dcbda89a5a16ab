"""The presentation room: what a result says and in which order, for every surface.

Knowledge and the engine decide the result; this package decides how it reads
(first screen, then sections). The terminal, Markdown, HTML and the diary only
lay out a :class:`Presentation`.
"""

from .result import (
    Call,
    Entry,
    FirstScreen,
    Group,
    Presentation,
    Section,
    as_dict,
    calls_for,
    cited_ids,
    link_phones,
    phone_numbers,
    present,
)

__all__ = [
    "Call",
    "Entry",
    "FirstScreen",
    "Group",
    "Presentation",
    "Section",
    "as_dict",
    "calls_for",
    "cited_ids",
    "link_phones",
    "phone_numbers",
    "present",
]
