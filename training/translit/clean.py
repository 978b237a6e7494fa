"""Clean the Wikidata English->Korean person-name pairs into word pairs and split them.

    PYTHONPATH=. python -m training.translit.clean SHARED/data/names/wd_korean.tsv --out build/translit

Rows that are translations rather than transliterations are dropped: 'X of Y'
and 'X the Great' names, regnal and other numbers (Roman or Arabic), initials,
brackets, and Korean labels with anything but Hangul.  Multi-word names are
split into word pairs when both sides have the same number of words.  A word
pair is dropped when its Korean starts with a consonant that almost never
renders the English word's first letter in the data (this catches reordered
names such as 'Hayao Miyazaki -> 미야자키 하야오' that the row-level order check
missed, and Sino-Korean readings), or when the length ratio is implausible.
Rows whose Korean words are in reverse order (by the transliteration cost table of
glossary/translit_score.py) are paired in reverse, and word pairs that table cannot
explain at all ('uncle -> 아저씨') are dropped.  The split is by English word (a hash of the
normalised word), so no held-out word is ever seen in training; it does not
depend on row order or on Python's hash seed.
"""
from __future__ import annotations

import argparse
import collections
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from corpus.errors import InputError
from glossary.translit_score import default_scorer
from glossary.translit.text import (TransliterationInputError, fold_latin, hangul_to_jamo,
                                    is_hangul_word, is_initial, normalise_word, roman_numeral_value,
                                    split_name)

TEST_PERCENT = 5
DEV_PERCENT = 2
# Summed cost-table margin (glossary/translit_score.py, per-unit costs) by which the reversed Korean
# word order must beat the given one before a row is paired in reverse.
REORDER_MARGIN = 0.25
# Per-unit cost above which a word pair is not a transliteration ('uncle -> 아저씨', 'anna -> 이시이'):
# the worst 0.1% of the reordered pairs, nearly all of them unrelated names or translations.
MAX_PAIR_COST = 2.25
# Words that mark a translated title rather than a transliterated name.
_TRANSLATION_MARKERS = {"of", "the", "saint", "st", "pope", "king", "queen", "prince", "princess",
                        "emperor", "duke", "lord", "sir", "jr", "sr"}


@dataclass(frozen=True)
class WordPair:
    english: str   # normalised (lowercase, Latin letters, ' and -)
    korean: str    # Hangul syllables


def split_of(english: str) -> str:
    """'train', 'dev' or 'test' for a normalised English word, fixed by its SHA-1."""
    bucket = int.from_bytes(hashlib.sha1(english.encode("utf-8")).digest()[:4], "big") % 100
    if bucket < TEST_PERCENT:
        return "test"
    if bucket < TEST_PERCENT + DEV_PERCENT:
        return "dev"
    return "train"


def row_word_pairs(english: str, korean: str) -> list[tuple[str, str]] | None:
    """The (normalised English word, Korean word) pairs of one row, or None when the row is dropped."""
    if re.search(r"[()\[\]\d/&]", english) or re.search(r"[()\[\]\d]", korean):
        return None
    en_tokens = split_name(english)
    # Korean labels join hyphenated given names either way (앙드레-피에르 / 앙드레피에르).
    ko_tokens = korean.replace("-", "").replace("‐", "").split()
    if not en_tokens or len(en_tokens) != len(ko_tokens):
        return None
    pairs = []
    for en, ko in zip(en_tokens, ko_tokens):
        if en.lower().strip(".") in _TRANSLATION_MARKERS or is_initial(en) or (
                roman_numeral_value(en) is not None and len(en) >= 2):
            return None
        if not is_hangul_word(ko):
            return None
        try:
            word = normalise_word(en)
            normalise_word(word, frozenset())   # every letter must also fold to ASCII
        except TransliterationInputError:
            return None   # a Cyrillic or CJK English label
        if not word or not re.search(r"[^'-]", word):
            return None
        pairs.append((word, ko))
    return pairs


def _first_letter(word: str) -> str:
    return fold_latin(word.lstrip("'-")[0])[:1]


