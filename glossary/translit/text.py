"""Text handling shared by the transliteration trainer and the numpy model.

English words are lowercased and reduced to the model's input alphabet
(Latin letters, the accented letters frequent enough in training to have their
own symbol, apostrophe and hyphen).  Korean words are written as conjoining
jamo (Unicode NFD of Hangul syllables): initial consonants U+1100..U+1112,
vowels U+1161..U+1175 and final consonants U+11A8..U+11C2 are distinct code
points, so a jamo string composes back to syllables with NFC without ambiguity.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from corpus.errors import MtreviewError
from corpus.text import HANGUL_SYLLABLES
from glossary.jamo import CONJOINING_FINALS as FINALS
from glossary.jamo import CONJOINING_INITIALS as INITIALS
from glossary.jamo import CONJOINING_VOWELS as VOWELS

JAMO = INITIALS + VOWELS + FINALS

# Letters NFKD does not reduce to ASCII.
_SPECIAL_LATIN = {
    "ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "ð": "d",
    "þ": "th", "ı": "i", "ŀ": "l", "ħ": "h", "ŧ": "t", "ʻ": "'", "ʼ": "'",
    "’": "'", "‘": "'", "`": "'", "´": "'", "‐": "-", "‑": "-", "–": "-",
}
_HANGUL_WORD = re.compile(f"^[{HANGUL_SYLLABLES}]+$")
_ROMAN = re.compile(r"^(?=[MDCLXVI])M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")


class TransliterationInputError(MtreviewError):
    """A name the model cannot transliterate (non-Latin letters, nothing to transliterate...)."""

    def __init__(self, message: str, problem: str | None = None):
        super().__init__(message)
        self.problem = problem or message


def is_hangul_word(text: str) -> bool:
    return bool(_HANGUL_WORD.match(text))


def hangul_to_jamo(word: str) -> str:
    """'마이스키' -> conjoining jamo; raises ValueError on anything but Hangul syllables."""
    if not is_hangul_word(word):
        raise ValueError(f"not a word of Hangul syllables: {word!r}")
    return unicodedata.normalize("NFD", word)


def jamo_to_hangul(jamo: str) -> str:
    return unicodedata.normalize("NFC", jamo)


@functools.lru_cache(maxsize=4096)  # per character: folding every name of the NIKL list calls it 250k times
def fold_latin(ch: str) -> str:
    """One character -> its ASCII base letters ('é' -> 'e', 'ł' -> 'l'); '' for marks."""
    if ch in _SPECIAL_LATIN:
        return _SPECIAL_LATIN[ch]
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return base if base.isascii() else ch


def normalise_word(word: str, alphabet: frozenset[str] | None = None) -> str:
    """Lowercase a word and map each character into ``alphabet``.

    Characters in the alphabet are kept (so 'ü' stays 'ü' when the model knows
    it); others are folded to ASCII letters; other punctuation is dropped.
    With ``alphabet=None`` every Latin letter is kept as is (the trainer's
    first pass, before it knows which accented letters are frequent).
    Raises TransliterationInputError for letters outside the Latin script.
    """
    word = unicodedata.normalize("NFC", word.lower())
    out = []
    for ch in word:
        if alphabet is not None and ch in alphabet:
            out.append(ch)
            continue
        if alphabet is None and ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
            out.append(ch)
            continue
        folded = fold_latin(ch)
        for c in folded:
            if "a" <= c <= "z" or c in "'-":
                out.append(c)
            elif c.isalpha():
                problem = f"{c!r} ({unicodedata.name(c, 'unknown')}) is not a Latin letter the model can read"
                raise TransliterationInputError(f"cannot transliterate {word!r}: {problem}", problem)
            # digits, periods and other punctuation carry no sound: dropped
    return "".join(out).strip("'-")


def is_initial(token: str) -> bool:
    """'H.' or 'H' (a lone capital letter) or 'H.G.' -- written as initials, not transliterated."""
    return bool(re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]", token))


def roman_numeral_value(token: str) -> int | None:
    """'IX' -> 9 for regnal numbers; None for anything else (a lone 'I'/'V'/'X' counts)."""
    if not token or not _ROMAN.match(token):
        return None
    values = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
    total = 0
    for a, b in zip(token, token[1:] + " "):
        v = values[a]
        total += -v if b != " " and values[b] > v else v
    return total


def split_name(name: str) -> list[str]:
    """Split a name into tokens on whitespace and commas; 'H.G.' becomes 'H.', 'G.'."""
    tokens = []
    for raw in re.split(r"[\s,]+", name.strip()):
        if not raw:
            continue
        if re.fullmatch(r"(?:[A-Z]\.){2,}", raw):
            tokens.extend(raw[i:i + 2] for i in range(0, len(raw), 2))
        else:
            tokens.append(raw)
    return tokens
