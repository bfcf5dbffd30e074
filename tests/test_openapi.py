"""The committed OpenAPI spec is the code's: regenerate it with `action-sociale openapi`."""

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.api.main import create_app
from app.cli import openapi_text
from app.settings import Settings

COMMITTED = Path(__file__).parent.parent / "openapi" / "openapi.json"


def test_the_committed_spec_matches_the_code() -> None:
    spec = create_app(Settings()).openapi()
    assert COMMITTED.read_text() == openapi_text(spec), (
        "openapi/openapi.json drifted: run `action-sociale openapi --output openapi/openapi.json`"
    )


def test_every_operation_has_a_stable_id_a_tag_and_a_description() -> None:
    spec = json.loads(COMMITTED.read_text())
    operations = [op for path in spec["paths"].values() for op in path.values()]
    ids = [op["operationId"] for op in operations]
    assert len(ids) == len(set(ids))
    assert {"file_dossier", "decide_in_cass_session", "get_dossier_history"} <= set(ids)
    for operation in operations:
        assert operation["tags"], operation["operationId"]
        assert operation.get("description") or operation.get("summary"), operation["operationId"]


def test_the_docs_page_serves_the_spec(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "action-sociale"


def test_the_docs_work_offline_every_asset_comes_from_the_service(client: TestClient) -> None:
    bare = TestClient(client.app)  # no token: the docs are public
    for page in ("/docs", "/redoc"):
        html = bare.get(page)
        assert html.status_code == 200, page
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html.text)
        assets = [u for u in urls if not u.startswith("#")]
        assert len(assets) >= 2, (page, urls)
        for url in assets:
            assert url.startswith("/"), (page, url)  # nothing from another host
            assert bare.get(url).status_code == 200, (page, url)
        assert "https://" not in html.text, page


def test_every_guarded_operation_documents_401_and_403() -> None:
    spec = json.loads(COMMITTED.read_text())
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if "x-roles" in operation:
                assert {"401", "403"} <= set(operation["responses"]), f"{method} {path}"


def test_every_guarded_operation_documents_its_rate_limit_and_the_guards_problems() -> None:
    spec = create_app(Settings()).openapi()
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            if "x-roles" not in operation:
                continue
            responses = operation["responses"]
            guarded = {"429", "431"} | ({"413"} if method == "post" else set())
            assert guarded <= set(responses), f"{method} {path}"
            assert "Retry-After" in responses["429"]["headers"], f"{method} {path}"
            for code, response in responses.items():
                if code.startswith("2"):
                    assert "RateLimit-Remaining" in response["headers"], f"{method} {path}"


def test_every_operation_that_answers_428_requires_if_match() -> None:
    spec = json.loads(COMMITTED.read_text())
    commands = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            headers = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "header"}
            if "428" in operation["responses"]:
                commands += 1
                assert headers["If-Match"]["required"] is True, (method, path)
    assert commands >= 15
