"""The shape of SIRET and NIR the domain relies on, e-mail and phone; the check digits of SIRET
and NIR are verified at the edge with python-stdnum (tests/test_identifiers.py)."""

import pytest

from domain.identifiers import (
    compact,
    email_problem,
    nir_shape_problem,
    phone_problem,
    siret_shape_problem,
)


@pytest.mark.parametrize(
    ("siret", "valid"),
    [
        ("73282932000074", True),
        ("73282932000075", True),  # a wrong check digit is the edge's to find
        ("7328293200007", False),
        ("732829320000745", False),
        ("732 829 320 00074", False),
        ("7328293200007A", False),
        ("７３２８２９３２０００７４", False),  # full-width digits are not what registers hold
    ],
)
def test_a_siret_is_14_ascii_digits(siret: str, valid: bool) -> None:
    assert (siret_shape_problem(siret) is None) is valid


@pytest.mark.parametrize(
    ("nir", "valid"),
    [
        ("269054958815780", True),
        ("185022A01234531", True),
        ("185022B01234558", True),
        ("26905495881578", False),
        ("469054958815780", False),
        ("185022C01234531", False),
        ("2 69 05 49 588 157 80", False),
    ],
)
def test_a_nir_is_13_characters_and_a_2_digit_key(nir: str, valid: bool) -> None:
    assert (nir_shape_problem(nir) is None) is valid


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
