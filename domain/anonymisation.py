"""The anonymous file shown to the CASS: only what the decision needs, no direct identifier.

The commission reads structured facts and a short text the reviewer writes for it
(`situation`), checked for identifiers before it is accepted (domain.commission_text); never
the applicant's own account nor the reviewer's findings. Its code is keyed by the service
(app layer): nobody holding a dossier's id can compute it.
"""

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from domain.values import (
    ActivityKind,
    AidAmount,
    AidRequest,
    Applicant,
    Assessment,
    DifficultyFactor,
    Opinion,
)

ERASED = "[effacé]"  # what personal data reads as once its retention period is over
# What the commission reads instead of a text nobody checked for it: the summaries of old held
# the reviewer's findings, blacked out by a filter that missed what it did not know.
WITHHELD = "[non communiqué]"


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
    # True when `situation` is the text written for the commission and checked; false in the
    # summaries of old, whose `situation` was the reviewer's findings (never shown any more).
    written_for_the_commission: bool = False


def for_the_commission(summary: AnonymisedSummary) -> AnonymisedSummary:
    """The summary as the commission may read it: an unchecked text is withheld."""
    if summary.written_for_the_commission:
        return summary
    return replace(summary, situation=WITHHELD)


def whole_years_between(start: date, end: date) -> int:
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def age_bracket(birth_date: date, on: date) -> str:
    """A ten-year bracket ("40-49"), never the birth date."""
    low = whole_years_between(birth_date, on) // 10 * 10
    return f"{low}-{low + 9}"


WEBMAIL = frozenset(
    {"gmail", "hotmail", "outlook", "live", "yahoo", "orange", "wanadoo", "free", "sfr", "laposte"}
    | {"icloud", "me", "protonmail", "proton", "gmx", "aol", "neuf", "bbox", "numericable"}
)
STREET_NUMBER = re.compile(r"^\s*[0-9]+\s*(?:bis|ter|quater|[a-d])?\b[\s,]*", re.IGNORECASE)


def labelled_identifiers(applicant: Applicant) -> list[tuple[str, str]]:
    """Every value of the applicant that would let someone recognise them, with what it is."""
    address = applicant.address
    domain = applicant.email.rpartition("@")[2]
    values = [
        ("the applicant's last name", applicant.last_name),
        ("the applicant's first name", applicant.first_name),
        ("the applicant's SIRET", applicant.siret),
        ("the applicant's SIREN", applicant.siret[:9]),
        ("the applicant's e-mail address", applicant.email),
        ("the applicant's e-mail domain", domain),
        ("the applicant's phone number", applicant.phone),
        ("the applicant's address", address.line1),
        ("the applicant's street", STREET_NUMBER.sub("", address.line1)),
        ("the applicant's address", address.line2 or ""),
        ("the applicant's postal code", address.postal_code),
        ("the applicant's town", address.city),
        *[("the applicant's birth date", day) for day in _dates(applicant.birth_date)],
    ]
    name = domain.split(".")[0]
    if len(name) >= 4 and name.lower() not in WEBMAIL:  # a business's own domain names it
        values.append(("the applicant's e-mail domain", name))
    if applicant.phone.startswith("0") and len(applicant.phone) == 10:
        national = applicant.phone[1:]
        values += [
            ("the applicant's phone number", prefix + national)
            for prefix in ("+33", "0033", "+330")
        ]
    if applicant.nir:  # with its key, or without
        values += [
            ("the applicant's NIR", applicant.nir),
            ("the applicant's NIR", applicant.nir[:13]),
        ]
    return [(label, v.strip()) for label, v in values if len(v.strip()) >= 2]


def identifying_values(applicant: Applicant) -> list[str]:
    """Every value of the applicant that would let someone recognise them."""
    return [value for _, value in labelled_identifiers(applicant)]


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


def value_pattern(value: str) -> str:
    """A value as people write it: whatever its separators, its case or its accents, and
    never the inside of a longer word or number."""
    parts = []
    for token in re.findall(r"[a-z]+|[0-9]+", _plain(value)):
        if token.isdigit():
            parts.append(SEPARATORS.join(token))  # 732 829 320 00074, 06.12.34.56.78
        else:
            parts.append("".join(f"[{ACCENTS[c]}]" if c in ACCENTS else c for c in token))
    return rf"(?<!\w){SEPARATORS.join(parts)}(?!\w)"


def anonymise(
    *,
    anonymous_code: str,
    applicant: Applicant,
    region: str,
    activity_kind: ActivityKind,
    affiliated_since: date,
    aids_requested: tuple[AidRequest, ...],
    difficulty_factors: tuple[DifficultyFactor, ...],
    commission_summary: str,
    assessment: Assessment,
    proposal: tuple[AidAmount, ...],
    opinion: Opinion,
    on: date,
) -> AnonymisedSummary:
    """The summary the commission sees, computed from the dossier on a given day: the text is
    the one written for the commission (checked before), never the applicant's own account nor
    the reviewer's findings, which speak of people and health in their own words."""
    return AnonymisedSummary(
        anonymous_code=anonymous_code,
        region=region,
        activity_kind=activity_kind,
        seniority_years=whole_years_between(affiliated_since, on),
        age_bracket=age_bracket(applicant.birth_date, on),
        aids_requested=aids_requested,
        difficulty_factors=difficulty_factors,
        situation=commission_summary.strip(),
        assessment=assessment,
        proposal=proposal,
        opinion=opinion,
        written_for_the_commission=True,
    )
