"""The answers are what the committed spec says: problems for every 422, the 404 of the problem
types, every method of a path in Allow, every time in UTC with `Z`."""

import csv
import io
import json
import re
from pathlib import Path

from api import drive, file, to_decision
from fastapi.testclient import TestClient
from payloads import anonymisation_body, review_body
from test_api_errors import assert_problem, fields

SPEC = json.loads((Path(__file__).parent.parent / "openapi" / "openapi.json").read_text())
PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
UTC_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def test_every_422_of_the_spec_is_a_problem() -> None:
    for path, operations in SPEC["paths"].items():
        for method, operation in operations.items():
            if "422" in operation["responses"]:
                assert operation["responses"]["422"]["content"] == PROBLEM, f"{method} {path}"
    assert "HTTPValidationError" not in SPEC["components"]["schemas"]
    assert "ValidationError" not in SPEC["components"]["schemas"]


def test_a_malformed_path_parameter_answers_the_documented_problem(client: TestClient) -> None:
    problem = assert_problem(client.get("/cass-sessions/not-a-uuid/minutes"), 422)
    assert fields(problem) == {"path.session_id"}


def test_an_unknown_problem_type_is_a_documented_404(client: TestClient) -> None:
    assert "404" in SPEC["paths"]["/problems/{kind}"]["get"]["responses"]
    assert_problem(client.get("/problems/0"), 404)


def test_a_method_a_path_does_not_have_answers_405_with_every_method_it_has(
    client: TestClient,
) -> None:
    for template, operations in SPEC["paths"].items():
        path = re.sub(r"\{[^}]+\}", "3fa85f64-5717-4562-b3fc-2c963f66afa6", template)
        response = client.options(path)
        assert response.status_code == 405, template
        allowed = {m.strip() for m in response.headers["Allow"].split(",")}
        methods = {m.upper() for m in operations}
        assert allowed == (methods | {"HEAD"} if "GET" in methods else methods), template


def test_head_answers_wherever_get_does_with_its_status_and_headers_and_no_body(
    client: TestClient,
) -> None:
    dossier = file(client).headers["Location"]
    for path in (dossier, "/dossiers", "/health", "/openapi.json"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"", path
        assert head.headers["content-type"] == got.headers["content-type"], path
    assert client.head("/dossiers/not-a-uuid").status_code == 422


def test_a_trailing_slash_is_not_redirected_anywhere(client: TestClient) -> None:
    answer = client.get("/dossiers/", headers={"Host": "evil.example"}, follow_redirects=False)
    assert answer.status_code == 404
    assert "location" not in answer.headers


def test_every_time_the_api_answers_is_in_utc_with_z(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    session = to_decision(client, dossier)
    body = client.get(dossier).json()
    moments = [body["filed_at"], body["last_changed_at"], body["review"]["occurred_at"]]
    moments += [body["decision"]["occurred_at"]]
    moments += [e["occurred_at"] for e in client.get(f"{dossier}/history").json()["events"]]
    head = client.get("/changes", params={"limit": 1}).json()["head"]
    caught_up = {"reference": body["reference"], "min_position": head}
    [row] = client.get("/dossiers", params=caught_up).json()["items"]
    moments += [row[k] for k in ("filed_at", "reviewed_at", "decided_at")]
    export = client.get("/exports/dossiers.csv", params=caught_up).text
    [line] = csv.DictReader(io.StringIO(export))
    moments += [line[k] for k in ("filed_at", "reviewed_at", "decided_at")]
    moments += [c["occurred_at"] for c in client.get("/changes").json()["changes"]]
    moments += [e["at"] for e in client.get("/access-log").json()["entries"]]
    assert client.get(session).status_code == 200
    assert len(moments) > 10
    for moment in moments:
        assert UTC_MOMENT.fullmatch(moment), moment
