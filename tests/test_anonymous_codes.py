"""The commission's anonymous code is keyed by the service: nobody holding dossier ids can match
them to the commission's entries."""

import hashlib
import re
from uuid import UUID

from api import drive, file
from fastapi.testclient import TestClient
from payloads import anonymisation_body, review_body

from app.store.anonymous_codes import anonymous_code, code_key

DOSSIER_ID = UUID("6f1c2d3e-5a4b-4c8d-9e0f-1a2b3c4d5e6f")
KEY = code_key(b"the audit key of a deployment, 32+ bytes long")


def unkeyed(dossier_id: UUID) -> str:
    """The code as it was computed before: anyone could compute it from the id."""
    return "ANO-" + hashlib.sha256(dossier_id.bytes).hexdigest()[:10].upper()


def test_the_code_is_not_the_unkeyed_hash_of_the_dossier_id() -> None:
    code = anonymous_code(KEY, DOSSIER_ID)
    assert re.fullmatch(r"ANO-[0-9A-F]{10}", code)
    assert code != unkeyed(DOSSIER_ID)


def test_the_code_is_stable_for_a_dossier_and_differs_with_another_key_or_dossier() -> None:
    assert anonymous_code(KEY, DOSSIER_ID) == anonymous_code(KEY, DOSSIER_ID)
    other_key = code_key(b"the audit key of another deployment, 32+ bytes")
    assert anonymous_code(other_key, DOSSIER_ID) != anonymous_code(KEY, DOSSIER_ID)
    other = UUID("0b7e9a52-3c1d-4e8f-a6b5-c4d3e2f1a0b9")
    assert anonymous_code(KEY, other) != anonymous_code(KEY, DOSSIER_ID)


def test_the_codes_key_is_derived_apart_from_the_audit_key() -> None:
    audit_key = b"the audit key of a deployment, 32+ bytes long"
    assert code_key(audit_key) != audit_key
    assert len(code_key(audit_key)) == 32


def test_a_dossier_is_anonymised_under_the_code_the_service_keyed(client: TestClient) -> None:
    dossier = file(client).headers["Location"]
    drive(client, dossier, ("review", review_body()), ("anonymisation", anonymisation_body()))
    dossier_id = UUID(dossier.rsplit("/", 1)[1])
    code = client.get(dossier).json()["anonymised_summary"]["anonymous_code"]
    service = client.app.state.dossiers  # type: ignore[attr-defined]
    assert code == service.anonymous_code(dossier_id)
    assert code != unkeyed(dossier_id)
