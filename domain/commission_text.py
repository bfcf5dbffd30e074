"""The text a reviewer writes for the commission, checked before the commission reads it.

It is plain French prose (domain.plain_text): stored in Unicode NFC, and refused when it holds
characters that could hide a name or a number (invisible or control characters, letters of
another script, digits other than 0-9, a leftover combining mark). It is then refused, never
blacked out, when it holds an identifier of the dossier (domain.dossier_identifiers) or what looks
like anyone's identifier (domain.identifier_shapes: a NIR, SIRET or SIREN, IBAN, e-mail, phone,
web address, street address, a record's id or a dossier's reference; domain.person_names: a
person's name), or a medical term (domain.medical_terms): the commission learns a health
difficulty only as the leaflet's category ("problème de santé"). Each problem says what was
found and where, never the value itself (it is personal data).
"""

import re
from dataclasses import dataclass
from functools import partial
from uuid import UUID

from domain.dossier_identifiers import labelled_identifiers, value_pattern, written_as_the_value
from domain.errors import InvalidField, InvalidFields
from domain.identifier_shapes import shapes
from domain.medical_terms import MEDICAL_ACRONYM, MEDICAL_TERM
from domain.plain_text import normalised, odd_characters, views_of
from domain.values import Activity, Applicant, DifficultyFactor

MAX_LENGTH = 1000  # a short text: the facts are in the summary's fields

# The leaflet's words for each factor of difficulty: how the commission names a situation.
LEAFLET_CATEGORIES = {
    DifficultyFactor.DROP_IN_ACTIVITY_HEALTH_CRISIS: "baisse d'activité (crise sanitaire)",
    DifficultyFactor.DROP_IN_ACTIVITY_HEALTH_PROBLEM: "baisse d'activité (problème de santé)",
    DifficultyFactor.LOSS_OF_CUSTOMERS: "perte de clientèle",
    DifficultyFactor.ROADWORKS: "travaux de voirie",
    DifficultyFactor.FIRE_OR_CATASTROPHE: "incident exceptionnel (incendie ou catastrophe)",
    DifficultyFactor.CESSATION_OF_ACTIVITY: "cessation d'activité",
    DifficultyFactor.OTHER: "autre difficulté",
}


@dataclass(frozen=True)
class Spotted:
    """Something the commission must not read, at characters [start, end) of the text."""

    what: str
    start: int
    end: int


def spot(
    text: str,
    applicant: Applicant,
    *,
    activity: Activity | None = None,
    dossier_id: UUID | None = None,
    reference: str | None = None,
) -> list[Spotted]:
    """What the commission must not read in the (normalised) text: the dossier's identifiers
    first, then anyone's, then medical terms; each stretch of the text once.

    The dossier's identifiers and medical terms are looked for in each view of the text
    (domain.plain_text: folded, letters spaced out or split put together, digits read as the
    letters they stand for), the identifiers' words also split by spaces; anyone's by their
    shape."""
    views = views_of(text)
    identifiers = [
        (what, re.compile(value_pattern(value)))
        for what, value in labelled_identifiers(applicant, activity, dossier_id, reference)
    ]
    found = [
        Spotted(what, *span)
        for what, pattern in identifiers
        for view in views
        for span in view.find(pattern, whole_words=True, keep=partial(written_as_the_value, text))
    ]
    medical = [
        *(
            Spotted("a medical term", *span)
            for view in views
            for span in view.find(MEDICAL_TERM, whole_words=False)
        ),
        *(Spotted("a medical term", *m.span()) for m in MEDICAL_ACRONYM.finditer(text)),
    ]
    generic = [[Spotted(*shape) for shape in group] for group in shapes(text)]
    kept: list[Spotted] = []
    for group in (found, *generic, medical):
        for spotted in sorted(group, key=lambda s: (s.start, -s.end)):
            if not any(k.start < spotted.end and spotted.start < k.end for k in kept):
                kept.append(spotted)
    return sorted(kept, key=lambda s: s.start)


PLAIN_PROSE = "the text for the commission is plain French prose: retype it without"


def check_commission_summary(
    field: str,
    text: str,
    applicant: Applicant,
    *,
    activity: Activity | None = None,
    dossier_id: UUID | None = None,
    reference: str | None = None,
) -> str:
    """The text for the commission as it is kept (NFC, trimmed); refused when blank, too long,
    not plain prose, or naming anyone or a diagnosis."""
    text = normalised(text)
    if not text.strip():
        raise InvalidFields((InvalidField(field, "must not be blank"),))
    if len(text) > MAX_LENGTH:
        raise InvalidFields((InvalidField(field, f"at most {MAX_LENGTH} characters"),))
    odd = odd_characters(text)
    if odd:
        raise InvalidFields(
            tuple(
                InvalidField(
                    field,
                    f"holds {o.what} (character {o.first + 1}"
                    + (f", and {o.count - 1} more" if o.count > 1 else "")
                    + f"): {PLAIN_PROSE} it",
                )
                for o in odd
            )
        )
    spotted = spot(text, applicant, activity=activity, dossier_id=dossier_id, reference=reference)
    problems = tuple(
        InvalidField(
            field,
            f"holds {s.what} (characters {s.start + 1}-{s.end}): the commission reads no "
            + (
                "diagnosis, only the category of difficulty"
                if s.what == "a medical term"
                else "identifier; describe the situation without it"
            ),
        )
        for s in spotted
    )
    if problems:
        raise InvalidFields(problems)
    return text.strip()
