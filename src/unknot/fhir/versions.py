"""Which FHIR version a request speaks: R5, or R4 (served with the R4B models).

Chosen, in this order, by the ``fhirVersion`` query parameter, then the
``fhirVersion`` parameter of the ``Content-Type`` (for a body) or the
``Accept`` header, as the FHIR spec's mime-type parameter says
(``application/fhir+json; fhirVersion=4.0``). Without any, R5.

R4 (4.0) and R4B (4.3) share the Questionnaire and QuestionnaireResponse
structure, so one set of models (``fhir.resources.R4B``) serves both.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Literal

Release = Literal["R4", "R5"]

#: What a client may write -> (release, the fhirVersion we answer with).
_SPELLINGS: dict[str, tuple[Release, str]] = {
    "4.0": ("R4", "4.0"), "4.0.0": ("R4", "4.0"), "4.0.1": ("R4", "4.0"), "r4": ("R4", "4.0"),
    "4.3": ("R4", "4.3"), "4.3.0": ("R4", "4.3"), "r4b": ("R4", "4.3"),
    "5.0": ("R5", "5.0"), "5.0.0": ("R5", "5.0"), "r5": ("R5", "5.0"),
}
ALLOWED = "4.0 (R4), 4.3 (R4B) or 5.0 (R5)"
FHIR_JSON = "application/fhir+json"


class VersionError(ValueError):
    """A fhirVersion we do not speak; ``where`` names the parameter or header."""

    def __init__(self, where: str, value: str) -> None:
        self.where = where
        super().__init__(f"{where}: fhirVersion {value!r} is not served; use {ALLOWED}.")


@dataclass(frozen=True)
class FhirVersion:
    release: Release
    label: str  # "4.0", "4.3" or "5.0"

    @property
    def media_type(self) -> str:
        return f"{FHIR_JSON}; fhirVersion={self.label}"

    def model(self, resource: str) -> Any:
        """The fhir.resources model class for ``resource`` (e.g. "Questionnaire")."""
        base = "fhir.resources.R4B" if self.release == "R4" else "fhir.resources"
        return getattr(importlib.import_module(f"{base}.{resource.lower()}"), resource)


R5 = FhirVersion("R5", "5.0")
R4 = FhirVersion("R4", "4.0")


def parse_version(value: str, where: str) -> FhirVersion:
    found = _SPELLINGS.get(value.strip().strip('"').lower())
    if found is None:
        raise VersionError(where, value)
    return FhirVersion(*found)


def _from_media(header: str | None, where: str) -> FhirVersion | None:
    """The fhirVersion parameter of the first media range that has one."""
    for media_range in (header or "").split(","):
        for param in media_range.split(";")[1:]:
            key, _, value = param.partition("=")
            if key.strip().lower() == "fhirversion":
                return parse_version(value, where)
    return None


def negotiate(
    query: str | None, *, accept: str | None = None, content_type: str | None = None
) -> FhirVersion:
    """The version a request asks for (R5 when it says nothing)."""
    if query:
        return parse_version(query, "fhirVersion")
    return (
        _from_media(content_type, "Content-Type")
        or _from_media(accept, "Accept")
        or R5
    )
