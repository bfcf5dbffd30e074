"""The text written for the commission as plain French prose: normalised, its characters
checked, and the views the identifier checks read.

A text that hides a name or a number behind Unicode (a zero-width space or a soft hyphen inside
a word, a Cyrillic "о" in a Latin name, fullwidth or Arabic-Indic digits, an accent left as a
combining mark) is refused, never guessed at: French prose needs none of it. What is left is
read in a folded view (lower case, no accents, one character for each, so positions hold), a
joined view (letters spaced out or split by punctuation put back together), so that "c h i m i o"
or "Flo.ch" is found like "chimio" or "Floch", and both again with the digits that stand for
letters inside a word read as those letters ("canc3r", "ch1mio").
"""

import re
import unicodedata
from collections.abc import Callable
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


def folded_words(words: str) -> frozenset[str]:
    """Words written one after the other, as the folded text reads them."""
    return frozenset(folded(words).split())


# The words French prose is built with, which name nothing (nor anyone): articles, prepositions,
# pronouns, conjunctions, auxiliaries, a few adverbs, numbers in letters, elided forms (l', qu').
FUNCTION_WORDS = folded_words(
    """le la les l un une des du de d au aux à a dans en par pour sur sous avec sans chez vers
    entre contre depuis pendant avant après selon malgré durant dès lors via et ou où mais donc
    car ni que qu quand si comme lorsque lorsqu puisque puisqu jusqu quoique je j tu il elle on
    nous vous ils elles me m te t se s lui leur leurs y ce c ça cela ceci celui celle ceux celles
    qui dont quoi mon ma mes ton ta tes son sa ses notre nos votre vos cet cette ces ai as avons
    avez ont avait avaient aura auront aurait eu est es sommes êtes sont était étaient sera
    seront serait été fut ne n pas plus jamais rien aussi très trop déjà encore toujours bien mal
    peu beaucoup tant tout toute tous toutes même seul seule seuls seules ici puis ensuite alors
    enfin chaque autre autres aucun aucune plusieurs certains certaines quelque quelques zéro un
    deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt
    trente quarante cinquante soixante cent cents mille"""
)


# A run of single letters spaced out ("c h i m i o", "c.h.i.m.i.o", "F - l - o - c - h"), and a
# word split by one sign ("can-cer", "flo.ch", "ca*ncer"); apostrophes and hyphens between whole
# words stay (l'hépatite, rez-de-chaussée read as written).
SPACED_OUT = re.compile(r"(?<![a-z0-9])[a-z](?:[^a-z0-9]{1,3}[a-z](?![a-z0-9])){2,}")
SPLIT_BY_A_SIGN = re.compile(r"(?<=[a-z])[.·•*_/|+~^\-](?=[a-z])")
# Digits typed for the letters they look like, inside a word of at least two letters, whole or
# split by signs ("canc3r", "k3rbrat", "c-4-n-c-3-r"); a code such as T4, Q1, F3 or m2 has one
# letter and stays as written. A 1 is an i or an l: each is a view of its own.
WORD_OR_CODE = re.compile(r"[a-z0-9]+(?:[.·•*_/|+~^\-][a-z0-9]+)*")
LOOK_ALIKES = tuple(str.maketrans("01345789", f"o{one}eastbg") for one in "il")


@dataclass(frozen=True)
class View:
    """A rewriting of the folded text, with where each of its characters was in the text, and
    where letters spaced out or split by a sign meet (each letter of such a run may start or end
    a word: "kerbrat" is found in "k e r b r a t a")."""

    text: str
    origin: tuple[int, ...]
    breaks: frozenset[int] = frozenset()

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Where [start, end) of this view was in the text."""
        return self.origin[start], self.origin[end - 1] + 1

    def starts_a_word(self, i: int) -> bool:
        return self.text[i].isalnum() and (
            i == 0 or not self.text[i - 1].isalnum() or i in self.breaks
        )

    def ends_a_word(self, i: int) -> bool:
        return i == len(self.text) or not self.text[i].isalnum() or i in self.breaks

    def find(
        self,
        pattern: re.Pattern[str],
        *,
        whole_words: bool,
        keep: Callable[["View", re.Match[str]], bool] | None = None,
    ) -> list[tuple[int, int]]:
        """Where in the text the pattern matches from the start of a word of this view (and ends
        at the end of one, for whole words), each match the keep function keeps."""
        found = []
        for start in range(len(self.text)):
            match = pattern.match(self.text, start) if self.starts_a_word(start) else None
            if not match or match.end() == start or (keep and not keep(self, match)):
                continue
            if not whole_words or self.ends_a_word(match.end()):
                found.append(self.span(start, match.end()))
        return found


def joined(flat: str, origin: tuple[int, ...]) -> View:
    """The (folded) text with letters spaced out, or split by a sign, put back together."""
    dropped: set[int] = set()
    for match in SPACED_OUT.finditer(flat):
        dropped.update(i for i in range(match.start(), match.end()) if not flat[i].isalpha())
    dropped.update(match.start() for match in SPLIT_BY_A_SIGN.finditer(flat))
    kept = tuple(i for i in range(len(flat)) if i not in dropped)
    breaks = frozenset(n for n, i in enumerate(kept) if n and kept[n - 1] != i - 1)
    return View("".join(flat[i] for i in kept), tuple(origin[i] for i in kept), breaks)


def _read_as_letters(flat: str, look_alikes: dict[int, int]) -> str:
    def read(match: re.Match[str]) -> str:
        word = match.group()
        letters = sum(c.isalpha() for c in word)
        return word.translate(look_alikes) if letters >= 2 else word

    return WORD_OR_CODE.sub(read, flat)


def views_of(text: str) -> list[View]:
    """The folded text and its joined view, and both again with the digits inside words read as
    the letters they stand for: each view once."""
    flat = folded(text)
    readings = [flat]
    for look_alikes in LOOK_ALIKES:
        read = _read_as_letters(flat, look_alikes)
        if read not in readings:
            readings.append(read)
    origin = tuple(range(len(flat)))
    found: list[View] = []
    for read in readings:
        for view in (View(read, origin), joined(read, origin)):
            if view.text not in {seen.text for seen in found}:
                found.append(view)
    return found
