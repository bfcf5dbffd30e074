"""Every example the spec documents is one the API takes as it stands.

Each request example is posted exactly as documented, through the path it belongs to, on records
driven there with the service's clock on the examples' dates, and answers 2xx; only an id a body
names (the FCI's catastrophe, the dossier put on an agenda) is the record this test made. Every
body-taking operation must document examples and every one must be posted here. Each answer's
example fits the schema of the answer it illustrates.
"""

import copy
import csv
import io
from datetime import datetime
from typing import Any

import jsonschema_rs
import pytest
from api import ACTOR, as_
from conftest import Clock
from fastapi.testclient import TestClient
from httpx2 import Response

from app.api.auth import Role
from app.api.csv_export import COLUMNS
from app.api.deps import PARIS
from app.api.main import create_app
from app.settings import DEFAULT_REGIONS, Settings

ADMIN: dict[str, str] = {}  # the test client's own token
SPEC = create_app(Settings()).openapi()
OPERATIONS = {
    operation["operationId"]: (method.upper(), path, operation)
    for path, item in SPEC["paths"].items()
    for method, operation in item.items()
}


def request_examples(operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    return {name: example["value"] for name, example in content.get("examples", {}).items()}


def test_every_operation_with_a_body_documents_named_examples_of_its_own() -> None:
    with_body = [op for op in OPERATIONS.values() if "requestBody" in op[2]]
    assert len(with_body) >= 17
    for method, path, operation in with_body:
        assert request_examples(operation), f"{method} {path} documents no example"
        content = operation["requestBody"]["content"]["application/json"]
        # An example on the model would be shown, and sent, by every operation taking it.
        assert "example" not in content, f"{method} {path}"
    for name, schema in SPEC["components"]["schemas"].items():
        if name.endswith("Request"):
            assert "examples" not in schema, f"{name}: examples belong to the operation"


def on(clock: Clock, moment: str) -> None:
    """The service's clock at this moment of France, as the examples' dates need."""
    clock.now = datetime.fromisoformat(moment).replace(tzinfo=PARIS)


def substituted(body: Any, path: tuple[str, ...], record_id: str) -> Any:
    """The example with one id, that of a record the test made, in place of the documented one."""
    body = copy.deepcopy(body)
    *parents, last = path
    holder = body
    for key in parents:
        holder = holder[key]
    assert last in holder, path
    holder[last] = record_id
    return body


class Examples:
    """The spec's request examples, each posted as documented; which ones were is kept."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.caseworker = as_(client, Role.CASEWORKER, ACTOR, DEFAULT_REGIONS)
        self.posted: set[tuple[str, str]] = set()

    def body(self, operation_id: str, name: str) -> Any:
        return copy.deepcopy(request_examples(OPERATIONS[operation_id][2])[name])

    def post(
        self,
        operation_id: str,
        name: str | None,
        *,
        by: dict[str, str] | None = None,
        match: str | None = None,
        body: Any = None,
        **ids: str,
    ) -> Response:
        """Post the named example (or no body), with If-Match of the record at `match`."""
        method, template, _ = OPERATIONS[operation_id]
        headers = dict(self.caseworker if by is None else by)
        if match:
            headers["If-Match"] = self.client.get(match).headers["ETag"]
        if name is not None and body is None:
            body = self.body(operation_id, name)
        url = template.format(**ids)
        response: Response = self.client.request(method, url, json=body, headers=headers)
        assert 200 <= response.status_code < 300, (operation_id, name, response.text)
        if name is not None:
            self.posted.add((operation_id, name))
        return response

    def file(self, name: str, body: Any = None) -> str:
        """A dossier filed with the named example: its location."""
        location: str = self.post("file_dossier", name, body=body).headers["Location"]
        return location

    def step(self, operation_id: str, name: str, dossier: str) -> Response:
        """A command on a dossier, with its current ETag."""
        return self.post(operation_id, name, match=dossier, dossier_id=dossier.rsplit("/", 1)[1])

    def member(self, member: str) -> dict[str, str]:
        """The token of a member of the Breton commission."""
        return as_(self.client, Role.COMMISSION, member, ("bretagne",))


def fci_by_delegation(examples: Examples, clock: Clock) -> None:
    """The floods: the event opened, the workshop's FCI filed, reviewed, decided by delegation;
    the event closed once the filing period is over."""
    on(clock, "2026-10-20T10:00")
    opened = examples.post("open_catastrophe", "crues", by=ADMIN)
    catastrophe_id, catastrophe = opened.json()["id"], opened.headers["Location"]
    on(clock, "2026-10-22T14:30")
    filing = examples.body("file_dossier", "fci")
    dossier = examples.file(
        "fci", substituted(filing, ("catastrophe", "catastrophe_id"), catastrophe_id)
    )
    on(clock, "2026-10-26T09:15")
    examples.step("review_dossier", "fci", dossier)
    on(clock, "2026-10-27T11:00")
    decided = examples.step("decide_dossier_by_delegation", "fci", dossier)
    assert decided.json()["decision"]["delegated"] is True
    on(clock, "2026-11-30T18:00")
    examples.post(
        "close_catastrophe",
        "fin_des_depots",
        by=ADMIN,
        match=catastrophe,
        catastrophe_id=catastrophe_id,
    )


def documents_that_never_came(examples: Examples, clock: Clock) -> None:
    """The hairdresser's AFE: documents asked, never received, closed after the due date."""
    on(clock, "2026-11-03T16:40")
    dossier = examples.file("afe")
    on(clock, "2026-11-04T10:00")
    examples.step("request_documents", "pieces", dossier)
    on(clock, "2026-12-07T09:00")
    examples.step("close_dossier_without_follow_up", "pieces_non_recues", dossier)


def on_the_agenda(examples: Examples, session: str, dossier: str) -> None:
    """The documented presentation, naming this dossier: the one id substituted."""
    body = substituted(
        examples.body("put_dossier_on_agenda", "dossier"), ("dossier_id",), dossier.split("/")[-1]
    )
    examples.post(
        "put_dossier_on_agenda",
        "dossier",
        match=dossier,
        body=body,
        session_id=session.split("/")[-1],
    )


def the_commission_decides(examples: Examples, clock: Clock) -> None:
    """The baker's ACED and AFE to the December session, decided, notified and contested; the
    shopkeeper's ADR on the same agenda, taken off before the session and withdrawn."""
    on(clock, "2026-11-02T09:30")
    dossier = examples.file("aced_afe")
    on(clock, "2026-11-04T10:05")
    examples.step("request_documents", "pieces", dossier)
    on(clock, "2026-11-20T15:00")
    examples.step("receive_documents", "pieces", dossier)
    on(clock, "2026-11-24T11:00")
    examples.step("review_dossier", "aced_afe", dossier)
    on(clock, "2026-11-25T10:00")
    examples.step("anonymise_dossier", "aced_afe", dossier)
    on(clock, "2026-11-12T10:00")
    retiring = examples.file("adr")
    on(clock, "2026-11-19T14:00")
    examples.step("review_dossier", "adr", retiring)
    on(clock, "2026-11-20T09:00")
    examples.step("anonymise_dossier", "adr", retiring)

    on(clock, "2026-11-25T16:00")
    scheduled = examples.post("schedule_cass_session", "bretagne")
    session, session_id = scheduled.headers["Location"], scheduled.json()["id"]
    members = scheduled.json()["members"]
    on(clock, "2026-11-26T10:00")
    on_the_agenda(examples, session, dossier)
    on_the_agenda(examples, session, retiring)
    on(clock, "2026-12-08T10:00")
    code = examples.client.get(retiring).json()["anonymised_summary"]["anonymous_code"]
    examples.post(
        "remove_dossier_from_agenda",
        "retrait",
        match=session,
        session_id=session_id,
        anonymous_code=code,
    )
    on(clock, "2026-12-09T10:00")
    examples.step("withdraw_dossier", "retrait", retiring)

    on(clock, "2026-12-15T09:00")
    quorum = members[:4]  # the rulebook's quorum: four members who signed in themselves
    for member in quorum:
        sitting = examples.member(member)
        examples.post(
            "sign_in_to_cass_session", None, by=sitting, match=session, session_id=session_id
        )
    chair = examples.member(quorum[0])
    examples.post("open_cass_session", "sans_corps", by=chair, match=session, session_id=session_id)
    on(clock, "2026-12-15T10:20")
    code = examples.client.get(dossier).json()["anonymised_summary"]["anonymous_code"]
    examples.post(
        "decide_in_cass_session",
        "aced_afe",
        by=chair,
        match=session,
        session_id=session_id,
        anonymous_code=code,
    )
    examples.post("close_cass_session", None, by=chair, match=session, session_id=session_id)

    on(clock, "2026-12-17T10:00")
    examples.step("notify_decision", "lettre", dossier)
    on(clock, "2027-01-12T14:00")
    contested = examples.step("request_re_examination", "recours_gracieux", dossier)
    assert contested.json()["status"] == "re_examination"


def test_every_documented_request_example_is_accepted_on_its_path(
    timed_client: TestClient, clock: Clock
) -> None:
    examples = Examples(timed_client)
    fci_by_delegation(examples, clock)
    documents_that_never_came(examples, clock)
    the_commission_decides(examples, clock)
    documented = {
        (operation_id, name)
        for operation_id, (_, _, operation) in OPERATIONS.items()
        for name in request_examples(operation)
    }
    assert examples.posted == documented, "each documented example is posted on its path here"


def strict(schema: Any) -> Any:
    """The schema with no property it does not name: an example's misspelt field is caught."""
    if isinstance(schema, dict):
        schema = {key: strict(value) for key, value in schema.items()}
        if "properties" in schema and "additionalProperties" not in schema:
            schema["additionalProperties"] = False
        return schema
    if isinstance(schema, list):
        return [strict(item) for item in schema]
    return schema


def answers() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (f"{method} {path} {code}", media, content)
        for method, path, operation in OPERATIONS.values()
        for code, response in operation["responses"].items()
        if code.startswith("2")
        for media, content in response.get("content", {}).items()
    ]


def answer_examples(content: dict[str, Any]) -> list[Any]:
    """What the answer documents as its example: its own, or its schema's."""
    found = [content["example"]] if "example" in content else []
    found += [example["value"] for example in content.get("examples", {}).values()]
    schema = content.get("schema", {})
    if "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return found + list(schema.get("examples", []))


ANSWERS = answers()


@pytest.mark.parametrize(("answer", "media", "content"), ANSWERS, ids=[a[0] for a in ANSWERS])
def test_every_answer_documents_an_example_that_fits_its_schema(
    answer: str, media: str, content: dict[str, Any]
) -> None:
    examples = answer_examples(content)
    assert examples, f"{answer} documents no example"
    if media == "text/csv":
        for example in examples:
            header, *rows = list(csv.reader(io.StringIO(example)))
            assert header == COLUMNS
            assert rows
            assert all(len(row) == len(COLUMNS) for row in rows)
        return
    root = strict({**content["schema"], "components": SPEC["components"]})
    validator = jsonschema_rs.Draft202012Validator(root, validate_formats=True)
    for example in examples:
        problems = [f"{e.instance_path}: {e.message}" for e in validator.iter_errors(example)]
        assert not problems, (answer, problems)
