"""SIREN, SIRET, NIR, e-mail and phone, checked against values whose validity is known."""

import pytest

from domain.identifiers import (
    compact,
    email_problem,
    nir_key,
    nir_problem,
    phone_problem,
    siren_problem,
    siret_problem,
)


@pytest.mark.parametrize("siret", ["73282932000074", "35600000049837"])
def test_these_sirets_are_valid(siret: str) -> None:
    assert siret_problem(siret) is None


@pytest.mark.parametrize(
    ("siret", "problem"),
    [
        ("73282932000075", "the SIRET check digit is wrong (Luhn)"),
        ("73282932100074", "the SIREN part of the SIRET is not valid (Luhn)"),
        ("35600000000048", "a La Poste SIRET must have a digit sum that is a multiple of 5"),
        ("7328293200007", "a SIRET is 14 digits"),
        ("732829320000745", "a SIRET is 14 digits"),
        ("732 829 320 00074", "a SIRET is 14 digits"),
        ("7328293200007A", "a SIRET is 14 digits"),
    ],
)
def test_these_sirets_are_not_valid(siret: str, problem: str) -> None:
    assert siret_problem(siret) == problem


def test_a_la_poste_siret_needs_a_digit_sum_multiple_of_5_not_a_luhn_check() -> None:
    valid = "35600000049837"
    assert sum(map(int, valid)) == 45
    assert siret_problem(valid) is None
    assert siret_problem("35600000049838") is not None  # digit sum 46
    assert sum(map(int, "35600000000048")) == 26
    assert siret_problem("35600000000048") is not None


def test_la_poste_itself_has_a_luhn_valid_siren() -> None:
    assert siren_problem("356000000") is None


@pytest.mark.parametrize(
    ("siren", "valid"),
    [("732829320", True), ("732829321", False), ("73282932", False), ("7328293200", False)],
)
def test_a_siren_is_nine_digits_with_a_luhn_check(siren: str, valid: bool) -> None:
    assert (siren_problem(siren) is None) is valid


@pytest.mark.parametrize(
    ("first_13", "key"),
    [
        ("2690549588157", 80),  # the example NIR of the French Wikipedia article
        ("2780629019123", 33),  # 97 - 2780629019123 % 97
        ("185022A012345", 97 - 1850219012345 % 97),  # Corse-du-Sud counts as 19
        ("185022B012345", 97 - 1850218012345 % 97),  # Haute-Corse counts as 18
    ],
)
def test_the_nir_key_is_97_minus_the_number_modulo_97(first_13: str, key: int) -> None:
    assert nir_key(first_13) == key


def test_corsican_keys_differ_between_2A_and_2B() -> None:
    assert (nir_key("185022A012345"), nir_key("185022B012345")) == (31, 58)


@pytest.mark.parametrize(
    "nir", ["269054958815780", "278062901912333", "185022A01234531", "185022B01234558"]
)
def test_these_nirs_are_valid(nir: str) -> None:
    assert nir_problem(nir) is None


@pytest.mark.parametrize(
    ("nir", "problem"),
    [
        ("269054958815781", "the NIR key should be 80"),
        ("185022A01234558", "the NIR key should be 31"),
        ("185022B01234531", "the NIR key should be 58"),
        ("26905495881578", "a NIR is 13 characters"),
        ("469054958815780", "a NIR is 13 characters"),
        ("185022C01234531", "a NIR is 13 characters"),
        ("2 69 05 49 588 157 80", "a NIR is 13 characters"),
    ],
)
def test_these_nirs_are_not_valid(nir: str, problem: str) -> None:
    found = nir_problem(nir)
    assert found is not None
    assert found.startswith(problem)


def test_a_key_below_10_is_written_with_two_digits() -> None:
    first_13 = "2780675056123"
    assert nir_key(first_13) == 9
    assert nir_problem(first_13 + "09") is None
    assert nir_problem(first_13 + "9") is not None


@pytest.mark.parametrize(
    ("email", "valid"),
    [
        ("g.kerbrat@example.fr", True),
        ("g.kerbrat+urssaf@sub.example.fr", True),
        ("g.kerbrat@example", False),
        ("g.kerbrat.example.fr", False),
        ("g kerbrat@example.fr", False),
        ("", False),
    ],
)
def test_an_email_address_has_a_local_part_and_a_dotted_domain(email: str, valid: bool) -> None:
    assert (email_problem(email) is None) is valid


@pytest.mark.parametrize(
    ("phone", "valid"),
    [
        ("0612345678", True),
        ("06 12 34 56 78", True),
        ("06.12.34.56.78", True),
        ("+33 6 12 34 56 78", True),
        ("06123456", False),
        ("0612345678901234", False),
        ("06 12 AB 56 78", False),
    ],
)
def test_a_phone_number_is_9_to_15_digits_whatever_the_separators(phone: str, valid: bool) -> None:
    assert (phone_problem(phone) is None) is valid


def test_compact_removes_what_people_type_between_digits() -> None:
    assert compact("732 829.320-00074") == "73282932000074"
    assert compact("1 85 02 2a 012 345 31") == "185022A01234531"
