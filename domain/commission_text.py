"""The text a reviewer writes for the commission, checked before the commission reads it.

It is refused, never blacked out, when it holds an identifier of the dossier (the applicant's
names, SIRET, NIR, e-mail and its domain, phone, address and street, town, postal code, birth
date) or what looks like anyone's identifier (a NIR, SIRET or SIREN, IBAN, e-mail, phone, web
address, street address, a person's name), or a medical term: the commission learns a health
difficulty only as the leaflet's category ("problème de santé"). Each problem says what was
found and where, never the value itself (it is personal data).
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from domain.anonymisation import labelled_identifiers, value_pattern
from domain.errors import InvalidField, InvalidFields
from domain.values import Applicant, DifficultyFactor

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
EMAIL = re.compile(r"[^\s@<>()\[\],;:]+@[^\s@<>()\[\],;:]+\.[a-z]{2,}", re.IGNORECASE)
WEB = re.compile(
    r"(?<![\w@.])(?:https?://|www\.)\S+|(?<![\w@.-])[a-z0-9][a-z0-9-]*\.(?:fr|com|net|org|eu|bzh)\b",
    re.IGNORECASE,
)
IBAN = re.compile(
    r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?(?![A-Za-z0-9])",
    re.IGNORECASE,
)
CORSICAN_NIR = re.compile(
    r"(?<![0-9A-Za-z])[12]\s?[0-9]{2}\s?[0-9]{2}\s?2[AB]\s?[0-9]{3}\s?[0-9]{3}(?:\s?[0-9]{2})?"
    r"(?![0-9])",
    re.IGNORECASE,
)
PHONE = re.compile(
    r"(?<![0-9])(?:(?:\+|00)\s?33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?[0-9]{2}){4}(?![0-9])"
)
LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])(?:[0-9][\s.\-/]?){8,}[0-9](?![0-9])")
STREET_TYPES = (
    r"rue|ruelle|avenue|av\.|boulevard|bd|place|quai|impasse|chemin|all[ée]e|route|cours|"
    r"square|passage|faubourg|chauss[ée]e|rond-point|sentier|venelle|esplanade|promenade|"
    r"parvis|r[ée]sidence|lotissement|lieu-dit|hameau|cit[ée]|villa"
)
ARTICLE = r"(?:(?i:de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’])\s*)?"
UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
STREET = re.compile(
    rf"(?<![\w])(?:[0-9]{{1,4}}\s?(?i:bis|ter)?,?\s+)?(?i:{STREET_TYPES})\s+{ARTICLE}"
    rf"[{UPPER}0-9][\w'’\-]*"
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
# Diagnoses and health details, as regular expressions over the text folded to lower case
# without accents: the commission reads the leaflet's category, never these. Words used of
# businesses too ("greffe" du tribunal, activité "paralysée") are left out.
MEDICAL = (
    r"cancer",
    r"tumeur",
    r"chimio",
    r"radiothera",
    r"leucemi",
    r"lymphome",
    r"metasta",
    r"depressi",
    r"burn-?out",
    r"bipolai",
    r"schizophren",
    r"psychiatr",
    r"diabet",
    r"avc\b",
    r"infarctus",
    r"cardiaque",
    r"sclerose",
    r"alzheimer",
    r"parkinson",
    r"vih\b",
    r"sida\b",
    r"hepatite",
    r"epilep",
    r"dialyse",
    r"autis",
    r"alcoolisme",
    r"toxicoman",
    r"grossesse",
    r"fausse couche",
    r"covid long",
    r"chirurgie\b",
    r"chirurgical",
    r"hospitalis",
    r"handicap",
    r"invalidite",
    r"arret maladie",
    r"arret de travail",
)
MEDICAL_TERM = re.compile(rf"(?<![a-z])(?:{'|'.join(MEDICAL)})[a-z]*")


def _fold(text: str) -> str:
    """The text in lower case without accents, one character for each: positions still hold."""
    return "".join((unicodedata.normalize("NFKD", c)[:1] or c).lower() for c in text)


def _number(match: re.Match[str]) -> str:
    digits = sum(c.isdigit() for c in match.group())
    kind = {9: "a SIREN", 13: "a NIR", 14: "a SIRET", 15: "a NIR"}.get(digits)
    return kind or "a long number (an identifier or an account)"


def _generic(text: str) -> Iterator[Spotted]:
    for what, pattern in (
        ("an e-mail address", EMAIL),
        ("a web address", WEB),
        ("an IBAN", IBAN),
        ("a NIR", CORSICAN_NIR),
        ("a phone number", PHONE),
        ("a street address", STREET),
        ("a person's name", CIVILITY),
    ):
        for match in pattern.finditer(text):
            yield Spotted(what, match.start(), match.end())
    for match in LONG_NUMBER.finditer(text):
        yield Spotted(_number(match), match.start(), match.end())
    for match in FULL_NAME.finditer(text):
        first, last = match.group("first"), match.group("last")
        if first.lower() not in NOT_A_FIRST_NAME and last not in ACRONYMS:
            yield Spotted("a person's name", match.start(), match.end())
    for match in MEDICAL_TERM.finditer(_fold(text)):
        yield Spotted("a medical term", match.start(), match.end())


def spot(text: str, applicant: Applicant) -> list[Spotted]:
    """What the commission must not read in the text: the dossier's identifiers first, then
    anyone's; each stretch of the text once."""
    found = [
        Spotted(what, match.start(), match.end())
        for what, value in labelled_identifiers(applicant)
        for match in re.finditer(value_pattern(value), text, flags=re.IGNORECASE)
    ]
    found.sort(key=lambda s: (s.start, -s.end))
    kept: list[Spotted] = []
    for spotted in [*found, *sorted(_generic(text), key=lambda s: (s.start, -s.end))]:
        if not any(k.start < spotted.end and spotted.start < k.end for k in kept):
            kept.append(spotted)
    return sorted(kept, key=lambda s: s.start)


def check_commission_summary(field: str, text: str, applicant: Applicant) -> None:
    """Refuse a text for the commission that is blank, too long, or names anyone."""
    if not text.strip():
        raise InvalidFields((InvalidField(field, "must not be blank"),))
    if len(text) > MAX_LENGTH:
        raise InvalidFields((InvalidField(field, f"at most {MAX_LENGTH} characters"),))
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
        for s in spot(text, applicant)
    )
    if problems:
        raise InvalidFields(problems)
