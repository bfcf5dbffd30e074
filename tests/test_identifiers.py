"""SIRET and NIR checked with python-stdnum where a filing comes in: the values whose validity is
known, and through the filing of a dossier over HTTP (both stores)."""

from typing import Any

import pytest
from api import file
from fastapi.testclient import TestClient
from payloads import file_body

from app.services.identifiers import nir_problem, siret_problem, with_luhn_digit, with_nir_key

LA_POSTE_HEAD_OFFICE = "35600000000048"  # Luhn-valid; its digits add up to 26
LA_POSTE_ESTABLISHMENT = "35600000049837"  # not Luhn-valid; its digits add up to 45


@pytest.mark.parametrize("siret", ["73282932000074", LA_POSTE_HEAD_OFFICE, LA_POSTE_ESTABLISHMENT])
def test_these_sirets_are_valid(siret: str) -> None:
    assert siret_problem(siret) is None


@pytest.mark.parametrize(
    ("siret", "problem"),
    [
        ("73282932000075", "the SIRET check digit is wrong (Luhn)"),
        ("73282932100074", "the SIREN part of the SIRET is not valid (Luhn)"),
        ("35600000049838", "a La Poste establishment's SIRET digits add up to a multiple of 5"),
        ("7328293200007", "a SIRET is 14 digits"),
        ("732829320000745", "a SIRET is 14 digits"),
        ("732 829 320 00074", "a SIRET is 14 digits"),
        ("7328293200007A", "a SIRET is 14 digits"),
        ("00000000000000", "SIREN 000000000 is nobody's"),
    ],
)
def test_these_sirets_are_not_valid(siret: str, problem: str) -> None:
    assert siret_problem(siret) == problem


def test_la_poste_s_establishments_add_up_to_a_multiple_of_5_its_head_office_is_luhn() -> None:
    assert sum(map(int, LA_POSTE_ESTABLISHMENT)) % 5 == 0
    assert sum(map(int, LA_POSTE_HEAD_OFFICE)) % 5 != 0
    assert with_luhn_digit(LA_POSTE_HEAD_OFFICE[:13]) == LA_POSTE_HEAD_OFFICE
    assert with_luhn_digit(LA_POSTE_ESTABLISHMENT[:13]) != LA_POSTE_ESTABLISHMENT


@pytest.mark.parametrize(
    ("first_13", "nir"),
    [
        ("2690549588157", "269054958815780"),  # the example NIR of the French Wikipedia article
        ("2780629019123", "278062901912333"),  # 97 - 2780629019123 % 97
        ("185022A012345", "185022A01234531"),  # Corse-du-Sud counts as 19
        ("185022B012345", "185022B01234558"),  # Haute-Corse counts as 18
        ("2780675056123", "278067505612309"),  # a key below 10 has two digits
        ("1850675123448", "185067512344897"),  # a multiple of 97: the key is 97, never 00
    ],
)
def test_the_nir_key_is_97_minus_the_number_modulo_97(first_13: str, nir: str) -> None:
    assert with_nir_key(first_13) == nir
    assert nir_problem(nir) is None


@pytest.mark.parametrize(
    ("nir", "problem"),
    [
        ("269054958815781", "the NIR key should be 80"),
        ("185022A01234558", "the NIR key should be 31"),
        ("185022B01234531", "the NIR key should be 58"),
        ("185067512344800", "the NIR key should be 97"),
        ("26905495881578", "a NIR is 13 characters"),
        ("185022C01234531", "a NIR is 13 characters"),
        ("2 69 05 49 588 157 80", "a NIR is 13 characters"),
    ],
)
def test_these_nirs_are_not_valid(nir: str, problem: str) -> None:
    found = nir_problem(nir)
    assert found is not None
    assert found.startswith(problem)


def applicant(**changes: str) -> dict[str, Any]:
    return {"applicant": file_body()["applicant"] | changes}


ACCEPTED = [
    pytest.param(applicant(siret=LA_POSTE_HEAD_OFFICE), id="la-poste-head-office"),
    pytest.param(applicant(siret=LA_POSTE_ESTABLISHMENT), id="la-poste-establishment"),
    pytest.param(applicant(siret="732.829.320 00074"), id="siret-as-typed"),
    pytest.param(applicant(nir="1 85 02 2A 012 345 31"), id="nir-corse-du-sud-2A"),
    pytest.param(applicant(nir="185022b01234558"), id="nir-haute-corse-2B"),
]
REFUSED = [
    pytest.param(applicant(siret="73282932000075"), "applicant.siret", "Luhn", id="siret-luhn"),
    pytest.param(
        applicant(siret="35600000049838"), "applicant.siret", "multiple of 5", id="la-poste-46"
    ),
    pytest.param(applicant(nir="278062901912334"), "applicant.nir", "should be 33", id="nir-key"),
]


@pytest.mark.parametrize("valid", ACCEPTED)
def test_a_filing_with_these_identifiers_is_filed(
    client: TestClient, valid: dict[str, Any]
) -> None:
    filed = file(client, **valid)
    assert filed.status_code == 201, filed.text


@pytest.mark.parametrize(("invalid", "field", "reason"), REFUSED)
def test_a_filing_with_a_wrong_check_digit_is_refused_naming_it(
    client: TestClient, invalid: dict[str, Any], field: str, reason: str
) -> None:
    refused = file(client, **invalid)
    assert refused.status_code == 422, refused.text
    [problem] = refused.json()["errors"]
    assert problem["field"] == f"body.{field}"
    assert reason in problem["reason"]


def test_a_wrong_check_digit_is_reported_with_every_other_problem(client: TestClient) -> None:
    body = applicant(siret="73282932000075", email="nobody") | {"own_account": " "}
    refused = file(client, **body)
    assert refused.status_code == 422, refused.text
    fields = sorted(p["field"] for p in refused.json()["errors"])
    assert fields == ["body.applicant.email", "body.applicant.siret", "body.own_account"]


def test_la_poste_s_head_office_is_stored_as_filed(client: TestClient) -> None:
    filed = file(client, **applicant(siret=LA_POSTE_HEAD_OFFICE))
    assert filed.json()["applicant"]["siret"] == LA_POSTE_HEAD_OFFICE
