"""schemathesis against the OpenAPI schema: no 5xx, every answer fits the schema.

Fixed seed (derandomized hypothesis) and a bounded budget, so that the run is
the same every time and fits CI: ``EXAMPLES`` cases for each operation.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from openapi_spec_validator import validate
from schemathesis.checks import positive_data_acceptance

from unknot.web import Settings, create_app

EXAMPLES = 40
# Never the person's own diary: a throw-away database for the whole module.
_DIARY = Path(tempfile.mkdtemp(prefix="unknot-schema-")) / "diary.db"
app = create_app(
    Settings(
        secret_key="schema-test",
        database_url=f"sqlite:///{_DIARY}",
        # the in-process transport addresses the app as "testserver"
        allowed_hosts=("testserver",),
    )
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
SEEN: Counter[str] = Counter()


def test_the_openapi_document_is_valid() -> None:
    validate(app.openapi())  # every $ref resolves, every part has the shape OpenAPI 3.1 says


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_api_follows_its_schema(case: schemathesis.Case) -> None:
    # All default checks (no 5xx, status codes, content types, response bodies and
    # headers match the schema) except "schema-valid data is accepted": the schema
    # cannot say that finding names and interview answers must exist in the
    # knowledge files, so such requests rightly get a 422 naming the field.
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    SEEN["requests"] += 1
    SEEN["5xx"] += response.status_code >= 500
    assert response.status_code < 500


def teardown_module() -> None:
    print(f"\nschemathesis: {SEEN['requests']} requests, {SEEN['5xx']} server errors")
