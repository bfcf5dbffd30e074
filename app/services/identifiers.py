"""Identifiers checked at the edge: an applicant's French identifiers with python-stdnum, and
the free identifiers people choose, which must not read as a spreadsheet formula.

The domain keeps only the shape it relies on (a SIRET's first 9 digits are the SIREN, a NIR's
first 13 characters the person); the check digits follow the registers' rules, maintained in
python-stdnum rather than written here: a SIRET and its SIREN carry a Luhn digit, except La
Poste's establishments (SIREN 356000000), whose digits add up to a multiple of 5, its head office
35600000000048 being Luhn-valid; a NIR's key is 97 - (its 13 characters mod 97), Corsica's 2A
and 2B counted as 19 and 18.
"""

import re
from typing import Annotated

from pydantic import AfterValidator, Field
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, ValidationError
from stdnum.fr import nir, siren, siret

from domain.errors import InvalidField
from domain.identifiers import (
    SESSION_REFERENCE_PATTERN,
    SESSION_REFERENCE_RULE,
    VISIBLE_IDENTIFIER_PATTERN,
    VISIBLE_IDENTIFIER_RULE,
)
from domain.values import Applicant

LA_POSTE_SIREN = "356000000"
SIRET_FORMAT = "a SIRET is 14 digits"
NIR_FORMAT = "a NIR is 13 characters (digits, 2A or 2B for Corsica) followed by a 2-digit key"


def siret_problem(value: str) -> str | None:
    """Why this SIRET is not valid, or None when it is."""
    if value != siret.compact(value):
        return SIRET_FORMAT  # spaces or dots: the app stores the compact form
    try:
        siret.validate(value)
    except InvalidChecksum:
        if value.startswith(LA_POSTE_SIREN):
            return "a La Poste establishment's SIRET digits add up to a multiple of 5"
        if not siren.is_valid(value[:9]):
            return "the SIREN part of the SIRET is not valid (Luhn)"
        return "the SIRET check digit is wrong (Luhn)"
    except ValidationError:
        return SIRET_FORMAT
    if value.startswith("000000000"):  # passes Luhn, but INSEE gives it to no one
        return "SIREN 000000000 is nobody's"
    return None


def nir_problem(value: str) -> str | None:
    """Why this NIR is not valid, or None when it is."""
    if value != nir.compact(value):
        return NIR_FORMAT
    try:
        nir.validate(value)
    except InvalidChecksum:
        return f"the NIR key should be {nir.calc_check_digits(value)}"
    except ValidationError:
        return NIR_FORMAT
    return None


def applicant_problems(applicant: Applicant) -> list[InvalidField]:
    """The applicant's identifiers that fail their check digits, each named by its field."""
    found = [("applicant.siret", siret_problem(applicant.siret))]
    if applicant.nir is not None:
        found.append(("applicant.nir", nir_problem(applicant.nir)))
    return [InvalidField(field, problem) for field, problem in found if problem]


def with_luhn_digit(digits: str) -> str:
    """The digits followed by their Luhn check digit (a SIREN from 8 digits, a SIRET from 13)."""
    return digits + luhn.calc_check_digit(digits)


def with_nir_key(first_13: str) -> str:
    """The NIR: its 13 characters followed by their key."""
    return first_13 + nir.calc_check_digits(first_13)


# What a spreadsheet evaluates when a cell starts with it (OWASP's CSV injection rule).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FREE_IDENTIFIER_RULE = (
    "must not start with = + - @ or a blank (a spreadsheet would run it as a formula), "
    "end with a blank, or hold control characters"
)
FREE_IDENTIFIER_PATTERN = r"^[^=+\-@\s\x00-\x1f\x7f]([^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f])?$"


def _shaped(pattern: re.Pattern[str], rule: str) -> AfterValidator:
    """A text refused, saying `rule`, unless it has the pattern's shape."""

    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise ValueError(rule)
        return value

    return AfterValidator(check)


# A name people choose that lands in exports: refused when a spreadsheet would evaluate it.
FreeIdentifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        json_schema_extra={"pattern": FREE_IDENTIFIER_PATTERN},
        description="An identifier: " + FREE_IDENTIFIER_RULE,
    ),
    _shaped(re.compile(FREE_IDENTIFIER_PATTERN), FREE_IDENTIFIER_RULE),
]


SessionReference = Annotated[
    str,
    Field(
        min_length=3,
        max_length=60,
        json_schema_extra={"pattern": SESSION_REFERENCE_PATTERN},
        description="The session's reference: " + SESSION_REFERENCE_RULE,
    ),
    _shaped(re.compile(SESSION_REFERENCE_PATTERN), SESSION_REFERENCE_RULE),
]
VisibleIdentifier = Annotated[
    str,
    Field(
        min_length=1,
        max_length=100,
        json_schema_extra={"pattern": VISIBLE_IDENTIFIER_PATTERN},
        description="An identifier: " + VISIBLE_IDENTIFIER_RULE,
    ),
    _shaped(re.compile(VISIBLE_IDENTIFIER_PATTERN), VISIBLE_IDENTIFIER_RULE),
]
