"""The anonymous file shown to the CASS: only what the decision needs, no direct identifier."""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.values import (
    ActivityKind,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    DifficultyFactor,
    Opinion,
)

REDACTED = "[…]"
ERASED = "[effacé]"  # what personal data reads as once its retention period is over


@dataclass(frozen=True)
class AnonymisedSummary:
    anonymous_code: str
    region: str
    activity_kind: ActivityKind
    seniority_years: int
    age_bracket: str
    aids_requested: tuple[AidRequest, ...]
    difficulty_factors: tuple[DifficultyFactor, ...]
    situation: str
    assessment: Assessment
    proposal: tuple[AidAmount, ...]
    opinion: Opinion


def anonymous_code(dossier_id: UUID) -> str:
    """A stable code for the commission that does not reveal the dossier's reference."""
    return "ANO-" + hashlib.sha256(dossier_id.bytes).hexdigest()[:10].upper()


def whole_years_between(start: date, end: date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def age_bracket(birth_date: date, on: date) -> str:
    """A ten-year bracket ("40-49"), never the birth date."""
    low = whole_years_between(birth_date, on) // 10 * 10
    return f"{low}-{low + 9}"


def identifying_values(applicant: Applicant) -> list[str]:
    """Every value of the applicant that would let someone recognise them."""
    address = applicant.address
    values = [
        applicant.last_name,
        applicant.first_name,
        applicant.siret,
        applicant.siret[:9],
        applicant.email,
        applicant.phone,
        address.line1,
        address.line2 or "",
        address.postal_code,
        address.city,
        *_dates(applicant.birth_date),
    ]
    if applicant.phone.startswith("0") and len(applicant.phone) == 10:
        national = applicant.phone[1:]
        values += ["+33" + national, "0033" + national, "+330" + national]
    if applicant.nir:
        values += [applicant.nir, applicant.nir[:13]]  # with its key, or without
    return [v.strip() for v in values if len(v.strip()) >= 2]


MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
ACCENTS = {
    "a": "aàâäá",
    "c": "cç",
    "e": "eéèêë",
    "i": "iîïí",
    "n": "nñ",
    "o": "oôöó",
    "u": "uùûüú",
    "y": "yÿ",
}


def _dates(day: date) -> list[str]:
    """A date as people write it: 1975-06-21, 21/06/1975, 21 juin 1975."""
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%y"),
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}",
    ]


def _plain(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


SEPARATORS = r"[\s.,;:/()@_+\-]*"


def _pattern(value: str) -> str:
    """A value as people write it: whatever its separators, its case or its accents, and
    never the inside of a longer word or number."""
    parts = []
    for token in re.findall(r"[a-z]+|[0-9]+", _plain(value)):
        if token.isdigit():
            parts.append(SEPARATORS.join(token))  # 732 829 320 00074, 06.12.34.56.78
        else:
            parts.append("".join(f"[{ACCENTS[c]}]" if c in ACCENTS else c for c in token))
    return rf"(?<!\w){SEPARATORS.join(parts)}(?!\w)"


# Whoever they belong to, these identify someone: an e-mail address, and a run of nine digits or
# more (a NIR, a SIRET, a phone number, a bank account), whatever the separators.
ANY_EMAIL = re.compile(r"[^\s@<>()\[\],;:]+@[^\s@<>()\[\],;:]+\.[a-z]{2,}", re.IGNORECASE)
LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9][\s.\-/]?){8,}[0-9](?![0-9])")


def redact(text: str, identifying: list[str]) -> str:
    """The text with every identifying value blacked out, whatever its case, accents or
    spacing, and any e-mail address or long number too."""
    for value in sorted(identifying, key=len, reverse=True):
        text = re.sub(_pattern(value), REDACTED, text, flags=re.IGNORECASE)
    text = ANY_EMAIL.sub(REDACTED, text)
    return LONG_NUMBER.sub(REDACTED, text)


def anonymise(
    *,
    dossier_id: UUID,
    applicant: Applicant,
    region: str,
    activity_kind: ActivityKind,
    affiliated_since: date,
    aids_requested: tuple[AidRequest, ...],
    difficulty_factors: tuple[DifficultyFactor, ...],
    own_account: str,
    findings: str,
    assessment: Assessment,
    proposal: tuple[AidAmount, ...],
    opinion: Opinion,
    on: date,
) -> AnonymisedSummary:
    """The summary the commission sees, computed from the dossier on a given day."""
    identifying = identifying_values(applicant)
    # The commission reads the reviewer's findings, written for it and blacked out still; never
    # the applicant's own account, which speaks of people and health in their own words.
    situation = redact(findings.strip(), identifying)
    return AnonymisedSummary(
        anonymous_code=anonymous_code(dossier_id),
        region=region,
        activity_kind=activity_kind,
        seniority_years=whole_years_between(affiliated_since, on),
        age_bracket=age_bracket(applicant.birth_date, on),
        aids_requested=aids_requested,
        difficulty_factors=difficulty_factors,
        situation=situation,
        assessment=assessment,
        proposal=proposal,
        opinion=opinion,
    )
