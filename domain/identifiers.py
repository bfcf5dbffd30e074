"""The shape of the identifiers a dossier holds, as the domain relies on them.

A SIRET is 14 digits whose first 9 are the SIREN (the anonymisation hides both); a NIR is 13
characters (digits, 2A or 2B for Corsica) and a 2-digit key, whose first 13 name the person
(the ADR is once in a life). Their check digits are verified where the request comes in, with
python-stdnum (app/identifiers.py): the registers' rules, and La Poste's exceptions, are kept
there by people who follow them, not rewritten here.
"""

import re

# Digits are ASCII digits: other scripts' digits are not what the registers hold.
_SIRET = re.compile(r"[0-9]{14}", re.ASCII)
_NIR = re.compile(r"[12378][0-9]{4}([0-9]{2}|2A|2B)[0-9]{6}[0-9]{2}", re.ASCII)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+", re.ASCII)
_PHONE = re.compile(r"\+?[0-9]{9,15}", re.ASCII)


# Who sits in a commission, and who acts (a token's subject): visible ASCII characters only, so
# that no look-alike ("а" for "a"), accent or invisible character makes two people of one, and
# not starting as a spreadsheet formula would (= + - @).
VISIBLE_IDENTIFIER_PATTERN = r"^[\x21-\x2A\x2C\x2E-\x3C\x3E\x3F\x41-\x7E][\x21-\x7E]{0,99}$"
VISIBLE_IDENTIFIER_RULE = (
    "1 to 100 visible ASCII characters (letters, digits, signs; no space, accent or "
    "look-alike), not starting with = + - @ (a spreadsheet would run it as a formula)"
)
# A CASS session's reference reads as a reference, never as a sentence about someone.
SESSION_REFERENCE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{2,59}$"
SESSION_REFERENCE_RULE = "3 to 60 upper-case letters, digits and hyphens, such as CASS-BRE-2026-12"


def visible_identifier_problem(value: str) -> str | None:
    """Why this member id or actor is not an identifier, or None when it is."""
    return None if re.fullmatch(VISIBLE_IDENTIFIER_PATTERN, value) else VISIBLE_IDENTIFIER_RULE


def session_reference_problem(value: str) -> str | None:
    """Why this is not a session's reference, or None when it is."""
    return None if re.fullmatch(SESSION_REFERENCE_PATTERN, value) else SESSION_REFERENCE_RULE


def compact(value: str) -> str:
    """The identifier without the spaces, dots and dashes people type in it."""
    return re.sub(r"[\s.\-]", "", value).upper()


def siret_shape_problem(siret: str) -> str | None:
    """Why this is not shaped as a SIRET, or None (its check digit is checked at the edge)."""
    return None if _SIRET.fullmatch(siret) else "a SIRET is 14 digits"


def nir_shape_problem(nir: str) -> str | None:
    """Why this is not shaped as a NIR, or None (its key is checked at the edge)."""
    if _NIR.fullmatch(nir):
        return None
    return "a NIR is 13 characters (digits, 2A or 2B for Corsica) followed by a 2-digit key"


def email_problem(email: str) -> str | None:
    """Why this e-mail address is not usable, or None when it is."""
    return None if _EMAIL.fullmatch(email) else "not an e-mail address"


def phone_problem(phone: str) -> str | None:
    """Why this phone number is not usable, or None when it is."""
    return None if _PHONE.fullmatch(compact(phone)) else "a phone number is 9 to 15 digits"
