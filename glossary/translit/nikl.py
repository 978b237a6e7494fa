"""The NIKL usage list (국립국어원 외래어 표기 용례): the official standard spellings of foreign names.

    >>> table = NiklTable.load()
    >>> table.lookup("Churchill")              # Hit(spellings=('처칠',), how='exact')
    >>> table.lookup("CHÂLONS-SUR-MARNE")      # how='folded': case, diacritics, hyphens folded
    >>> table.lookup("Winston Churchill")      # how='words': each word of the name found on its own

The shipped table (glossary/data/nikl/usage.tsv; provenance and licence in
glossary/data/nikl/SOURCE.md) holds English or romanised forms and their
Hangul; a name can have several spellings (George: 조지 in English,
게오르게 in German), the most frequent in the list first.

:func:`split_of` is the fixed dev/test split of the list by a hash of the
folded English, so the transliteration model is chosen on 'dev' and reported
on 'test', and never trained on either.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from glossary.translit.text import TransliterationInputError, fold_latin, is_hangul_word, normalise_word

__all__ = ["NiklTable", "Hit", "is_acronym", "fold", "split_of", "DEFAULT_TABLE", "default_table", "TEST_PERCENT",
           "DEV_PERCENT", "entry_word_pairs", "entry_words", "training_word_pairs"]

DEFAULT_TABLE = Path(__file__).resolve().parent.parent / "data" / "nikl" / "usage.tsv"
TEST_PERCENT = 10
DEV_PERCENT = 10


def fold(text: str) -> str:
    """The key a name is looked up by when its exact form is not in the table: lowercase, diacritics
    and special Latin letters folded to ASCII, hyphens and runs of spaces as one space."""
    text = unicodedata.normalize("NFC", text)
    out = "".join(fold_latin(ch) for ch in text.lower())  # fold_latin is memoised per character: the table's
    out = _SPACES.sub(" ", out)                             # 30,000 names fold in ~0.05 s
    return out.strip(" .,'")


_SPACES = re.compile(r"[-\s]+")


def split_of(english: str) -> str:
    """'train', 'dev' or 'test' for an entry of the list, fixed by the SHA-1 of its folded English
    (so 'George' and 'GEORGE' fall together, and the split does not depend on row order)."""
    bucket = int.from_bytes(hashlib.sha1(fold(english).encode("utf-8")).digest()[:4], "big") % 100
    if bucket < TEST_PERCENT:
        return "test"
    if bucket < TEST_PERCENT + DEV_PERCENT:
        return "dev"
    return "train"


def is_acronym(english: str) -> bool:
    """'LRCS', 'GANEFO': read letter by letter or as a word, not a name to transliterate by its spelling."""
    letters = [c for c in english if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Hit:
    """The standard spellings found for a name, and how: 'exact', 'folded' or 'words' (word by word)."""
    spellings: tuple[str, ...]
    how: str


class NiklTable:
    """English (or romanised) form -> standard Hangul spellings; use :meth:`load`."""

    def __init__(self, pairs):
        # The list repeats a row once per person it covers (George -> 조지 24 times, 게오르게 once):
        # a name's spellings are ordered by how many rows give them, then by the order of the list.
        counts: dict[str, dict[str, int]] = {}
        folded_counts: dict[str, dict[str, int]] = {}
        for english, korean in pairs:
            for index, key in ((counts, english), (folded_counts, fold(english))):
                spellings = index.setdefault(key, {})
                spellings[korean] = spellings.get(korean, 0) + 1
        self.exact = {k: sorted(v, key=lambda ko, v=v: -v[ko]) for k, v in counts.items()}
        self.folded = {k: sorted(v, key=lambda ko, v=v: -v[ko]) for k, v in folded_counts.items()}

    @classmethod
    def load(cls, path: str | Path | None = None, *, exclude_splits: frozenset[str] = frozenset()) -> "NiklTable":
        """Read a two-column TSV with the header ``english<TAB>korean``; ``exclude_splits`` leaves out
        the entries of those :func:`split_of` splits (the benches' lookup without the test split)."""
        from corpus.errors import InputError
        path = Path(path) if path else DEFAULT_TABLE
        pairs = []
        with open(path, encoding="utf-8") as f:
            header = f.readline().rstrip("\n")
            if header != "english\tkorean":
                raise InputError(path, f"expected the header 'english<TAB>korean', got {header!r}", line=1)
            for n, line in enumerate(f, start=2):
                cols = line.rstrip("\n").split("\t")
                if len(cols) != 2 or not cols[0].strip() or not cols[1].strip():
                    raise InputError(path, "expected two non-empty tab-separated columns", line=n)
                if exclude_splits and split_of(cols[0]) in exclude_splits:
                    continue
                pairs.append((cols[0].strip(), cols[1].strip()))
        return cls(pairs)

    def __len__(self) -> int:
        return len(self.exact)

    def _whole(self, name: str) -> Hit | None:
        if name in self.exact:
            return Hit(tuple(self.exact[name]), "exact")
        key = fold(name)
        if key in self.folded:
            return Hit(tuple(self.folded[key]), "folded")
        return None

    def lookup_word(self, word: str) -> tuple[str, ...]:
        """The spellings of one word of a name (exact, then folded), () when the table lacks it."""
        hit = self._whole(word)
        return hit.spellings if hit else ()

    def lookup(self, name: str) -> Hit | None:
        """The standard spellings of ``name``: the whole name exactly, then folded, then word by word
        (every word must be in the table; the words' first spellings are joined with spaces, as the
        list writes personal names: 'James Cronin' -> '제임스 크로닌')."""
        name = " ".join(name.split())
        if not name:
            return None
        hit = self._whole(name)
        if hit is not None:
            return hit
        words = name.split(" ")
        if len(words) < 2:
            return None
        # one-word spellings only: the list spells some words with a generic noun (Montenegro 몬테네그로 공화국)
        per_word = [tuple(s for s in self.lookup_word(w) if " " not in s) for w in words]
        if not all(per_word):
            return None
        return Hit((" ".join(s[0] for s in per_word),), "words")


@functools.lru_cache(maxsize=1)
def default_table() -> NiklTable:
    """The shipped table, loaded once per process."""
    return NiklTable.load()


def entry_word_pairs(english: str, korean: str) -> list[tuple[str, str]]:
    """The (normalised English word, Hangul word) pairs of one list entry; [] when its words cannot be
    paired one to one, or it is an acronym ('LRCS' -> 엘아르시에스 is read letter by letter)."""
    if is_acronym(english):
        return []
    en_words, ko_words = english.split(), korean.split()
    if len(en_words) != len(ko_words):
        return []
    out = []
    for en, ko in zip(en_words, ko_words):
        try:
            word = normalise_word(en)
        except TransliterationInputError:
            return []
        if not word or not is_hangul_word(ko):
            return []
        out.append((word, ko))
    return out


def entry_words(english: str) -> set[str]:
    """The normalised words of an entry's English."""
    out = set()
    for en in english.split():
        try:
            out.add(normalise_word(en))
        except TransliterationInputError:
            pass
    return out


def training_word_pairs(path: str | Path | None = None) -> list[tuple[str, str]]:
    """The word pairs of the list's 'train' entries whose English word is in no dev or test entry, each
    once, in list order: what the transliteration models and the re-ranker's n-gram model learn from
    (training/translit/nikl_pairs.py), so the dev and test figures measure words never seen."""
    entries = []
    with open(Path(path) if path else DEFAULT_TABLE, encoding="utf-8") as f:
        next(f)
        for line in f:
            if line.strip():
                en, ko = line.rstrip("\n").split("\t")
                entries.append((en, ko))
    held: set[str] = set()
    for en, _ in entries:
        if split_of(en) != "train":
            held |= entry_words(en)
    seen, out = set(), []
    for en, ko in entries:
        if split_of(en) == "train":
            for pair in entry_word_pairs(en, ko):
                if pair[0] not in held and pair not in seen:
                    seen.add(pair)
                    out.append(pair)
    return out
