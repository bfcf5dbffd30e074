"""The identifiers of French administration, checked with their real rules.

SIREN (9 digits) and SIRET (14 digits) carry a Luhn check digit, except the establishments of
La Poste (SIREN 356000000), whose SIRET digits add up to a multiple of 5 instead.
The NIR (social security number) is 13 characters and a key: 97 - (number mod 97), where the
Corsican departments 2A and 2B count as 19 and 18.
"""

import re

LA_POSTE_SIREN = "356000000"
# Digits are ASCII digits: other scripts' digits are not what the registers hold.
_NIR = re.compile(r"[12378][0-9]{4}([0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+", re.ASCII)
_PHONE = re.compile(r"\+?[0-9]{9,15}", re.ASCII)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def compact(value: str) -> str:
    """The identifier without the spaces, dots and dashes people type in it."""
    return re.sub(r"[\s.\-]", "", value).upper()


def siren_problem(siren: str) -> str | None:
    """Why this SIREN is not valid, or None when it is."""
    if not re.fullmatch(r"[0-9]{9}", siren):
        return "a SIREN is 9 digits"
    if not _luhn_valid(siren):
        return "the SIREN check digit is wrong (Luhn)"
    return None


def siret_problem(siret: str) -> str | None:
    """Why this SIRET is not valid, or None when it is."""
    if not re.fullmatch(r"[0-9]{14}", siret):
        return "a SIRET is 14 digits"
    if siret.startswith(LA_POSTE_SIREN):
        if sum(int(c) for c in siret) % 5 != 0:
            return "a La Poste SIRET must have a digit sum that is a multiple of 5"
        return None
    if siren_problem(siret[:9]) is not None:
        return "the SIREN part of the SIRET is not valid (Luhn)"
    if not _luhn_valid(siret):
        return "the SIRET check digit is wrong (Luhn)"
    return None


def nir_key(first_13: str) -> int:
    """The two-digit key of a NIR, Corsica's 2A and 2B counted as 19 and 18."""
    department = {"2A": "19", "2B": "18"}.get(first_13[5:7], first_13[5:7])
    return 97 - int(first_13[:5] + department + first_13[7:]) % 97


def nir_problem(nir: str) -> str | None:
    """Why this NIR is not valid, or None when it is."""
    if not _NIR.fullmatch(nir):
        return "a NIR is 13 characters (digits, 2A or 2B for Corsica) followed by a 2-digit key"
    if int(nir[13:]) != nir_key(nir[:13]):
        return f"the NIR key should be {nir_key(nir[:13]):02d}"
    return None


def email_problem(email: str) -> str | None:
    """Why this e-mail address is not usable, or None when it is."""
    return None if _EMAIL.fullmatch(email) else "not an e-mail address"


def phone_problem(phone: str) -> str | None:
    """Why this phone number is not usable, or None when it is."""
    return None if _PHONE.fullmatch(compact(phone)) else "a phone number is 9 to 15 digits"
