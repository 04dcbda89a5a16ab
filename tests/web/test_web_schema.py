"""schemathesis against the OpenAPI schema: no 5xx, every answer fits the schema."""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from unknot.web import Settings, create_app

# Never the person's own diary: a throw-away database for the whole module.
_DIARY = Path(tempfile.mkdtemp(prefix="unknot-schema-")) / "diary.db"
app = create_app(Settings(secret_key="schema-test", database_url=f"sqlite:///{_DIARY}"))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_follows_its_schema(case: schemathesis.Case) -> None:
    # All default checks (no 5xx, status codes, content types, response bodies and
    # headers match the schema) except "schema-valid data is accepted": the schema
    # cannot say that finding names and interview answers must exist in the
    # knowledge files, so such requests rightly get a 422 naming the field.
    case.call_and_validate(excluded_checks=[positive_data_acceptance])
