"""Generated requests walk every operation of the committed spec as every role: the documented
examples, valid input and invalid input. No answer may be a 5xx, and every answer must be one
the spec documents: its status, its content type, its headers and its body's schema.

Schemathesis makes the requests (Hypothesis underneath), bounded and derandomised so that a run
is quick and the same everywhere; each store gets its own app."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.auth import Role, mint_token
from app.api.main import create_app
from app.settings import DEFAULT_REGIONS, Settings

SPEC = json.loads((Path(__file__).parent.parent / "openapi" / "openapi.json").read_text())
OPERATIONS = [(method.upper(), path) for path, item in SPEC["paths"].items() for method in item]
CALLERS = [
    (Role.ADMIN, ()),
    (Role.CASEWORKER, DEFAULT_REGIONS),
    (Role.CASEWORKER, ("bretagne",)),
    (Role.COMMISSION, ("bretagne",)),
    (Role.AUDITOR, ()),
    (Role.INTEGRATION, ("bretagne", "pays-de-la-loire")),
    (Role.ANALYST, ()),
]
# What "the answer is one the spec documents" means; not whether the API accepts every input
# the schema allows (a region it does not know, an end before the start are 422 by design).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 6


def without_lifespan(app: Any) -> Any:
    """The app, its lifespan left to the test client that already runs it."""

    async def served(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            raise RuntimeError("the test client runs the lifespan")
        await app(scope, receive, send)

    return served


@pytest.fixture(scope="module")
def api(settings: Settings) -> Iterator[Any]:
    app = create_app(settings)
    with TestClient(app):
        schema = schemathesis.openapi.from_dict(SPEC)
        schema.app = without_lifespan(app)
        yield schema


def briefly(case: Any) -> Any:
    """A read-your-writes wait is bounded by the test, not by the generated `wait`."""
    if isinstance(case.query, dict) and isinstance(case.query.get("wait"), (int, float)):
        case.query["wait"] = min(case.query["wait"], 0.2)
    return case


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_every_operation_answers_as_the_spec_says(
    api: Any, settings: Settings, method: str, path: str
) -> None:
    operation = api[path][method]
    cases = st.one_of(
        *api.get_strategies_from_examples(operation),
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )

    @given(case=cases.map(briefly), caller=st.sampled_from(CALLERS))
    @hypothesis_settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers(case: Any, caller: tuple[Role, tuple[str, ...]]) -> None:
        role, regions = caller
        token = mint_token(settings, f"generated-{role.value}", role, regions)
        case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)

    answers()
