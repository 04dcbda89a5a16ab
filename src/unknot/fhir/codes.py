"""Standard codes (LOINC, SNOMED CT, HL7) for the interview: knowledge/data/fhir_codes.yaml.

Validated on load: every system is declared, every finding name exists in
findings.yaml, and an answer's value is one the finding allows.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from ..knowledge import Knowledge, KnowledgeError

FILE = "fhir_codes.yaml"
#: Unknot's own codes for answers that have no standard one.
UNKNOT_SYSTEM = "urn:unknot:answers"


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    system: str
    code: str
    display: str


class CodeBook(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    systems: dict[str, str]
    questions: dict[str, Code]
    answers: dict[str, Code]
    findings: dict[str, Code]

    def coding(self, code: Code) -> dict[str, str]:
        """A FHIR Coding (as JSON) with the system's URL."""
        return {"system": self.systems[code.system], "code": code.code, "display": code.display}


@cache
def _raw() -> Any:
    text = resources.files("unknot.knowledge.data").joinpath(FILE).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def load_codes(kb: Knowledge) -> CodeBook:
    """The code book, checked against the knowledge's findings."""
    try:
        book = CodeBook.model_validate(_raw())
    except ValidationError as exc:
        err = exc.errors()[0]
        raise KnowledgeError(FILE, ".".join(str(p) for p in err["loc"]), err["msg"]) from None
    entries = [*book.questions.items(), *book.answers.items(), *book.findings.items()]
    for key, code in entries:
        finding, _, value = key.partition("=")
        if code.system not in book.systems:
            raise KnowledgeError(FILE, key, f"system {code.system!r} is not declared")
        spec = kb.findings.get(finding)
        if spec is None:
            raise KnowledgeError(FILE, key, f"{finding!r} is not in findings.yaml")
        allowed = spec.values or (["true", "false"] if spec.type == "bool" else [])
        if value and value not in allowed:
            raise KnowledgeError(FILE, key, f"{value!r} is not a value of {finding}")
    return book
