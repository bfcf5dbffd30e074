"""What looks like a person's name in the text for the commission, whoever they are.

A civility (Monsieur, Madame, Mademoiselle, M., Mme, Mlle, Mr, ..., also m. or M without its
period) followed by a word that is not a function word, whatever the case ("madame martin",
"m dupont"; "Madame a fermé" and "3 m de façade" name nobody); one to three initials followed by
such a word ("p. martin", "J.-P. Martin"; not a page, "p. 12", nor a label, "le plan B. Activité");
a title (Dr, Me, Pr, docteur, maître, professeur) followed by a capital ("Maître Le Goff", not
"maître artisan"); two capitalised words ("Jean Dupont", "Jean DUPONT"), the first not a word
that starts a sentence or names an institution; two words in capitals ("PIERRE MARTIN",
"JEAN-MARC LE GALL") that are not acronyms, function words nor such words; a common first name
(domain.first_names) followed by a word that is not a function word ("pierre martin"), or joined
to one by a hyphen ("pierre-martin", "Jean-Pierre"). A lone surname, or a single first name
before a function word ("Pierre a repris"), is not caught.
"""

import re
from collections.abc import Iterator

from domain.first_names import FIRST_NAMES
from domain.plain_text import FUNCTION_WORDS, folded, folded_words

UPPER = "A-ZÀ-ÖØ-Þ"
LOWER = "a-zß-öø-ÿ"
NAME_WORD = rf"(?:[{UPPER}][{LOWER}'’]+(?:-[{UPPER}][{LOWER}]+)*|[{UPPER}]{{2,}}(?![{LOWER}]))"
PARTICLE = r"(?:[Dd]e\s+[Ll]a|[Ll]e|[Ll]a|[Dd]e|[Dd]u|[Dd]es|[Vv]an|[Vv]on|[Dd]['’])"
ANY_WORD = r"[^\W\d_]{2,}[\w'’\-]*"  # two letters at least: "M. X" names nobody
CIVILITY = re.compile(
    r"(?<!\w)(?:(?P<m>(?i:mm?)\.?)|(?i:mr\.?|mme\.?|mmes\.?|mlle\.?|mlles\.?|monsieur|madame"
    r"|mademoiselle|messieurs|mesdames|mesdemoiselles))"
    rf"\s+(?:{PARTICLE}\s*{NAME_WORD}|(?i:de\s+la|le|la|du|des|de|d['’])\s*(?P<named>{ANY_WORD})"
    rf"|(?P<word>{ANY_WORD}))"
)
# "3 m de façade", "au m de vitrine", "trois m" are metres and "taille M" a size, never Monsieur.
A_MEASURE_BEFORE = re.compile(
    r"(?:[0-9]|(?<![\w'’])(?i:au|le|du|un|par|chaque|quelques|plusieurs|deux|trois|quatre|cinq"
    r"|six|sept|huit|neuf|dix|vingt|trente|quarante|cinquante|cent|mille|tailles?))\s*\Z"
)
INITIALS = re.compile(
    rf"(?<![\w.'’\-])(?P<initials>(?:[^\W\d_]\.[\s\-]*){{1,3}})(?P<word>{ANY_WORD})"
)
# Initials that are abbreviations (N.B., P.S., R.A.S., P.J., P.V.), words that follow "p." in
# prose (p. ex., p. suivante), and what a letter closes when it labels something (plan B.).
NOT_INITIALS = frozenset({"nb", "ps", "ras", "pj", "pv"})
PROSE_AFTER_AN_INITIAL = folded_words("ex suiv suivante suivantes précédente précédentes")
LABELS = folded_words(
    """plan annexe option taille classe catégorie type zone lot bâtiment étage niveau groupe
    série phase étape point pièce scénario volet article tableau section partie bloc escalier
    hall porte note case vitamine"""
)
HYPHENATED = re.compile(
    r"(?<![\w'’\-])(?P<first>[^\W\d_]+)-(?P<last>[^\W\d_]{2,})(?:-[^\W\d_]+)*(?![\w'’\-])"
)
TITLE = re.compile(
    r"(?<!\w)(?:Me|Dr\.?|Pr\.?|(?i:docteur|ma[iî]tre|professeur))"
    rf"\s+(?:{PARTICLE}\s*)?{NAME_WORD}"
)
# Each pattern looks ahead only, so that a pair of words is tried from each word in turn:
# "Selon Jean Dupont" is "Jean Dupont" once "Selon Jean" is not a name.
FULL_NAME = re.compile(
    rf"(?<![\w'’])(?=(?P<first>[{UPPER}][{LOWER}]+(?:-[{UPPER}][{LOWER}]+)?)\s+"
    rf"(?:(?:[Ll]e|[Dd]e|[Dd]u|[Vv]an)\s+)?(?P<last>{NAME_WORD}))"
)
CAPITALS_WORD = rf"[{UPPER}]{{2,}}(?:-[{UPPER}]{{2,}})*(?![\w'’])"
CAPITALS = re.compile(
    rf"(?<![\w'’\-])(?=(?P<first>{CAPITALS_WORD})\s+(?:(?:LE|LA|DE|DU|DES)\s+|D['’])?"
    rf"(?P<last>{CAPITALS_WORD}))"
)
FIRST_NAME_THEN_A_WORD = re.compile(
    r"(?<![\w'’\-])(?=(?P<first>[^\W\d_]+)(?:-[^\W\d_]+)*\s+(?P<last>[^\W\d_]{2,}[\w'’\-]*))"
)
# Capitalised words that start a sentence or name an institution, not a person.
NOT_A_FIRST_NAME = FUNCTION_WORDS | folded_words(
    """depuis suite malgré avis activité baisse perte travaux difficulté dossier demande aide
    situation assurance sécurité caisse chambre conseil tribunal crise région grand centre pays
    haute hauts basse nouvelle commission séance cotisations contributions france banque commerce
    industrie métiers artisanat travail justice finances impôts trésor pôle maison mairie
    préfecture ville département agence direction service fonds prêt dette plan bilan compte
    crédit chiffre total urgent"""
)
# What follows "Monsieur le", "Madame la": an office, not a name.
OFFICES = folded_words(
    """maire adjoint adjointe président présidente directeur directrice juge préfet préfète
    ministre commissaire procureur procureure député députée sénateur sénatrice conseiller
    conseillère gérant gérante médiateur médiatrice secrétaire trésorier trésorière bâtonnier
    demandeur demandeuse requérant requérante intéressé intéressée"""
)
# What follows a first name that is also an everyday noun (la pierre, un jean).
EVERYDAY_AFTER = folded_words(
    """naturelle sèche taillée précieuse précieuses tombale ponce calcaire reconstituée bleue
    brut brute slim délavé pêcheur pêcheurs"""
)
ACRONYMS = frozenset(
    """ACED AFE FCI ADR CASS CPSTI URSSAF CGSS CARSAT CPAM CAF MSA HELP RIB TVA BTP TPE PME SARL
    EURL SAS SASU EI EIRL SIRET SIREN NIR IBAN COVID CA HT TTC EBE BFR PGE RSA SMIC CFE CMA CCI
    RCS INSEE DGFIP SIE SCI SNC SA SCOP VTC AE IJ ARE CMU CSS VIH SIDA AVC BPCO SEP SLA TCA TMS
    TOC IVG PMA FIV HTA TDAH AAH ALD RQTH MDPH""".split()  # noqa: SIM905 (medical ones too)
)


