"""Every value of a dossier that would let someone recognise the applicant, with what it is, and
how people write it.

The applicant's identity, contacts and address (the street's name alone too: "Siam" or "14 Siam"
names "14 rue de Siam"; only after its number when it is a word of prose, "4 Marché" of "4 place
du Marché", since "le marché" is prose), the activity's description or trade name, and the
dossier's own id and reference, which link anything that holds them back to the dossier. A
word of the value is also found split by spaces inside ("Ker brat", "Kerb rat"), unless a piece
is a function word and the pieces are not written as a name: "du pont" is prose, "Du Pont"
names Dupont.
"""

import re
from datetime import date
from uuid import UUID

from domain.plain_text import FUNCTION_WORDS, View, folded
from domain.values import Activity, Applicant

STREET_WORDS = (
    r"rue|ruelle|avenue|boulevard|place|quai|impasse|chemin|all[ée]e|route|cours|"
    r"square|passage|faubourg|chauss[ée]e|rond-point|sentier|venelle|esplanade|promenade|"
    r"parvis|r[ée]sidence|lotissement|lieu-dit|hameau|cit[ée]|villa"
)
# Street types abbreviated: rue, avenue, boulevard, place, impasse, faubourg, route.
ABBREVIATED_STREET_TYPES = r"r\.|av\.?|bd|bvd|bld|boul\.|pl\.|imp\.|fbg|rte"
STREET_TYPES = rf"{STREET_WORDS}|{ABBREVIATED_STREET_TYPES}"
ARTICLES = r"de\s+la|de\s+l['’]|du|des|de|d['’]|la|le|les|l['’]"
STREET_NUMBER = re.compile(r"^\s*[0-9]+\s*(?:bis|ter|quater|[a-d])?\b[\s,]*", re.IGNORECASE)
STREET_TYPE = re.compile(  # "rue Lepic" is no "rue le Pic": an article is a word of its own
    rf"^(?:{STREET_TYPES})\s+"
    r"(?P<article>(?:de\s+la|du|des|de|la|le|les)\s+|(?:de\s+l|d|l)['’]\s*)?",
    re.IGNORECASE,
)
# A street named with the definite article is named after a thing ("place du Marché", "rue des
# Écoles", "rue de la République"): its name alone is a word of prose ("le marché local").
DEFINITE = re.compile(r"de\s+la|de\s+l['’]|du|des|la|le|les|l['’]", re.IGNORECASE)
WEBMAIL = frozenset(
    {"gmail", "hotmail", "outlook", "live", "yahoo", "orange", "wanadoo", "free", "sfr", "laposte"}
    | {"icloud", "me", "protonmail", "proton", "gmx", "aol", "neuf", "bbox", "numericable"}
)
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


def labelled_identifiers(
    applicant: Applicant,
    activity: Activity | None = None,
    dossier_id: UUID | None = None,
    reference: str | None = None,
) -> list[tuple[str, str]]:
    """Every value of the dossier that would let someone recognise the applicant, with what
    it is."""
    values = [*_applicants(applicant)]
    if activity is not None and activity.description.strip():
        words = activity.description.split()
        values += [("the activity's description", activity.description)]
        values += [  # a trade name without the trade: "Ker Avel" of "boulangerie Ker Avel"
            ("the activity's description", " ".join(words[i : i + 2]))
            for i in range(len(words) - 1)
        ]
    if dossier_id is not None:
        values += [("the dossier's id", str(dossier_id)), ("the dossier's id", dossier_id.hex[:8])]
    if reference:
        values.append(("the dossier's reference", reference))
    return [(label, v.strip()) for label, v in values if len(v.strip()) >= 2]


def _applicants(applicant: Applicant) -> list[tuple[str, str]]:
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
        ("the applicant's postal code", address.postal_code),
        ("the applicant's town", address.city),
        *[("the applicant's birth date", day) for day in _dates(applicant.birth_date)],
    ]
    for line in (address.line1, address.line2 or ""):
        street = STREET_NUMBER.sub("", line)
        values += [("the applicant's address", line), ("the applicant's street", street)]
        typed = STREET_TYPE.match(street)
        if typed:  # "Siam" of "rue de Siam", "14 Siam"; "4 Marché" of "4 place du Marché"
            name, number = street[typed.end() :], line[: len(line) - len(street)].strip(" ,")
            if not DEFINITE.fullmatch((typed.group("article") or "").strip()):
                values.append(("the applicant's street name", name))
            if number:
                values.append(("the applicant's street name", f"{number} {name}"))
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
    return values


def _dates(day: date) -> list[str]:
    """A date as people write it: 1975-06-21, 21/06/1975, 21 juin 1975."""
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        day.strftime("%d/%m/%y"),
        f"{day.day} {MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d} {MONTHS[day.month - 1]} {day.year}",
    ]


SEPARATORS = r"[\s.,;:/()@_+\-]*"
SPLIT_FROM = 4  # letters: a shorter word split by a space is read as the words it makes


def value_pattern(value: str) -> str:
    """A value as people write it, over a folded text (domain.plain_text): whatever its
    separators, its case or its accents, each word of it perhaps split by spaces (a group of
    its own: written_as_the_value says whether the split reads as the value or as prose). Read
    as whole words (View.find), never the inside of a longer word or number."""
    parts = []
    for n, token in enumerate(re.findall(r"[^\W\d_]+|[0-9]+", folded(value))):
        if token.isdigit():
            parts.append(SEPARATORS.join(token))  # 732 829 320 00074, 06.12.34.56.78
        elif len(token) >= SPLIT_FROM:
            parts.append(f"(?P<word{n}>" + r"\s*".join(map(re.escape, token)) + ")")
        else:
            parts.append(re.escape(token))
    return SEPARATORS.join(parts)


def written_as_the_value(text: str, view: View, match: re.Match[str]) -> bool:
    """Whether a match of value_pattern in the view of the text reads as the value: a word of
    it split into pieces that hold a function word reads as prose ("du pont", "le maire"),
    unless each piece starts with a capital, as a name's do ("Du Pont", "Le Maire")."""
    for group in match.re.groupindex:
        if match.group(group) is None:
            continue
        pieces = list(re.finditer(r"\S+", match.group(group)))
        if len(pieces) < 2 or not any(p.group() in FUNCTION_WORDS for p in pieces):
            continue
        starts = (view.origin[match.start(group) + p.start()] for p in pieces)
        if not all(text[i].isupper() for i in starts):
            return False
    return True
