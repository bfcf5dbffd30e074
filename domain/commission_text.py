"""The text a reviewer writes for the commission, checked before the commission reads it.

It is plain French prose (domain.plain_text): stored in Unicode NFC, and refused when it holds
characters that could hide a name or a number (invisible or control characters, letters of
another script, digits other than 0-9, a leftover combining mark). It is then refused, never
blacked out, when it holds an identifier of the dossier (domain.dossier_identifiers) or what looks
like anyone's identifier (a NIR, SIRET or SIREN, IBAN, e-mail, phone, web address, street
address, a person's name, a record's id or a dossier's reference), or a medical term
(domain.medical_terms): the commission learns a health difficulty only as the leaflet's category
("problème de santé"). Each problem says what was found and where, never the value itself (it is
personal data).
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from uuid import UUID

from domain.dossier_identifiers import ARTICLES, STREET_TYPES, labelled_identifiers, value_pattern
from domain.errors import InvalidField, InvalidFields
from domain.medical_terms import MEDICAL_TERM
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


# Anyone's identifiers, whatever the dossier.
EMAIL = re.compile(r"[^\s@<>()\[\],;:]+\s*@\s*[^\s@<>()\[\],;:]+\.[a-z]{2,}", re.IGNORECASE)
WEB = re.compile(
    r"(?<![\w@.])(?:https?://|www\.)\S+|(?<![\w@.-])[a-z0-9][a-z0-9-]*\.(?:fr|com|net|org|eu|bzh)\b",
    re.IGNORECASE,
)
# Numbers as people type them: digits in groups, whatever the run of spaces between them.
IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:\s*[A-Z0-9]{4}){2,7}(?:\s*[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
CORSICAN_NIR = re.compile(
    r"(?<![0-9A-Za-z])[12][\s.]*[0-9]{2}[\s.]*[0-9]{2}[\s.]*2[AB][\s.]*[0-9]{3}[\s.]*[0-9]{3}"
    r"(?:[\s.]*[0-9]{2})?(?![0-9])",
    re.IGNORECASE,
)
PHONE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)\s*33\s*(?:\(0\)\s*)?|0)[\s.\-]*[1-9](?:[\s.\-]*[0-9]{2}){4}(?![0-9])"
)
LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9](?:\s+|[.\-/])?){8,}[0-9](?![0-9])")
# What links a text back to a record: an id (a UUID, or a long code of hex digits) and a
# dossier's reference (AS-2026-1A2B3C4D).
UUID_TEXT = re.compile(
    r"(?<![0-9a-z])[0-9a-f]{8}(?:[\s-]*[0-9a-f]{4}){3}[\s-]*[0-9a-f]{12}(?![0-9a-z])",
    re.IGNORECASE,
)
HEX_CODE = re.compile(
    r"(?<![0-9a-z])(?=[0-9a-f]*[0-9])(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9a-z])", re.IGNORECASE
)
DOSSIER_REFERENCE = re.compile(
    r"(?<![0-9a-z])AS[\s\-_./]*[0-9]{4}[\s\-_./]*[0-9a-z]{8}(?![0-9a-z])", re.IGNORECASE
)
ARTICLE = rf"(?:(?i:{ARTICLES})\s*)?"
UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
WORD = r"\w[\w'’\-]*"
# Whatever the case, a street with its number ("14 rue siam", "4, place du marché"), or after a
# word that names nothing but a street ("rue de kerinou"); a word also used in prose ("mise en
# place d'un échéancier", "au cours de l'année") names a street when a capital follows.
STREETS_ONLY = r"rue|ruelle|avenue|boulevard|bd|faubourg|lieu-dit|lotissement|venelle"
STREET = re.compile(
    rf"(?<!\w)[0-9]{{1,4}}\s*(?i:bis|ter)?,?\s+(?i:{STREET_TYPES})\s+{ARTICLE}{WORD}"
    rf"|(?<!\w)(?i:{STREETS_ONLY})\s+(?i:de\s+la|de\s+l['’]|du|des|de|d['’])\s*{WORD}"
    rf"|(?<!\w)(?i:{STREET_TYPES})\s+{ARTICLE}[{UPPER}0-9][\w'’\-]*"
)
NAME_WORD = rf"(?:[{UPPER}][{LOWER}'’]+(?:-[{UPPER}][{LOWER}]+)*|[{UPPER}]{{2,}}(?![{LOWER}]))"
CIVILITY = re.compile(
    r"(?<![\w])(?:M\.|MM\.|Mr\.?|Mme\.?|Mmes|Mlle\.?|Me|Dr\.?|Pr\.?|"
    r"(?i:monsieur|madame|mademoiselle|docteur|ma[iî]tre|professeur))"
    rf"\s+(?:(?:[Ll]e|[Ll]a|[Dd]e|[Dd]u|[Dd]es|[Vv]an|[Vv]on|[Dd]['’])\s*)?{NAME_WORD}"
)
FULL_NAME = re.compile(
    rf"(?<![\w'’])(?P<first>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)\s+"
    rf"(?:(?:[Ll]e|[Dd]e|[Dd]u|[Vv]an)\s+)?(?P<last>{NAME_WORD})"
)
# Capitalised words that start a sentence or name an institution, not a person.
NOT_A_FIRST_NAME = frozenset(
    """le la les un une des du de depuis dans en au aux pour par sur sous avec sans selon après
    avant pendant chez et ou mais donc car ce cet cette ces son sa ses il elle ils elles on nous
    vous je leur leurs suite malgré entre vers lors dès quand si comme aucun aucune plusieurs tout
    toute tous toutes mon ma mes notre nos votre vos avis activité baisse perte travaux
    difficulté dossier demande aide situation assurance sécurité caisse chambre conseil tribunal
    crise région grand centre pays haute hauts basse nouvelle commission séance cotisations
    contributions""".split()  # noqa: SIM905 (a list of words reads best as words)
)
ACRONYMS = frozenset(
    """ACED AFE FCI ADR CASS CPSTI URSSAF CGSS CARSAT CPAM CAF MSA HELP RIB TVA BTP TPE PME SARL
    EURL SAS SASU EI EIRL SIRET SIREN NIR IBAN COVID""".split()  # noqa: SIM905
)


def _number(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group())
    kind = {9: "a SIREN", 13: "a NIR", 14: "a SIRET", 15: "a NIR"}.get(digits)
    return kind or "a long number (an identifier or an account)"


SHAPES = (  # the most telling first: a stretch is reported as the first shape it has
    ("an e-mail address", EMAIL),
    ("a web address", WEB),
    ("an IBAN", IBAN),
    ("a NIR", CORSICAN_NIR),
    ("a phone number", PHONE),
    ("an id (UUID)", UUID_TEXT),
    ("a dossier reference", DOSSIER_REFERENCE),
    ("a code that may name a record", HEX_CODE),
    ("a street address", STREET),
    ("a person's name", CIVILITY),
)


def _generic(text: str) -> Iterator[list[Spotted]]:
    """Anyone's identifiers in the text, by their shape: a list for each shape."""
    for what, pattern in SHAPES:
        yield [Spotted(what, match.start(), match.end()) for match in pattern.finditer(text)]
    yield [Spotted(_number(m), m.start(), m.end()) for m in LONG_NUMBER.finditer(text)]
    yield [
        Spotted("a person's name", match.start(), match.end())
        for match in FULL_NAME.finditer(text)
        if match.group("first").lower() not in NOT_A_FIRST_NAME
        and match.group("last") not in ACRONYMS
    ]


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
    letters they stand for); anyone's by their shape."""
    views = views_of(text)
    identifiers = [
        (what, re.compile(value_pattern(value)))
        for what, value in labelled_identifiers(applicant, activity, dossier_id, reference)
    ]
    found = [
        Spotted(what, *span)
        for what, pattern in identifiers
        for view in views
        for span in view.find(pattern, whole_words=True)
    ]
    medical = [
        Spotted("a medical term", *span)
        for view in views
        for span in view.find(MEDICAL_TERM, whole_words=False)
    ]
    kept: list[Spotted] = []
    for group in (found, *_generic(text), medical):
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
