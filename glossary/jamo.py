"""Hangul jamo decomposition and a weighted jamo-level edit distance for spelling variants.

Transliterations of one foreign name differ mostly in vowels (마이스키/메이스키/매이스키),
in an epenthetic 으 (드랙스/드락스), in a dropped 르 (달라디에르/달라디에) or in a close
consonant (수데텐란트/주데텐란트).  Different names differ in their consonant skeleton
(리트비노프/리벤트로프).  The costs below encode exactly that: vowel changes are cheap,
consonant changes dear, and the total is normalised by length.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

import numpy as np

from corpus.text import is_hangul_syllable  # noqa: F401  (re-exported for the glossary's callers)

_S_BASE = 0xAC00
# Compatibility jamo (ㄱ, ㅏ: what people type and read), in syllable-composition order.
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
_FINALS = ["", "ㄱ", "ㄲ", "ㄳ", "ㄴ", "ㄵ", "ㄶ", "ㄷ", "ㄹ", "ㄺ", "ㄻ", "ㄼ", "ㄽ", "ㄾ", "ㄿ", "ㅀ",
           "ㅁ", "ㅂ", "ㅄ", "ㅅ", "ㅆ", "ㅇ", "ㅈ", "ㅊ", "ㅋ", "ㅌ", "ㅍ", "ㅎ"]
VOWELS = frozenset(_MEDIALS)
# The same letters as conjoining jamo (Unicode NFD of a syllable: initials, vowels and finals are distinct code
# points), the alphabet of the transliteration model (glossary.translit.text).
CONJOINING_INITIALS = [chr(c) for c in range(0x1100, 0x1113)]   # 19 choseong
CONJOINING_VOWELS = [chr(c) for c in range(0x1161, 0x1176)]     # 21 jungseong
CONJOINING_FINALS = [chr(c) for c in range(0x11A8, 0x11C3)]     # 27 jongseong
# The final ㅇ is the sound "ng"; an initial ㅇ is silent and dropped.
FINAL_NG = "ŋ"


def syllable_parts(ch: str) -> tuple[str, str, str]:
    """(initial, medial, final) of one precomposed syllable; final is '' when absent."""
    code = ord(ch) - _S_BASE
    return _INITIALS[code // 588], _MEDIALS[(code % 588) // 28], _FINALS[code % 28]


@lru_cache(maxsize=65536)
def to_jamo(text: str) -> tuple[str, ...]:
    """Phonetic jamo sequence of ``text``: silent initial ㅇ dropped, final ㅇ as 'ŋ'.

    Characters that are not Hangul syllables are kept as they are (lower-cased), so
    mixed strings still compare sensibly; spaces and hyphens are dropped.
    """
    out: list[str] = []
    for ch in text:
        if is_hangul_syllable(ch):
            ini, med, fin = syllable_parts(ch)
            if ini != "ㅇ":
                out.append(ini)
            out.append(med)
            if fin:
                out.append(FINAL_NG if fin == "ㅇ" else fin)
        elif ch.isspace() or ch in "-·‐":
            continue
        else:
            out.append(ch.lower())
    return tuple(out)


def _groups(*rows: str) -> dict[str, int]:
    table: dict[str, int] = {}
    for i, row in enumerate(rows):
        for ch in row:
            table[ch] = i
    return table


# Vowels that transliterations swap for one another (front/open; back/rounded; close).
_VOWEL_GROUP = _groups("ㅏㅐㅑㅒㅓㅔㅕㅖㅘㅙㅞㅚ", "ㅗㅜㅛㅠㅝㅓㅡ", "ㅣㅟㅢㅡ")
# Consonants with the same place of articulation (plain/aspirated/tense), nasals, liquids.
_CONS_GROUP = _groups("ㄱㅋㄲㄳㄺ", "ㄷㅌㄸ", "ㅂㅍㅃㅄㄼㄿ", "ㅅㅆㅈㅉㅊㄽ", "ㄴㅁŋㄵㄶㄻ", "ㄹㅀㄾ", "ㅎ")

LIQUID_CLASS = _CONS_GROUP["ㄹ"]


def consonant_class(jamo: str) -> int | None:
    """The articulation class of a consonant jamo (plain, aspirated and tense share one; the nasals one;
    ㄹ its own, LIQUID_CLASS); None for a vowel.  Two consonants of one class substitute for CONS_SUB_NEAR."""
    return _CONS_GROUP.get(jamo)


VOWEL_SUB_NEAR = 0.2
VOWEL_SUB_FAR = 0.45
CONS_SUB_NEAR = 0.5
CONS_SUB_FAR = 1.6
CROSS_SUB = 1.5          # vowel <-> consonant
EPENTHETIC_INDEL = 0.25  # 으 added after a final consonant: 드락스 / 드랙스 / 푸치스
VOWEL_INDEL = 0.5
LIQUID_INDEL = 0.55      # the r of -er/-ier dropped or kept: 달라디에르 / 달라디에
CONS_INDEL = 1.2


def sub_cost(a: str, b: str) -> float:
    if a == b:
        return 0.0
    av, bv = a in VOWELS, b in VOWELS
    if av and bv:
        ga, gb = _VOWEL_GROUP.get(a), _VOWEL_GROUP.get(b)
        # ㅓ and ㅡ sit in two groups; a shared group is "near".
        near = ga == gb or {a, b} & {"ㅓ", "ㅡ"} and (ga in (0, 1, 2) and gb in (0, 1, 2)) and _share(a, b)
        return VOWEL_SUB_NEAR if near else VOWEL_SUB_FAR
    if av or bv:
        return CROSS_SUB
    ga, gb = _CONS_GROUP.get(a), _CONS_GROUP.get(b)
    if ga is not None and ga == gb:
        return CONS_SUB_NEAR
    return CONS_SUB_FAR


def _share(a: str, b: str) -> bool:
    groups = ("ㅏㅐㅑㅒㅓㅔㅕㅖㅘㅙㅞㅚ", "ㅗㅜㅛㅠㅝㅓㅡ", "ㅣㅟㅢㅡ")
    return any(a in g and b in g for g in groups)


def indel_cost(a: str) -> float:
    if a == "ㅡ":
        return EPENTHETIC_INDEL
    if a in VOWELS:
        return VOWEL_INDEL
    if a in "ㄹ":
        return LIQUID_INDEL
    return CONS_INDEL


# sub_cost and indel_cost looked up, not recomputed, in the edit distance's inner loop (the same values:
# discovery compares hundreds of thousands of spellings)
_SUB_COSTS: dict[tuple[str, str], float] = {}
_INDEL_COSTS: dict[str, float] = {}


def _sub(a: str, b: str) -> float:
    cost = _SUB_COSTS.get((a, b))
    if cost is None:
        cost = _SUB_COSTS[a, b] = sub_cost(a, b)
    return cost


def _indel(a: str) -> float:
    cost = _INDEL_COSTS.get(a)
    if cost is None:
        cost = _INDEL_COSTS[a] = indel_cost(a)
    return cost


@lru_cache(maxsize=131072)
def _weighted_edit(ja: tuple[str, ...], jb: tuple[str, ...]) -> float:
    return _bounded_edit(ja, jb, float("inf"))


def _bounded_edit(ja: tuple[str, ...], jb: tuple[str, ...], limit: float) -> float:
    """The weighted edit distance of two jamo sequences, or ``inf`` once every cell of a row exceeds ``limit``
    (costs are never negative, so the distance would too)."""
    n, m = len(ja), len(jb)
    ins = [_indel(b) for b in jb]
    prev = [0.0] * (m + 1)
    for j in range(1, m + 1):
        prev[j] = prev[j - 1] + ins[j - 1]
    for i in range(1, n + 1):
        ai = ja[i - 1]
        dele = _indel(ai)
        cur = [prev[0] + dele] + [0.0] * m
        left = cur[0]
        for j in range(1, m + 1):
            diag = prev[j - 1] + _sub(ai, jb[j - 1])
            up = prev[j] + dele
            lf = left + ins[j - 1]
            left = diag if diag <= up and diag <= lf else (up if up <= lf else lf)
            cur[j] = left
        if min(cur) > limit:
            return float("inf")
        prev = cur
    return prev[m]


def jamo_distance(a: str, b: str) -> float:
    """Length-normalised weighted jamo distance in [0, ~1.5]; 0 for identical spellings."""
    ja, jb = to_jamo(a), to_jamo(b)
    if not ja and not jb:
        return 0.0
    return _weighted_edit(ja, jb) / max(len(ja), len(jb))


@lru_cache(maxsize=65536)  # is_variant asks for both spellings' skeletons on every comparison
def consonant_skeleton(text: str) -> tuple[str, ...]:
    return tuple(j for j in to_jamo(text) if j not in VOWELS)


# A pair closer than this is taken for two spellings of one name.
VARIANT_THRESHOLD = 0.21


@lru_cache(maxsize=65536)
def _syllables(text: str) -> int:
    return sum(1 for ch in text if is_hangul_syllable(ch))


def vowel_only_change(a: str, b: str) -> bool:
    """Same syllable count and the same consonant skeleton: only vowels differ (에덴/이든)."""
    ska, skb = consonant_skeleton(a), consonant_skeleton(b)
    return ska == skb and len(ska) >= 3 and _syllables(a) == _syllables(b)


@lru_cache(maxsize=65536)
def consonant_classes(jamo: tuple[str, ...]) -> Counter:
    """How many consonants of each articulation class a jamo sequence has, ㄹ left out (its insertion is
    cheaper than CONS_INDEL): the basis of the edit distance's cheap lower bound and of discovery's blocking."""
    return Counter(c for c in map(_CONS_GROUP.get, jamo) if c is not None and c != LIQUID_CLASS)


def _unmatched_classes(ja: tuple[str, ...], jb: tuple[str, ...]) -> int:
    """A lower bound, in consonants, on what the edit distance must pay CONS_INDEL or more for.

    A consonant with no consonant of its articulation class on the other side is deleted (CONS_INDEL) or
    replaced by something of another class (CONS_SUB_FAR, CROSS_SUB: more); one operation settles at most
    one consonant of each side.  ㄹ, whose insertion is cheaper, is left out.  So the distance is at least
    CONS_INDEL times the larger count of unmatched consonants: a test far cheaper than the DP."""
    ca, cb = _class_counts(ja), _class_counts(jb)
    more_a = more_b = 0
    for x, y in zip(ca, cb):
        if x > y:
            more_a += x - y
        else:
            more_b += y - x
    return max(more_a, more_b)


def _lower_bound(ja: tuple[str, ...], jb: tuple[str, ...]) -> float:
    """A lower bound on the weighted edit distance, far cheaper than the DP.

    Every edit operation settles at most one jamo of each side, so the distance is at least what one side's
    jamo cost to settle, whichever side costs more.  A jamo with no identical jamo left on the other side
    (the surplus of the two multisets) needs an operation: a consonant at least CONS_SUB_NEAR (a near
    substitution; ㄹ's deletion, LIQUID_INDEL, is dearer), and CONS_INDEL or more where no consonant of its
    articulation class is left either (deleted, or replaced by another class or a vowel: CONS_SUB_FAR,
    CROSS_SUB); a vowel at least VOWEL_SUB_NEAR.  ㄹ is left out of the class count (its insertion is cheaper
    than CONS_INDEL); the identity surplus counts it.
    """
    cons_a, vowels_a, classes_a = _jamo_counts(ja)
    cons_b, vowels_b, classes_b = _jamo_counts(jb)
    best = 0.0
    for cons_x, vowels_x, classes_x, cons_y, vowels_y, classes_y in (
            (cons_a, vowels_a, classes_a, cons_b, vowels_b, classes_b),
            (cons_b, vowels_b, classes_b, cons_a, vowels_a, classes_a)):
        far = sum(x - y for x, y in zip(classes_x, classes_y) if x > y)
        cons = sum(n - cons_y.get(j, 0) for j, n in cons_x.items() if n > cons_y.get(j, 0))
        vowels = sum(n - vowels_y.get(j, 0) for j, n in vowels_x.items() if n > vowels_y.get(j, 0))
        best = max(best, CONS_INDEL * far + CONS_SUB_NEAR * (cons - far) + VOWEL_SUB_NEAR * vowels)
    return best


@lru_cache(maxsize=65536)
def _jamo_counts(jamo: tuple[str, ...]) -> tuple[dict[str, int], dict[str, int], tuple[int, ...]]:
    """Per spelling, once: its consonants and vowels counted by jamo, and its consonants per class (ㄹ left out)."""
    cons: dict[str, int] = {}
    vowels: dict[str, int] = {}
    for j in jamo:
        side = vowels if j in VOWELS else cons
        side[j] = side.get(j, 0) + 1
    return cons, vowels, _class_counts(jamo)


_N_CLASSES = max(_CONS_GROUP.values()) + 1


@lru_cache(maxsize=65536)
def _class_counts(jamo: tuple[str, ...]) -> tuple[int, ...]:
    """:func:`consonant_classes` as a count per class (a fixed-length tuple: compared far faster than Counters)."""
    counts = [0] * _N_CLASSES
    for c, n in consonant_classes(jamo).items():
        counts[c] = n
    return tuple(counts)


def is_variant(a: str, b: str, threshold: float = VARIANT_THRESHOLD) -> bool:
    """True when two Hangul spellings are close enough to be one name transliterated twice.

    Short names need a stricter test: in a name under 6 jamo one dear change is a
    different name, so there the absolute cost is capped and the first jamo must agree.
    A change of vowels alone (에덴/이든) is always a variant.
    """
    if a == b:
        return True
    if vowel_only_change(a, b):
        return True
    ja, jb = to_jamo(a), to_jamo(b)
    if not ja or not jb:
        return False
    longest = max(len(ja), len(jb))
    short = min(len(ja), len(jb)) < 6
    if short and ja[0] != jb[0]:
        return False
    # a DP that stops once no alignment can pass the test (a tolerance keeps the test itself exact)
    limit = min(threshold * longest, 0.6 if short else float("inf")) + 1e-6
    # the class count first (cheapest), then the finer bound, then the DP
    if CONS_INDEL * _unmatched_classes(ja, jb) > limit or _lower_bound(ja, jb) > limit:
        return False
    cost = _bounded_edit(ja, jb, limit)
    if cost / longest > threshold:
        return False
    if min(len(ja), len(jb)) < 6:
        return cost <= 0.6 and ja[0] == jb[0]
    return True


class VariantScreen:
    """:func:`is_variant`'s cheap necessary conditions, tested for one spelling against many at once.

    Discovery's blocking keys leave a few hundred candidates per spelling in a long document, of which
    a handful are variants; testing each in Python costs more than the rest of the clustering.  Here
    the same tests that :func:`is_variant` makes before its DP (the vowel-only change that accepts at
    once; the short-name first-jamo rule and the jamo-surplus bound, which implies the unmatched-class
    test, that reject) run as array operations over the candidates.  ``possible(a, others)`` is False only
    where :func:`is_variant` (default threshold) is surely False: the same float operations in the
    same order, so a rejection here is a rejection there (tests/glossary compares them).
    """

    def __init__(self, spellings: Iterable[str]):
        spellings = list(dict.fromkeys(spellings))
        self.row = {s: k for k, s in enumerate(spellings)}
        jamos = [to_jamo(s) for s in spellings]
        alphabet: dict[str, int] = {}
        for ja in jamos:
            for j in ja:
                alphabet.setdefault(j, len(alphabet))
        counts = np.zeros((len(spellings), max(len(alphabet), 1)), dtype=np.int64)
        for k, ja in enumerate(jamos):
            for j in ja:
                counts[k, alphabet[j]] += 1
        vowel = np.array([j in VOWELS for j in alphabet] or [False])
        self.consonants, self.vowels = counts[:, ~vowel], counts[:, vowel]
        self.classes = np.array([_class_counts(ja) for ja in jamos], dtype=np.int64).reshape(len(jamos), _N_CLASSES)
        self.length = np.array([len(ja) for ja in jamos], dtype=np.int64)
        self.first = np.array([alphabet[ja[0]] if ja else -1 for ja in jamos], dtype=np.int64)
        # vowel_only_change: one id per (skeleton, syllables) with a skeleton of 3 or more, a unique one otherwise
        keys: dict[tuple, int] = {}
        skeleton_ids = []
        for k, s in enumerate(spellings):
            skeleton = consonant_skeleton(s)
            skeleton_ids.append(keys.setdefault((skeleton, _syllables(s)), len(keys)) if len(skeleton) >= 3
                                else -1 - k)
        self.skeleton = np.array(skeleton_ids, dtype=np.int64)

    def possible(self, a: str, others: Sequence[str], threshold: float = VARIANT_THRESHOLD) -> np.ndarray:
        """For each of ``others`` (spellings given to the constructor, like ``a``): whether
        ``is_variant(a, other, threshold)`` may be True."""
        i = self.row[a]
        js = np.fromiter((self.row[o] for o in others), dtype=np.int64, count=len(others))
        la, lb = self.length[i], self.length[js]
        short = np.minimum(la, lb) < 6
        limit = np.minimum(threshold * np.maximum(la, lb), np.where(short, 0.6, np.inf)) + 1e-6
        more_a = np.maximum(self.classes[i] - self.classes[js], 0).sum(1)
        more_b = np.maximum(self.classes[js] - self.classes[i], 0).sum(1)
        cons_a = np.maximum(self.consonants[i] - self.consonants[js], 0).sum(1)
        cons_b = np.maximum(self.consonants[js] - self.consonants[i], 0).sum(1)
        vowels_a = np.maximum(self.vowels[i] - self.vowels[js], 0).sum(1)
        vowels_b = np.maximum(self.vowels[js] - self.vowels[i], 0).sum(1)
        bound = np.maximum(np.maximum(0.0, CONS_INDEL * more_a + CONS_SUB_NEAR * (cons_a - more_a)
                                      + VOWEL_SUB_NEAR * vowels_a),
                           CONS_INDEL * more_b + CONS_SUB_NEAR * (cons_b - more_b) + VOWEL_SUB_NEAR * vowels_b)
        # (is_variant's unmatched-class test needs no column of its own: the bound is never below it)
        rejected = (short & (self.first[js] != self.first[i])) | (bound > limit)
        empty = (la == 0) | (lb == 0)
        return (self.skeleton[js] == self.skeleton[i]) | empty | ~rejected
