"""The text written for the commission as plain French prose: normalised, its characters
checked, and the views the identifier checks read.

A text that hides a name or a number behind Unicode (a zero-width space or a soft hyphen inside
a word, a Cyrillic "о" in a Latin name, fullwidth or Arabic-Indic digits, an accent left as a
combining mark) is refused, never guessed at: French prose needs none of it. What is left is
read in a folded view (lower case, no accents, one character for each, so positions hold) and a
joined view (letters spaced out or split by punctuation put back together), so that "c h i m i o"
or "Flo.ch" is found like "chimio" or "Floch".
"""

import re
import unicodedata
from dataclasses import dataclass

# Letters French prose may use: those of Latin-1 and the ligature and capital Latin-1 lacks.
EXTRA_LETTERS = frozenset("ŒœŸ")
# Compatibility characters French typography uses, read as what they stand for.
TYPOGRAPHIC = frozenset("…²³º")
LINE_BREAKS = frozenset("\n\r\t")


def normalised(text: str) -> str:
    """The text as stored: Unicode NFC (an "é" typed as "e" and an accent becomes one "é")."""
    return unicodedata.normalize("NFC", text)


def _kind(c: str) -> str | None:
    """What is wrong with this character in French prose, or None."""
    if c in LINE_BREAKS:
        return None
    category = unicodedata.category(c)
    if category[0] == "C" or category in ("Zl", "Zp"):
        return "an invisible or control character (zero-width, soft hyphen, direction mark...)"
    if category[0] == "M":
        return "a combining mark (type the accented letter itself)"
    if category[0] == "L" and not (ord(c) < 0x100 or c in EXTRA_LETTERS):
        return "a letter outside the Latin alphabet French uses (another script or a look-alike)"
    if category[0] == "N" and not ("0" <= c <= "9" or c in TYPOGRAPHIC):
        return "a digit other than 0-9"
    if category != "Zs" and c not in TYPOGRAPHIC and unicodedata.normalize("NFKC", c) != c:
        return "a character standing for other letters or signs (a wide, styled or combined form)"
    return None


@dataclass(frozen=True)
class OddCharacters:
    """Characters of one kind that plain prose does not hold: where the first is, how many."""

    what: str
    first: int
    count: int


def odd_characters(text: str) -> list[OddCharacters]:
    """The characters of the (normalised) text that French prose does not use, by kind."""
    found: dict[str, OddCharacters] = {}
    for i, c in enumerate(text):
        what = _kind(c)
        if what is None:
            continue
        seen = found.get(what)
        found[what] = OddCharacters(what, seen.first if seen else i, seen.count + 1 if seen else 1)
    return sorted(found.values(), key=lambda odd: odd.first)


def folded(text: str) -> str:
    """The text in lower case without accents, any space a plain space, "²" a "2": one
    character for each, so that positions still hold."""
    out = []
    for c in text:
        if unicodedata.category(c) == "Zs":
            out.append(" ")
        else:
            out.append((unicodedata.normalize("NFKD", c)[:1] or c).lower())
    return "".join(out)


# A run of single letters spaced out ("c h i m i o", "c.h.i.m.i.o", "F - l - o - c - h"), and a
# word split by one sign ("can-cer", "flo.ch", "ca*ncer"); apostrophes and hyphens between whole
# words stay (l'hépatite, rez-de-chaussée read as written).
SPACED_OUT = re.compile(r"(?<![a-z0-9])[a-z](?:[^a-z0-9]{1,3}[a-z](?![a-z0-9])){2,}")
SPLIT_BY_A_SIGN = re.compile(r"(?<=[a-z])[.·•*_/|+~^\-](?=[a-z])")


@dataclass(frozen=True)
class View:
    """A rewriting of the folded text, with where each of its characters was in the text."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where [start, end) of this view was in the text."""
        return self.origin[start], self.origin[end - 1] + 1


def joined(text: str) -> View:
    """The folded text with letters spaced out, or split by a sign, put back together."""
    flat = folded(text)
    dropped: set[int] = set()
    for match in SPACED_OUT.finditer(flat):
        dropped.update(i for i in range(match.start(), match.end()) if not flat[i].isalpha())
    dropped.update(match.start() for match in SPLIT_BY_A_SIGN.finditer(flat))
    kept = tuple(i for i in range(len(flat)) if i not in dropped)
    return View("".join(flat[i] for i in kept), kept)