def _first_sound_counts(pairs) -> tuple[collections.Counter, collections.Counter]:
    first: collections.Counter = collections.Counter()
    per_letter: collections.Counter = collections.Counter()
    for en, ko in pairs:
        letter = _first_letter(en)
        first[letter, hangul_to_jamo(ko)[0]] += 1
        per_letter[letter] += 1
    return first, per_letter


def clean(path: str | Path) -> tuple[list[WordPair], dict[str, int]]:
    """Read the TSV and return deduplicated word pairs (sorted) with counts of what was dropped."""
    stats: collections.Counter[str] = collections.Counter()
    rows: list[list[tuple[str, str]]] = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line:
                continue
            cols = line.split("\t")
            if len(cols) != 2:
                raise InputError(path, f"expected 2 tab-separated columns, got {len(cols)}", line=lineno)
            stats["rows"] += 1
            pairs = row_word_pairs(cols[0].strip(), cols[1].strip())
            if pairs is None:
                stats["rows_dropped_translation_or_count"] += 1
                continue
            rows.append(pairs)

    # Reordered names (Japanese and Hungarian labels written family name first
    # on one side only, 'Kazuo Ishiguro -> 이시구로 가즈오'): the order whose word
    # pairs the transliteration cost table explains better wins.  First sounds
    # alone cannot tell 'Hideki Hashigami' from its reverse.
    scorer = default_scorer()

    def cost(en_words, ko_words):
        return sum(scorer.cost(e, k) for e, k in zip(en_words, ko_words))

    raw_pairs = []
    for row in rows:
        en_words = [e for e, _ in row]
        ko_words = [k for _, k in row]
        if len(row) > 1 and cost(en_words, ko_words[::-1]) < cost(en_words, ko_words) - REORDER_MARGIN:
            stats["rows_reordered"] += 1
            row = list(zip(en_words, ko_words[::-1]))
        raw_pairs.extend(row)
    stats["word_pairs"] = len(raw_pairs)
    unique = sorted(set(raw_pairs))
    stats["unique_word_pairs"] = len(unique)

    first, per_letter = _first_sound_counts(unique)
    kept = []
    for en, ko in unique:
        letter = _first_letter(en)
        jamo = hangul_to_jamo(ko)
        letters = len(en.replace("'", "").replace("-", ""))
        if first[letter, jamo[0]] < max(3, 0.02 * per_letter[letter]):
            stats["dropped_first_sound"] += 1
            continue
        if not 0.6 <= len(jamo) / letters <= 3.0:
            stats["dropped_length_ratio"] += 1
            continue
        if scorer.cost(en, ko) > MAX_PAIR_COST:
            stats["dropped_not_a_transliteration"] += 1
            continue
        kept.append(WordPair(en, ko))
    stats["kept_word_pairs"] = len(kept)
    return kept, dict(stats)


def write_split(pairs: list[WordPair], out_dir: Path) -> dict[str, int]:
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {name: open(out_dir / f"{name}.tsv", "w", encoding="utf-8") for name in ("train", "dev", "test")}
    counts = collections.Counter()
    try:
        for p in pairs:
            part = split_of(p.english)
            files[part].write(f"{p.english}\t{p.korean}\n")
            counts[part] += 1
    finally:
        for f in files.values():
            f.close()
    return dict(counts)


def read_pairs(path: str | Path) -> list[WordPair]:
    pairs = []
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 2:
                raise InputError(path, "expected 'english<TAB>korean'", line=lineno)
            pairs.append(WordPair(cols[0], cols[1]))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("tsv", help="wd_korean.tsv (English<TAB>Korean)")
    ap.add_argument("--out", default="build/translit", help="output folder for train/dev/test.tsv")
    args = ap.parse_args(argv)
    pairs, stats = clean(args.tsv)
    counts = write_split(pairs, Path(args.out))
    for k, v in stats.items():
        print(f"{k:>22}: {v}")
    for k in ("train", "dev", "test"):
        print(f"{k + ' pairs':>22}: {counts.get(k, 0)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
