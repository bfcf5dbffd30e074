"""What looks like anyone's identifier in the text for the commission, by its shape: a NIR,
SIRET or SIREN, IBAN, e-mail, phone, web address, a record's id or a dossier's reference, a
street address (domain.person_names finds people's names).

A street is found whatever its case with its number ("14 rue siam", "4, place du marché"), or
after a word that names nothing but a street or an abbreviated type ("avenue foch", "quai de la
douane", "r. de siam", "bd haussmann"), unless what follows is a function word or a word that
describes a street in prose ("la rue commerçante", "la rue restera fermée"), the rue is the one
people end up in ("se retrouve à la rue faute de revenus"), or the bd a bande dessinée ("des BD
anciennes"). A word also used in prose (place, cours, chemin, route,
allée, passage, cité, résidence...: "mise en place d'un échéancier", "elle est allée") names a
street when a capital follows.
"""

import re
from collections.abc import Iterator

from domain.dossier_identifiers import (
    ABBREVIATED_STREET_TYPES,
    ARTICLES,
    STREET_TYPES,
    STREET_WORDS,
)
from domain.person_names import UPPER, names
from domain.plain_text import FUNCTION_WORDS, folded, folded_words

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
WORD = r"\w[\w'’\-]*"
STREET = re.compile(
    rf"(?<!\w)[0-9]{{1,4}}\s*(?i:bis|ter)?,?\s+(?i:{STREET_TYPES})\s+{ARTICLE}{WORD}"
    rf"|(?<!\w)(?i:lotissement)\s+(?i:de\s+la|de\s+l['’]|du|des|de|d['’])\s*{WORD}"
    rf"|(?<!\w)(?i:{STREET_WORDS})\s+{ARTICLE}[{UPPER}0-9][\w'’\-]*"
)
STREETS_ONLY = (
    r"rue|ruelle|avenue|boulevard|quai|impasse|venelle|faubourg|lieu-dit|square|esplanade"
)
NAMED_STREET = re.compile(
    rf"(?<![\w\-])(?P<type>(?i:{STREETS_ONLY}|{ABBREVIATED_STREET_TYPES}))(?:\s+|(?<=\.))"
    rf"{ARTICLE}(?P<name>[^\W\d_][\w'’\-]*)"
)
# What follows a street's word in prose: how a street is, or what is said of it.
STREET_PROSE = FUNCTION_WORDS | folded_words(
    """commerçante commerçantes commerçant commerçants commerciale commercial piétonne piétonnier
    principale principal marchande voisine voisin adjacente adjacent parallèle perpendiculaire
    barrée barré fermée fermé déserte désert animée animé passante passant calme étroite étroit
    bondée entière entier concernée concerné neuve neuf refaite refait centrale central faute
    financière financier budgétaire juridique administrative totale trésorerie chargement
    déchargement livraison livraisons reste restera restait restent resteront devient deviendra
    demeure rouvre rouvrira rouvrent rouvriront rouverte rouvert fermera fermait ferment
    fermeront"""
)
IN_THE_STREET = re.compile(r"(?<!\w)[àa]\s+la\s+\Z", re.IGNORECASE)  # à la rue: homeless
# "des BD anciennes", "la BD jeunesse": after these words a bd is a bande dessinée.
COMIC_BEFORE = re.compile(
    r"(?<![\w'’])(?:la|une|les|des|de|en|d['’]|ces|cette|ma|sa|mes|ses|nos|vos|leurs)\s*\Z",
    re.IGNORECASE,
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
)


def _streets(text: str) -> Iterator[tuple[int, int]]:
    yield from (match.span() for match in STREET.finditer(text))
    for match in NAMED_STREET.finditer(text):
        name, kind = folded(re.split(r"['’]", match.group("name"))[0]), folded(match.group("type"))
        homeless = kind == "rue" and IN_THE_STREET.search(text, 0, match.start())
        comic = kind == "bd" and COMIC_BEFORE.search(text, 0, match.start())
        if name not in STREET_PROSE and not homeless and not comic:
            yield match.span()


def shapes(text: str) -> Iterator[list[tuple[str, int, int]]]:
    """Anyone's identifiers in the text, by their shape: a list of (what, start, end) for each
    shape, the most telling first."""
    for what, pattern in SHAPES:
        yield [(what, *match.span()) for match in pattern.finditer(text)]
    yield [("a street address", *span) for span in _streets(text)]
    yield [("a person's name", *span) for span in names(text)]
    yield [(_number(match), *match.span()) for match in LONG_NUMBER.finditer(text)]