def _a_word(word: str) -> bool:
    """Whether the word (its part before an apostrophe) names something: not a function word."""
    return folded(re.split(r"['’]", word)[0]) not in FUNCTION_WORDS


def _pair(match: re.Match[str]) -> tuple[int, int]:
    return match.start("first"), match.end("last")


def _initials(text: str) -> Iterator[tuple[int, int]]:
    for match in INITIALS.finditer(text):
        letters = folded("".join(c for c in match.group("initials") if c.isalpha()))
        before = re.findall(r"[^\W\d_]+|[0-9]", text[: match.start()])[-1:]
        if (
            _a_word(match.group("word"))
            and letters not in NOT_INITIALS
            and folded(match.group("word")) not in PROSE_AFTER_AN_INITIAL
            and not (before and (before[0].isdigit() or folded(before[0]) in LABELS))
        ):
            yield match.span()


def names(text: str) -> Iterator[tuple[int, int]]:
    """Where the text holds what looks like a person's name."""
    for match in CIVILITY.finditer(text):
        word, named = match.group("word"), match.group("named")
        if match.group("m") and A_MEASURE_BEFORE.search(text, 0, match.start()):
            continue
        if named is not None:
            if _a_word(named) and folded(named) not in OFFICES:
                yield match.span()
        elif word is None or _a_word(word):
            yield match.span()
    yield from _initials(text)
    yield from (match.span() for match in TITLE.finditer(text))
    for match in FULL_NAME.finditer(text):
        first, last = match.group("first"), match.group("last")
        if folded(first) not in NOT_A_FIRST_NAME and last.upper() not in ACRONYMS:
            yield _pair(match)
    for match in CAPITALS.finditer(text):
        first, last = match.group("first"), match.group("last")
        if folded(first) not in NOT_A_FIRST_NAME and _a_word(last) and not {first, last} & ACRONYMS:
            yield _pair(match)
    for match in FIRST_NAME_THEN_A_WORD.finditer(text):
        last = match.group("last")
        first_name = folded(match.group("first")) in FIRST_NAMES
        if first_name and _a_word(last) and folded(last) not in EVERYDAY_AFTER:
            yield _pair(match)
    for match in HYPHENATED.finditer(text):
        first, last = folded(match.group("first")), match.group("last")
        if first in FIRST_NAMES and _a_word(last) and folded(last) not in EVERYDAY_AFTER:
            yield match.span()
