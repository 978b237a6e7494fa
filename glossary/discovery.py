"""Discover the names of a Korean document and the different spellings of each.

1. Candidates: every written word is cut to its noun stem (particles stripped,
   :func:`glossary.morph.strip_particles`); a stem is a name candidate when Kiwi
   tags it as a proper noun (NNP) or it looks transliterated (an epenthetic 으
   syllable such as 스/크/르/트/프).  Latin words left in the Korean (Maisky,
   Litvinov) are candidates too.  A rarer stem that is a spelling variant of a
   candidate joins it even when Kiwi missed it (메이시 next to 메이스키).
2. Clustering: Hangul stems are grouped by complete linkage over
   :func:`glossary.jamo.is_variant` (so no chain A~B~C joins A and C unless they
   are alike too); Latin words by letter edit distance; a Latin word joins the
   Hangul cluster it transliterates best (pluggable ``score(english, hangul)``),
   and two Hangul clusters that both transliterate one Latin word merge.
3. Linking to English: a Latin leftover names the cluster; otherwise, when an
   English text is given, its capitalised word that transliterates best.
4. Canonical form: the glossary's preferred form, else the most frequent Hangul
   spelling, else the best transliteration of the English name.
5. Term families: a rare coined term garbled several ways (anti-appeasers as
   반유포자 / 반유해 / 반유쾌 / 반(反)유고) is found by its bound prefix, a shared next
   syllable or head noun, and shared context (:func:`term_families`).

A surname shared by two people (Sidney and Beatrice Webb both 웹) is one
cluster: it is one name with one spelling; the full names it was seen in are
listed in ``full_names`` so a reviewer can split the glossary entry by person.
"""
from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Iterable, Iterator

import numpy as np

from corpus.kiwi import prefetched
from corpus.text import is_reference_heading
from glossary.jamo import (CONS_INDEL, VARIANT_THRESHOLD, VOWELS, VariantScreen, consonant_class, consonant_classes,
                          is_hangul_syllable, is_variant, jamo_distance, syllable_parts, to_jamo)
from glossary.matching import TITLES
from glossary.morph import analyze, oov_id, particle_suffixes, strip_particles
from glossary.termbase import Status, TermBase
from glossary.translit import PLAUSIBLE_MIN

Score = Callable[[str, str], float]

LATIN_STOP = frozenset("""the a an of and in on at to for by with from as is was be or not no but his her its their
this that these those it he she they we i you if then than so also press university publication publications
centre center books book london new oxford cambridge yale chicago inc co ltd ed eds pp p isbn retrieved the
january february march april may june july august september october november december review history
diaries diary foundation publishers company war world soviet union special tasks memoirs biography national
interest conversation english french russian german in la est""".split()) | TITLES
LINK_MIN = 0.29       # a Latin word links to a Hangul cluster at this transliteration score or above
LINK_MIN_SHORT = 0.47  # ... or this for short words, where chance likeness is higher
LINK_MIN_TINY = 0.6   # ... and for words of three letters or fewer (Bad, Ivo)
COMMON_NAME_SHARE = 0.15  # a name in more sentences than this is no evidence that two terms are one
BRIDGE_MIN = 0.35    # both clusters must transliterate the Latin word at least this well
LINK_MARGIN = 0.04    # ... and only when the runner-up is this much worse
LATIN_MAX_DIST = 0.12  # Beaverbrook / Beverbrook


@dataclass(frozen=True)
class Occurrence:
    stem: str
    start: int
    end: int
    line: int
    particle: str
    proper: bool = False     # Kiwi saw a proper or unknown noun here, or it follows a bare given name


@dataclass
class Proposal:
    """One discovered name: its spellings (canonical first), counts and its English name if known."""

    english: str | None
    variants: list[str]
    counts: dict[str, int]
    type: str = "person"
    glossary_id: str | None = None
    full_names: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    # corpus discovery only: doc_id -> {"counts": {spelling: n}, "lines": [line numbers in that document]}
    documents: dict[str, dict] = field(default_factory=dict)
    # a term family's head noun, written inside some spellings (비간섭위원회) and as the next word after others
    # (불개입 위원회): the spellings differ in what comes before it, and 불개입위원회 is 불개입 spelled the same way
    head: str | None = None

    @property
    def canonical(self) -> str:
        return self.variants[0]

    def modifier(self, spelling: str) -> str:
        """The part of a spelling that tells the variants apart: without the family's head noun."""
        return _without_head(spelling, self.head)

    def suggestion_for(self, spelling: str) -> str:
        """The canonical spelling written as ``spelling`` is (the head inside it or not): the replacement for it."""
        return self.modifier(self.canonical) + spelling[len(self.modifier(spelling)):]

    def glossary_forms(self) -> tuple[str, list[str]]:
        """(preferred, deprecated) Hangul terms for a glossary entry: a term family's with its head noun
        ('불개입 위원회' preferred, '비간섭 위원회' deprecated; matching ignores the space), one spelling per modifier."""
        hangul = self.hangul_variants
        if not self.head:
            return hangul[0], hangul[1:]
        modifiers = list(dict.fromkeys(self.modifier(v) for v in hangul))
        full = [f"{m} {self.head}" for m in modifiers]
        return full[0], full[1:]

    @property
    def hangul_variants(self) -> list[str]:
        return [v for v in self.variants if any(is_hangul_syllable(c) for c in v)]

    @property
    def multi_spelling(self) -> bool:
        return len(self.variants) > 1

    def to_json(self) -> dict:
        return {"english": self.english, "variants": self.variants, "counts": self.counts,
                "canonical": self.canonical, "type": self.type, "glossary_id": self.glossary_id,
                "full_names": self.full_names, "lines": self.lines,
                **({"documents": self.documents} if self.documents else {}),
                **({"head": self.head} if self.head else {})}


def _without_head(spelling: str, head: str | None) -> str:
    return spelling[:-len(head)] if head and spelling.endswith(head) and len(spelling) > len(head) else spelling


def _is_hangul(word: str) -> bool:
    return bool(word) and all(is_hangul_syllable(c) for c in word)


def body_lines(text: str) -> list[tuple[int, str, int]]:
    """(line number, line, offset) of the document body, stopping at a references heading."""
    out, offset = [], 0
    for i, line in enumerate(text.split("\n"), 1):
        if is_reference_heading(line):  # what follows lists references and links, not prose
            break
        out.append((i, line, offset))
        offset += len(line) + 1
    return out


def _proper_in_word(word: str, stem_len: int) -> bool:
    """Kiwi, reading the whole written word, calls the stem a proper noun or a noun it does not know."""
    oov = oov_id()
    return any(t.start < stem_len and (t.tag == "NNP" or (t.tag.startswith("NN") and t.morph_id == oov))
               for t in analyze(word))


def _known_common_word(word: str, stem_len: int) -> bool:
    """The stem is one dictionary word Kiwi knows as a common noun, verb... (정부, 웹, 철수)."""
    tokens = [t for t in analyze(word) if t.start < stem_len]
    return len(tokens) == 1 and tokens[0].tag != "NNP" and tokens[0].morph_id != oov_id()


def _starts_with_known_word(word: str) -> bool:
    """Kiwi reads the word as a dictionary noun or verb plus more (추방당했습니다)."""
    tokens = analyze(word)
    return bool(tokens) and tokens[0].tag in ("NNG", "VV", "VA", "MAG") and tokens[0].morph_id != oov_id()


def _satellite_eligible(stem: str) -> bool:
    """Not a single dictionary word: Kiwi splits it or does not know it (메이시, 이든); nor a verb or adjective
    with its ending, which a particle cut left behind (그럼 of 그럼에도 'nevertheless': 그렇- + -ㅁ)."""
    return not _known_common_word(stem, len(stem)) and not _predicate_form(stem)


def _predicate_form(stem: str) -> bool:
    """Kiwi reads the whole stem as a verb or adjective stem and endings only (그럼, 그랬음), not as a noun."""
    tokens = analyze(stem)
    return len(tokens) >= 2 and tokens[0].tag.split("-")[0] in ("VV", "VA") and tokens[-1].end == len(stem) \
        and all(t.tag.startswith("E") for t in tokens[1:])


_WORD = re.compile(r"[가-힣]+|[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Z]")


def _camel_parts(word: str) -> list[tuple[int, str]]:
    """Two names glued by the translation (LitvinovGeorgy) come apart; MacDonald stays whole."""
    cuts = [m.start() for m in re.finditer(r"(?<=[a-z])(?=[A-Z])", word)]
    bounds = [0] + cuts + [len(word)]
    parts = [(a, word[a:b]) for a, b in zip(bounds, bounds[1:])]
    if len(parts) > 1 and all(len(p) >= 4 for _, p in parts):
        return parts
    return [(0, word)]


def extract_occurrences(text: str) -> tuple[list[Occurrence], list[Occurrence], dict[str, set[str]]]:
    """Hangul stem occurrences, Latin word occurrences and the Latin full names each surname was seen in."""
    hangul, latin = [], []
    full_names: dict[str, set[str]] = defaultdict(set)
    lines = list(body_lines(text))
    for first in range(0, len(lines), PREFETCH_LINES):
        block = lines[first:first + PREFETCH_LINES]
        # every distinct Hangul word is analysed below (strip_particles): in one batch, off the GIL
        with prefetched(w for _, line, _ in block for w in _WORD.findall(line) if _is_hangul(w)):
            _occurrences_in(block, hangul, latin, full_names)
    return hangul, latin, full_names


# Lines whose words are analysed in one Kiwi batch: a long document's at once, a corpus's a block at a time
# (the analyses wait in memory until asked for).
PREFETCH_LINES = 4000


def _occurrences_in(lines, hangul: list[Occurrence], latin: list[Occurrence], full_names: dict[str, set[str]]) -> None:
    """extract_occurrences over ``lines`` ((line number, line, offset) of the body), appending to its lists."""
    for lineno, line, offset in lines:
        prev: Occurrence | None = None
        prev_end = -1
        for m in _WORD.finditer(line):
            word = m.group()
            if _is_hangul(word):
                stem = strip_particles(word)
                proper = _proper_in_word(word, len(stem))
                # the word after a bare name ("앤서니 이든", "클레멘트 애틀리") is a name too,
                # unless Kiwi knows it as a common word (영국 정부)
                if not proper and prev is not None and prev.proper and not prev.particle \
                        and line[prev_end:m.start()] == " " and len(stem) >= 2 \
                        and (stem == word or word[len(stem):] in particle_suffixes()) \
                        and not _known_common_word(word, len(stem)) and not _starts_with_known_word(word):
                    proper = True
                occ = Occurrence(stem, offset + m.start(), offset + m.start() + len(stem), lineno,
                                 word[len(stem):], proper)
                hangul.append(occ)
                prev, prev_end = occ, m.end()
                continue
            prev = None
            if word[0].isupper() and len(word) > 1 and word.lower().strip("'’") not in LATIN_STOP:
                w = re.sub(r"['’]s?$", "", word)
                for part_start, part in _camel_parts(w):
                    start = offset + m.start() + part_start
                    latin.append(Occurrence(part, start, start + len(part), lineno, ""))
        # Latin full names: runs of capitalised words ("Maxim Litvinov", "Lord Beverbrook")
        for m in re.finditer(r"(?:[A-Z][a-z'’\-]+\s+)+[A-Z][a-z'’\-]+", line):
            words = [w for w in m.group().split() if w.lower() not in TITLES]
            if len(words) >= 2:
                full_names[re.sub(r"['’]s?$", "", words[-1])].add(" ".join(words))


def _split_glued(hangul: list[Occurrence], counts: Counter, proper_counts: Counter) -> list[Occurrence]:
    """Split words the translation glued together (리트비노프동료, 버틀러로버트, 얄타포츠담) where
    one part is a name used on its own elsewhere and the other part has two syllables or more."""
    def is_name(x: str) -> bool:
        return counts[x] >= 2 and proper_counts[x] * 2 >= counts[x] and len(x) >= 2

    out = []
    for o in hangul:
        s = o.stem
        cut = None
        if counts[s] <= 2 and len(s) >= 4 and not is_name(s):
            for c in range(2, len(s) - 1):
                head, tail = s[:c], s[c:]
                if (is_name(head) and counts[head] >= 2 * counts[s]) or \
                        (is_name(tail) and counts[tail] >= 2 * counts[s]):
                    cut = c
                    break
        if cut is None:
            out.append(o)
            continue
        head_is_name = is_name(s[:cut])
        out.append(Occurrence(s[:cut], o.start, o.start + cut, o.line, "", head_is_name or o.proper))
        out.append(Occurrence(s[cut:], o.start + cut, o.end, o.line, o.particle, not head_is_name or o.proper))
    return out


def _same_consonants(a: str, b: str) -> bool:
    """Same syllable count and consonant skeleton, vowels aside (에덴 / 이든)."""
    sa = tuple(j for j in to_jamo(a) if j not in VOWELS)
    sb = tuple(j for j in to_jamo(b) if j not in VOWELS)
    return len(a) == len(b) >= 2 and sa == sb and len(sa) >= 2


def _epenthetic_tail(extra: str) -> bool:
    """One syllable with the vowel 으 and no final (르, 드, 스): a transliteration's dropped r/d/s."""
    if len(extra) != 1 or not is_hangul_syllable(extra):
        return False
    _, med, fin = syllable_parts(extra)
    return med == "ㅡ" and not fin


def _compound(a: str, b: str) -> bool:
    """One is the other plus a word (프랑스/프랑스어, 폴란드/폴란드계), not a respelling (달라디에/달라디에르)."""
    lo, hi = sorted((a, b), key=len)
    return hi != lo and hi.startswith(lo) and not _epenthetic_tail(hi[len(lo):])


def _latin_distance(a: str, b: str) -> float:
    a, b = a.lower(), b.lower()
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1] / max(len(a), len(b))


# --- thresholds of discovery -------------------------------------------------------------
CLOSE_SPELLING = VARIANT_THRESHOLD  # jamo distance within which a rare spelling may be a garble of a name
SATELLITE_RATIO = 3       # a stem Kiwi missed joins a name used at least this many times as often (메이시)
ONE_OFF_SOURCE_MIN = 10   # a one-off truncated spelling joins a name used this often with no other evidence
RARE_PAIR_NEAR = 0.1      # two one-off spellings further apart than this must occur within a line of each other
NEAR_LINES = 1            # ... "near": this many lines apart at most (됭케르크 ... 던커크)
RARE_BRIDGE_MAX = 0.36    # two rare clusters that both render one Latin word best join this close in jamo (푹스/푸치스)
RARE_CLUSTER_USES = 3     # ... "rare": used this many times at most
ENGLISH_NAME_MIN = 0.45   # an English word of the source names a cluster at this transliteration score or above
SURE_RENDERING = PLAUSIBLE_MIN / 4    # neural mean log-probability per jamo at which a word surely is rendered
                                     # (Maisky/메이스키 -0.13, Maysky/마이스키 -0.56, Rose/로스 -0.41)
RESCUE_CLUSTERS = 3       # ... looked for among the clusters the cost table ranks best for the word
RESCUE_COST_MIN = 0.2     # ... at this cost-table score or above
RESCUE_MARGIN = 1.0       # ... and no other of them within this much
MAX_JAMO_GAP = 4          # spellings whose jamo lengths differ by more are never variants of one another


def _prefilter(a: str, b: str) -> bool:
    return abs(len(to_jamo(a)) - len(to_jamo(b))) <= MAX_JAMO_GAP


# --- blocking: which stems are worth comparing at all ------------------------------------
# The jamo edit cost (glossary.jamo) charges at least CONS_INDEL (1.2) for a consonant of one spelling
# that has no consonant of the same articulation class in the other (an insertion, a deletion, a far
# substitution or a consonant for a vowel); ㄹ, whose insertion is cheaper, is left out of the count.
# So two spellings whose class multisets differ by d consonants cost at least 1.2 d, and the variant
# test (normalised cost <= 0.21) allows only d <= 0.21 L / 1.2 for a longer spelling of L jamo.
# Each stem is indexed under its class multiset with up to that many classes deleted; two variants
# always share a key.  This is exact: blocking removes comparisons, never a variant.
SHORT_NAME_JAMO = 6        # is_variant: under this many jamo the absolute cost is capped at 0.6 < 1.2


def _class_multiset(stem: str) -> tuple[int, ...]:
    return tuple(sorted(consonant_classes(to_jamo(stem)).elements()))


def _deletions_allowed(stem: str) -> int:
    n = len(to_jamo(stem))
    if n < SHORT_NAME_JAMO:
        return 0
    return int(VARIANT_THRESHOLD * (n + MAX_JAMO_GAP) / CONS_INDEL)


class _SpellingIndex:
    """Candidates for the jamo comparisons of discovery, found without comparing every stem with every other.

    ``variants_of(s)``: every stem that may pass :func:`glossary.jamo.is_variant` with ``s`` (class keys,
    see above); ``same_start(s)``: the stems that begin with the same syllable, the condition of the
    one-off and satellite links (메이시 / 메이스키).
    """

    def __init__(self, stems: Iterable[str]):
        self.by_key: dict[tuple, list[str]] = defaultdict(list)
        self.by_first: dict[str, list[str]] = defaultdict(list)
        for s in stems:
            for key in self._keys(s):
                self.by_key[key].append(s)
            self.by_first[s[0]].append(s)

    @staticmethod
    def _keys(stem: str) -> set[tuple]:
        classes = _class_multiset(stem)
        keys = {classes}
        for d in range(1, min(_deletions_allowed(stem), len(classes)) + 1):
            keys.update(itertools.combinations(classes, len(classes) - d))
        return keys

    def variants_of(self, stem: str) -> set[str]:
        out: set[str] = set()
        for key in self._keys(stem):
            out.update(self.by_key.get(key, ()))
        out.discard(stem)
        return {o for o in out if _prefilter(o, stem)}

    def same_start(self, stem: str) -> list[str]:
        return [o for o in self.by_first.get(stem[0], ()) if o != stem]


def _complete_linkage(items: list[str], linked: Callable[[str, str], bool], order: dict[str, int],
                      weak_join: Callable[[str, str], bool] | None = None,
                      candidates: Callable[[str], Iterable[str]] | None = None,
                      screen: Callable[[str, list[str]], Iterable[bool]] | None = None) -> list[list[str]]:
    """Group ``items``, frequent ones first: an item joins a group when it is linked to its
    most frequent member and to at least half of its members (no long chains).

    ``candidates(item)``, when given, names every item that ``linked`` or ``weak_join`` may accept
    with it; only the groups holding one of them are tried (the same groups, in the same order).
    ``screen(item, members)``, when given, is False for each member that ``linked`` surely rejects
    (asked once per item over the members of every group tried): those are not asked.
    """
    groups: list[list[str]] = []
    group_of: dict[str, int] = {}
    for it in sorted(items, key=lambda s: (-order.get(s, 0), s)):
        tried = range(len(groups)) if candidates is None else \
            sorted({group_of[c] for c in candidates(it) if c in group_of})
        if screen is not None and tried:
            members = [o for gi in tried for o in groups[gi]]
            maybe = {o for o, ok in zip(members, screen(it, members)) if ok}

            def linked_to(o: str, it: str = it, maybe: set[str] = maybe) -> bool:
                return o in maybe and linked(it, o)
        else:
            def linked_to(o: str, it: str = it) -> bool:
                return linked(it, o)
        for gi in tried:
            g = groups[gi]
            votes = sum(1 for o in g if linked_to(o))
            weak = weak_join is not None and any(weak_join(it, o) for o in g)
            if weak or (votes * 2 >= len(g) and (linked_to(g[0]) or votes * 2 > len(g))):
                g.append(it)
                group_of[it] = gi
                break
        else:
            group_of[it] = len(groups)
            groups.append([it])
    return groups


class _UnionFind:
    """Clusters merged by evidence found later (a shared Latin word); ``union(a, b)`` keeps ``b``'s root."""

    def __init__(self, n: int):
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        self.parent[self.find(a)] = self.find(b)


BATCH_MIN = 16


class _ScoreCache:
    """The transliteration score of each (English word, Hangul stem) pair, computed once, in batches when
    the scorer can (``score_many``)."""

    def __init__(self, score: Score):
        self.score = score
        self.many = getattr(getattr(score, "__self__", None), "score_many", None)
        self.cache: dict[tuple[str, str], float] = {}

    def get(self, english: str, hangul: str) -> float:
        key = (english, hangul)
        if key not in self.cache:
            self.cache[key] = self.score(english, hangul)
        return self.cache[key]

    def batch(self, english: str, hanguls: list[str]) -> list[float]:
        """Scores of one word against many spellings, not kept."""
        if self.many is not None and len(hanguls) >= BATCH_MIN:
            return self.many(english, hanguls)
        return [self.get(english, h) for h in hanguls]

    def rows(self, englishes: list[str], hanguls: list[str]) -> Iterator[list[float]]:
        """:meth:`batch` of each word in turn against the same spellings, not kept (the spellings are
        prepared once when the scorer can: ``score_rows``)."""
        rows = getattr(getattr(self.score, "__self__", None), "score_rows", None)
        if rows is not None and self.many is not None and len(hanguls) >= BATCH_MIN:
            return rows(englishes, hanguls)
        return (self.batch(english, hanguls) for english in englishes)

    def fill(self, english: str, hanguls: Iterable[str]) -> None:
        todo = sorted({h for h in hanguls if (english, h) not in self.cache})
        if not todo:
            return
        # a batch costs a fixed numpy overhead worth about BATCH_MIN single scores
        batch = self.many is not None and len(todo) >= BATCH_MIN
        values = self.many(english, todo) if batch else [self.score(english, h) for h in todo]
        self.cache.update(((english, h), v) for h, v in zip(todo, values))

    def fill_pairs(self, pairs: Iterable[tuple[str, str]]) -> None:
        by_word: dict[str, list[str]] = defaultdict(list)
        for english, hangul in pairs:
            by_word[english].append(hangul)
        for english, hanguls in by_word.items():
            self.fill(english, hanguls)


# --- the steps of discovery --------------------------------------------------------------
@dataclass
class _Stems:
    """The document's words: Hangul stem and Latin word occurrences with their counts and lines."""

    hangul: list[Occurrence]
    latin: list[Occurrence]
    full_names: dict[str, set[str]]
    counts: Counter
    proper_counts: Counter
    latin_counts: Counter
    lines_of: dict[str, set[int]]


def _collect_stems(ko_text: str) -> _Stems:
    """Step 1: the stems, a particle Kiwi left on (주데텐란트와) and glued words (리트비노프동료) undone."""
    hangul, latin, full_names = extract_occurrences(ko_text)
    counts = Counter(o.stem for o in hangul)
    # a stem that is another stem plus a particle Kiwi did not split off (주데텐란트와) is that stem
    suffixes = particle_suffixes()
    remap = {}
    for s in counts:
        for cut in range(len(s) - 1, 1, -1):
            if s[cut:] in suffixes and s[:cut] in counts and counts[s[:cut]] >= counts[s]:
                remap[s] = s[:cut]
                break
    if remap:
        hangul = [Occurrence(remap.get(o.stem, o.stem), o.start, o.start + len(remap.get(o.stem, o.stem)),
                             o.line, o.particle, o.proper) for o in hangul]
        counts = Counter(o.stem for o in hangul)
    proper_counts = Counter(o.stem for o in hangul if o.proper)
    hangul = _split_glued(hangul, counts, proper_counts)
    lines_of: dict[str, set[int]] = defaultdict(set)
    for o in hangul:
        lines_of[o.stem].add(o.line)
    return _Stems(hangul, latin, full_names, Counter(o.stem for o in hangul),
                  Counter(o.stem for o in hangul if o.proper), Counter(o.stem for o in latin), lines_of)


def _name_seeds(stems: _Stems, glossary: TermBase | None) -> set[str]:
    """Step 2: the stems that are names: most of their uses look like a name (not 철수 "withdrawal"),
    or the glossary has them."""
    counts, proper = stems.counts, stems.proper_counts
    seeds = {s for s in counts if _is_hangul(s) and proper[s] * 2 >= counts[s] and proper[s]}
    if glossary is not None:
        seeds |= {t.text for e in glossary for t in e.korean if t.text in counts}
    return seeds


def _satellites(stems: _Stems, seeds: set[str], index: _SpellingIndex,
                same_name: Callable[[str, str], bool]) -> dict[str, str]:
    """Step 3: rarer stems Kiwi missed that are spellings of a seed (메이시 ~ 메이스키): stem -> seed.

    A stem close to several seeds goes to the most frequent (then the closest)."""
    counts = stems.counts
    near_seeds: dict[str, list[str]] = {}
    for s in counts:
        if s in seeds or len(s) < 2 or not _is_hangul(s) or not _satellite_eligible(s):
            continue
        near = [seed for seed in index.same_start(s)
                if counts[seed] >= SATELLITE_RATIO * counts[s] and _prefilter(s, seed)
                and (is_variant(s, seed) or jamo_distance(s, seed) <= CLOSE_SPELLING)]
        if near:
            near_seeds[s] = near
    out: dict[str, str] = {}
    for s, near in near_seeds.items():
        close = [seed for seed in near if same_name(s, seed)]
        if close:
            out[s] = min(close, key=lambda seed: (-counts[seed], jamo_distance(s, seed), seed))
    return out


def _cluster_hangul(seeds: set[str], stems: _Stems, index: _SpellingIndex,
                    same_name: Callable[[str, str], bool]) -> list[list[str]]:
    """Step 4: seeds grouped by complete linkage over spelling likeness (no chains A~B~C); ``same_name``
    vetoes a link (the English source names them differently)."""
    counts, lines_of = stems.counts, stems.lines_of

    def one_off(rare: str, frequent: str) -> bool:
        """A one-off truncated spelling of a frequent name (메이시 beside 메이스키)."""
        return counts[rare] <= 1 and counts[frequent] >= ONE_OFF_SOURCE_MIN and rare[0] == frequent[0] \
            and len(rare) >= 2 and not _compound(rare, frequent) and jamo_distance(rare, frequent) <= CLOSE_SPELLING \
            and same_name(rare, frequent)

    def linked(a: str, b: str) -> bool:
        # accepts only a variant or a one-off pair: screen() below relies on it (change both together)
        if len(a) < 2 or len(b) < 2 or not _prefilter(a, b) or _compound(a, b):
            return False
        if not is_variant(a, b):
            return one_off(a, b) or one_off(b, a)
        # two one-off spellings need the support of context: used near each other (됭케르크 ... 던커크)
        if min(counts[a], counts[b]) <= 1 and jamo_distance(a, b) > RARE_PAIR_NEAR \
                and not any(abs(x - y) <= NEAR_LINES for x in lines_of[a] for y in lines_of[b]):
            return False
        return same_name(a, b)

    def candidates(s: str) -> set[str]:
        found = index.variants_of(s)
        # a one-off link (one_off) joins a one-off spelling and a frequent one with the same first syllable:
        # only those can accept each other, which keeps a long document's common first syllables cheap
        if counts[s] <= 1:
            found.update(o for o in index.same_start(s) if counts[o] >= ONE_OFF_SOURCE_MIN)
        elif counts[s] >= ONE_OFF_SOURCE_MIN:
            found.update(o for o in index.same_start(s) if counts[o] <= 1)
        return found

    variant_screen = VariantScreen(sorted(seeds))

    def screen(s: str, others: list[str]) -> list[bool]:
        """linked's necessary condition: a possible variant (VariantScreen) or a possible one-off pair."""
        maybe_variant = variant_screen.possible(s, others).tolist()
        if counts[s] <= 1:
            return [v or (counts[o] >= ONE_OFF_SOURCE_MIN and o[0] == s[0]) for o, v in zip(others, maybe_variant)]
        if counts[s] >= ONE_OFF_SOURCE_MIN:
            return [v or (counts[o] <= 1 and o[0] == s[0]) for o, v in zip(others, maybe_variant)]
        return maybe_variant

    return _complete_linkage(sorted(seeds), linked, counts, weak_join=one_off, candidates=candidates, screen=screen)


def _cluster_latin(latin_counts: Counter) -> list[list[str]]:
    """Step 5: Latin leftovers grouped by letter edit distance (Beaverbrook / Beverbrook)."""
    by_first: dict[str, list[str]] = defaultdict(list)
    for w in latin_counts:
        by_first[w[0].lower()].append(w)
    return _complete_linkage(sorted(latin_counts),
                             lambda a, b: a[0].lower() == b[0].lower() and _latin_distance(a, b) <= LATIN_MAX_DIST,
                             latin_counts, candidates=lambda w: by_first[w[0].lower()])


def _link_latin(groups: list[list[str]], latin_groups: list[list[str]], counts: Counter, scores: _ScoreCache,
                english: "_EnglishNames | None" = None) -> tuple[_UnionFind, dict[int, int]]:
    """Step 6: Latin words to Hangul clusters by transliteration; clusters that render one Latin word merge.

    With the English source, two clusters whose main spellings render different source names never
    merge, and a Latin word joins a cluster only if the neural model finds it rendered there.
    Returns the merged clusters and, for each linked Latin group, the cluster it names."""
    union = _UnionFind(len(groups))
    # acronyms (GRU, MGB, RAPP) are not transliterated; they never link
    linkable = [li for li, lg in enumerate(latin_groups) if not lg[0].isupper()]
    # every Latin word against every clustered stem, in one batch per word; kept as cluster maxima only:
    # ``table[k, gi]`` is how well cluster gi transliterates linkable word k (an array, not a dict of
    # pairs: a long document has ~10^6 of them, ~250 MB as Python objects)
    stems = sorted({s for g in groups for s in g})
    table = np.zeros((len(linkable), len(groups)))
    # each group's stems as one run of indices into ``stems``: group maxima by one reduceat per Latin word
    stem_index = {s: k for k, s in enumerate(stems)}
    filled = [gi for gi, g in enumerate(groups) if g]
    members = np.array([stem_index[s] for gi in filled for s in groups[gi]], dtype=np.int64)
    offsets = np.cumsum([0] + [len(groups[gi]) for gi in filled[:-1]], dtype=np.int64)
    rows = scores.rows([lat for li in linkable for lat in latin_groups[li]], stems)
    for k, li in enumerate(linkable):
        best_of_stem = np.zeros(len(stems))
        for _ in latin_groups[li]:
            np.maximum(best_of_stem, next(rows), out=best_of_stem)
        if filled:
            table[k, filled] = np.maximum.reduceat(best_of_stem[members], offsets)

    def best_row(column: np.ndarray) -> int | None:
        """The linkable word a column scores best, ties to the later word (as max over (score, li))."""
        if not len(column):
            return None
        return linkable[len(column) - 1 - int(np.argmax(column[::-1]))]

    def ranked(row: np.ndarray) -> np.ndarray:
        """Column indices by score, best first, ties to the higher index (as sorted((v, i), reverse=True))."""
        return np.lexsort((-np.arange(len(row)), -row))

    best_latin_of_group = [best_row(table[:, gi]) for gi in range(len(groups))]

    # 1. two Hangul clusters that both transliterate one Latin word, and look alike, are one
    #    name: 에덴 / 이든 (Eden: vowels only differ), 푹스 / 푸치스 (Fuchs: both rare)
    bridges = []   # (cluster, cluster) pairs that look like one name, in the order they are judged
    for k, li in enumerate(linkable):
        row = table[k]
        if len(row) < 2:
            continue
        order = ranked(row)
        bi = int(order[0])
        if row[bi] < LINK_MIN or best_latin_of_group[bi] != li:
            continue
        for si in order[1:]:
            si = int(si)
            if row[si] < BRIDGE_MIN:
                break
            # same consonants, vowels aside, is strong evidence by itself (에덴 / 이든)
            alike = any(_same_consonants(x, y) for x in groups[bi] for y in groups[si])
            # two rare spellings that both transliterate the word best (푹스 / 푸치스)
            rare = sum(counts[x] for x in groups[bi]) <= RARE_CLUSTER_USES \
                and sum(counts[x] for x in groups[si]) <= RARE_CLUSTER_USES and best_latin_of_group[si] == li \
                and any(jamo_distance(x, y) <= RARE_BRIDGE_MAX and to_jamo(x)[0] == to_jamo(y)[0] and x[-1] == y[-1]
                        for x in groups[bi] for y in groups[si])
            if alike or rare:
                bridges.append((si, bi))
    if english is not None:
        english.prefetch_agreement((groups[si][0], groups[bi][0]) for si, bi in bridges)
    for si, bi in bridges:
        if english is None or english.agree(groups[bi][0], groups[si][0]):
            union.union(si, bi)
    # 2. each Latin word joins the (merged) cluster it transliterates best, when that cluster
    #    also has it as its best Latin word and no other cluster comes close
    roots = sorted({union.find(gi) for gi in range(len(groups))})
    members_of = defaultdict(list)
    for gi in range(len(groups)):
        members_of[union.find(gi)].append(gi)
    # rtable[k, c]: the best score of merged cluster roots[c] for linkable word k
    rtable = np.zeros((len(linkable), len(roots)))
    for c, r in enumerate(roots):
        rtable[:, c] = table[:, members_of[r]].max(axis=1)
    best_latin_of = {r: best_row(rtable[:, c]) for c, r in enumerate(roots) if linkable}
    latin_link: dict[int, int] = {}
    links = []   # (Latin group, cluster root, the cluster's spellings) the cost table proposes
    for k, li in enumerate(linkable):
        row = rtable[k]
        word = latin_groups[li][0]
        need = LINK_MIN if len(word) >= 8 else LINK_MIN_SHORT if len(word) >= 4 else LINK_MIN_TINY
        if not len(row) or row.max() < need:
            continue
        order = ranked(row)
        best, br = float(row[order[0]]), roots[int(order[0])]
        runner = float(row[order[1]]) if len(row) > 1 else 0.0
        if best - runner >= LINK_MARGIN and best_latin_of.get(br) == li:
            links.append((li, br, [m for gi in members_of[br] for m in groups[gi]]))
    # the neural model's vetoes and the spellings' names, in batches (then asked one link at a time)
    _prefetch_plausible((latin_groups[li][0], m) for li, _, members in links for m in members)
    if english is not None:
        english.prefetch(m for _, _, members in links for m in members if english.covers(m))
    for li, br, members in links:
        word = latin_groups[li][0]
        if _some_plausible(word, members) and (english is None or english.renders_latin(word, members)):
            latin_link[li] = br
    # 3. a Latin word the cost table links to no cluster, but whose rendering the neural model is sure
    #    of in one cluster and in no other of those the cost table ranks next (Tojo / 도조: the Japanese
    #    rule writes an initial t as ㄷ, which the cost table, learned on mixed spellings, finds unlikely)
    named = set(latin_link.values())
    near_of = {}
    for k, li in enumerate(linkable):
        if li not in latin_link:
            near = [roots[int(c)] for c in ranked(rtable[k])[:RESCUE_CLUSTERS] if rtable[k, c] >= RESCUE_COST_MIN]
            if near:
                near_of[li] = near
    # every pair the words may ask about, scored in one batch (``named`` only narrows a word's clusters)
    spellings_of = {r: [m for gi in members_of[r] for m in groups[gi]] for near in near_of.values() for r in near}
    pairs = [(latin_groups[li][0], m) for li, near in near_of.items() for r in near for m in spellings_of[r]]
    plausible = dict(zip(pairs, _neural_scores(pairs)))
    for li, near in near_of.items():
        word = latin_groups[li][0]
        near = [r for r in near if r not in named]
        if not near:
            continue
        best = sorted(((max(plausible[word, m] for m in spellings_of[r]), r) for r in near), reverse=True)
        if best[0][0] >= SURE_RENDERING \
                and (len(best) == 1 or best[1][0] < best[0][0] - RESCUE_MARGIN):
            latin_link[li] = best[0][1]
            named.add(best[0][1])
    # 4. a Japanese name whose reading by the NIKL rules for Japanese is exactly one cluster's spelling
    #    (Tojo / 도조, when the neural model, trained on mixed spellings, is not sure of it): the rules are
    #    fixed, so an exact match with a spelling no other Latin word names is evidence enough
    from glossary.translit.japanese import japanese_reading, looks_japanese
    root_of_spelling = {m: r for r in roots for gi in members_of[r] for m in groups[gi]}
    for li in linkable:
        word = latin_groups[li][0]
        if li in latin_link or not looks_japanese(word):
            continue
        r = root_of_spelling.get(japanese_reading(word) or "")
        if r is not None and r not in named:
            latin_link[li] = r
            named.add(r)
    return union, latin_link


@dataclass(frozen=True)
class CorpusDocument:
    """One document of a corpus for :func:`discover_corpus`: its id, Korean text and English source if known."""

    doc_id: str
    ko_text: str
    en_text: str | None = None


@dataclass(frozen=True)
class _Part:
    """Where one document's body lies in the text discovery reads (lines ``first`` .. ``first + n_lines - 1``)."""

    doc_id: str | None
    first: int
    n_lines: int
    ko_text: str
    en_text: str | None


DOCUMENT_GAP = "\n\n\n"   # between documents of a corpus: three lines, so no "near" use (NEAR_LINES) spans two


def discover(ko_text: str, *, en_text: str | None = None, glossary: TermBase | None = None,
             score: Score | None = None, min_count: int = 1) -> list[Proposal]:
    """Propose glossary entries for the names of ``ko_text`` (see the module docstring)."""
    part = _Part(None, 1, ko_text.count("\n") + 1, ko_text, en_text)
    return _discover(ko_text, [part], glossary, score, min_count)


def discover_corpus(documents: Iterable[CorpusDocument], *, glossary: TermBase | None = None,
                    score: Score | None = None, min_count: int = 1) -> list[Proposal]:
    """:func:`discover` across the documents of a corpus: a name spelled 마이스키 in one document and
    메이스키 in another is one proposal; ``Proposal.documents`` gives each document's spellings and lines.

    The documents' bodies (up to a references heading, each) are read as one text; the English of a
    document, where given, speaks for that document only."""
    parts, texts, first = [], [], 1
    seen: set[str] = set()
    for doc in documents:
        if doc.doc_id in seen:
            raise ValueError(f"document id {doc.doc_id!r} given twice")
        seen.add(doc.doc_id)
        body = "\n".join(line for _, line, _ in body_lines(doc.ko_text))
        n_lines = body.count("\n") + 1
        parts.append(_Part(doc.doc_id, first, n_lines, body, doc.en_text))
        texts.append(body)
        first += n_lines + DOCUMENT_GAP.count("\n") - 1
    if not parts:
        return []
    return _discover(DOCUMENT_GAP.join(texts), parts, glossary, score, min_count)


def _discover(ko_text: str, parts: list[_Part], glossary: TermBase | None, score: Score | None,
              min_count: int) -> list[Proposal]:
    if score is None:
        from glossary.translit_score import default_scorer
        score = default_scorer().score
    scores = _ScoreCache(score)
    stems = _collect_stems(ko_text)
    counts = stems.counts
    seeds = _name_seeds(stems, glossary)
    index = _SpellingIndex(seeds)
    occurrences: dict[str, list[Occurrence]] = defaultdict(list)
    for o in stems.hangul:
        occurrences[o.stem].append(o)
    english = _EnglishNames(parts, occurrences, scores) if any(p.en_text for p in parts) else None
    same_name = english.agree if english is not None else (lambda a, b: True)
    satellites = _satellites(stems, seeds, index, same_name)
    groups = _cluster_hangul(seeds, stems, index, same_name)
    group_of_seed = {s: gi for gi, g in enumerate(groups) for s in g}
    for sat, seed in satellites.items():
        groups[group_of_seed[seed]].append(sat)
    latin_groups = _cluster_latin(stems.latin_counts)
    union, latin_link = _link_latin(groups, latin_groups, counts, scores, english)
    merged: dict[int, list[str]] = defaultdict(list)
    for gi, g in enumerate(groups):
        merged[union.find(gi)].extend(g)
    latin_by_group: dict[int, list[str]] = defaultdict(list)
    for li, gi in latin_link.items():
        latin_by_group[union.find(gi)].extend(latin_groups[li])
    _link_surnames(stems.hangul, latin_groups, latin_link, merged, latin_by_group, stems.full_names,
                   union.find, scores)

    occ_by_stem = defaultdict(list)
    for o in stems.hangul:
        occ_by_stem[o.stem].append(o)
    for o in stems.latin:
        occ_by_stem[o.stem].append(o)
    if english is not None:   # the names of the covered clusters' spellings, in one batch
        english.prefetch(m for members in merged.values() if len(members) > 1 for m in members
                         if english.covers(m))
    proposals = []
    for root, members in merged.items():
        lat = latin_by_group.get(root, [])
        proposals.append(_proposal(members, lat, counts, stems.latin_counts, occ_by_stem, stems.full_names,
                                   glossary, english))
    for li, lg in enumerate(latin_groups):
        if li not in latin_link:
            proposals.append(_proposal([], lg, counts, stems.latin_counts, occ_by_stem, stems.full_names,
                                       glossary, english))
    # a lone syllable (둔, 강, 리) is too short to tell a name from a word unless a Latin form backs it
    proposals = [p for p in proposals if len(p.variants) > 1 or len(p.variants[0]) > 1
                 or not _is_hangul(p.variants[0])]
    families = term_families(ko_text, proposals)
    in_family = {v for f in families for v in f.variants}
    proposals = [p for p in proposals if p.multi_spelling or p.variants[0] not in in_family] + families
    proposals = [p for p in proposals if sum(p.counts.values()) >= min_count]
    proposals.sort(key=lambda p: (-len(p.variants), -sum(p.counts.values()), p.canonical))
    if parts[0].doc_id is not None:
        proposals = [_by_document(p, parts, occ_by_stem) for p in proposals]
    return proposals


def _by_document(p: Proposal, parts: list[_Part], occ_by_stem: dict[str, list[Occurrence]]) -> Proposal:
    """A corpus proposal with each document's spellings and line numbers (``documents``)."""
    firsts = [part.first for part in parts]

    def part_of(line: int) -> _Part:
        return parts[bisect.bisect_right(firsts, line) - 1]

    counts: dict[str, Counter] = defaultdict(Counter)
    lines: dict[str, set[int]] = defaultdict(set)
    for v in p.variants:
        for o in occ_by_stem.get(v, ()):
            part = part_of(o.line)
            counts[part.doc_id][v] += 1
            lines[part.doc_id].add(o.line - part.first + 1)
    for line in p.lines:   # a term family's spellings are counted by term_families, not as stems
        part = part_of(line)
        if not counts[part.doc_id]:
            for v in p.variants:
                if part.ko_text.count(v):
                    counts[part.doc_id][v] = part.ko_text.count(v)
        lines[part.doc_id].add(line - part.first + 1)
    documents = {part.doc_id: {"counts": dict(counts[part.doc_id]), "lines": sorted(lines[part.doc_id])}
                 for part in parts if lines.get(part.doc_id)}
    return replace(p, lines=[], documents=documents)


# Bound prefixes of political/legal terms; the negations are one class (불개입 / 비개입).
_NEGATION = frozenset("비불무미")
_TERM_PREFIXES = frozenset("반친탈") | _NEGATION
_SENTENCE_END = re.compile(r"(?<=[.!?])")
_TERM_WORD = re.compile(r"[가-힣]+(?:\([\u4e00-\u9fff]+\)[가-힣]+)?")
_HANJA_GLOSS = re.compile(r"\([\u4e00-\u9fff]+\)")


def _written_stem(word: str) -> str:
    """The particle-stripped stem of a word that may carry a hanja gloss (반(反)유고 stays whole)."""
    plain = _HANJA_GLOSS.sub("", word)
    if plain == word:
        stem = strip_particles(plain)
    else:  # a glossed word is a coined term: only a particle of two syllables or more comes off
        cuts = [c for c in range(1, len(plain) - 1) if plain[c:] in particle_suffixes()]
        stem = plain[:cuts[0]] if cuts else plain
    # map the stem back onto the written word, gloss included
    out, i = [], 0
    for m in re.finditer(r"\([^)]*\)|.", word):
        if i >= len(stem):
            break
        out.append(m.group())
        if not m.group().startswith("("):
            i += 1
    return "".join(out)


def term_families(ko_text: str, names: list[Proposal], *, max_count: int = 3) -> list[Proposal]:
    """One English term translated several garbled ways (anti-appeasers: 반유포자 / 반유해 / 반유쾌).

    Candidates are rare words of three syllables or more that start with a bound prefix
    (반-, 친-, 탈-, or a negation 비-/불-/무-/미-, taken as one); two of them are one term
    when they share the prefix and either the next syllable (반유포자 / 반유해) or the head
    noun (불개입 위원회 / 비간섭위원회), and they occur near each other: their sentences name
    a common person or place (a name cluster seen in under 15% of sentences), or they
    share a paragraph.  A word and a compound of it are one term only when the compound adds the
    word's own head (불개입 위원회 / 불개입위원회; not 비무장 움직임 / 비무장지대).
    """
    cluster_of = {v: i for i, p in enumerate(names) for v in p.variants}
    spelled_apart = {v for p in names if p.multi_spelling for v in p.variants}
    sentences: list[tuple[int, list[str]]] = []
    for lineno, line, _ in body_lines(ko_text):
        for sent in _SENTENCE_END.split(line):
            words = [m.group() for m in _WORD.finditer(sent)] + \
                    [m.group() for m in _TERM_WORD.finditer(sent) if "(" in m.group()]
            if words:
                sentences.append((lineno, words))
    mentions: Counter = Counter()
    sentence_names: list[set[int]] = []
    for _, words in sentences:
        ids = set()
        for w in words:
            stem = strip_particles(w) if _is_hangul(w) else re.sub(r"['’]s?$", "", w)
            if stem in cluster_of:
                ids.add(cluster_of[stem])
        sentence_names.append(ids)
        mentions.update(ids)
    common = {i for i, n in mentions.items() if n > COMMON_NAME_SHARE * max(1, len(sentences))}
    counts: Counter = Counter()
    context: dict[str, set[int]] = defaultdict(set)
    lines_of: dict[str, set[int]] = defaultdict(set)
    heads: dict[str, set[str]] = defaultdict(set)
    by_class: dict[str, set[str]] = defaultdict(set)
    for (lineno, words), ids in zip(sentences, sentence_names):
        for k, w in enumerate(words):
            if not (_is_hangul(w) or _HANJA_GLOSS.search(w)):
                continue
            stem = _written_stem(w)
            plain = _HANJA_GLOSS.sub("", stem)
            if len(plain) < 3 or plain[0] not in _TERM_PREFIXES or stem in spelled_apart \
                    or not _coined_noun(plain):
                continue
            counts[stem] += 1
            context[stem] |= ids - common
            lines_of[stem].add(lineno)
            heads[stem] |= _term_heads(plain, words[k + 1] if k + 1 < len(words) and w == stem else None)
            by_class["非" if plain[0] in _NEGATION else plain[0]].add(stem)

    def one_term(a: str, b: str) -> bool:
        pa, pb = _HANJA_GLOSS.sub("", a), _HANJA_GLOSS.sub("", b)
        (short, p_short), (_, p_long) = sorted(((a, pa), (b, pb)), key=lambda x: len(x[1]))
        if p_long.startswith(p_short) and p_long[len(p_short):] not in heads[short]:
            return False  # a word and a compound of it with another head: 비무장 (움직임) and 비무장지대 are two terms
        near = bool(context[a] & context[b]) or bool(lines_of[a] & lines_of[b])
        return near and (pa[1] == pb[1] or bool(heads[a] & heads[b]))

    out = []
    for key, stems in sorted(by_class.items()):
        stems = {x for x in stems if counts[x] <= max_count}
        if len(stems) < 2:
            continue
        for g in _complete_linkage(sorted(stems), one_term, counts):
            if len(g) < 2:
                continue
            # a head noun every spelling has, after it or inside it (Kiwi may not split 불개입위원회)
            shared = {h for h in set().union(*(heads[x] for x in g))
                      if all(h in heads[x] or _without_head(x, h) != x for x in g)}
            head = min(shared, key=lambda h: (-len(h), h)) if shared else None
            # the most used spelling first, counting 불개입 (before 위원회) and 불개입위원회 as one
            by_modifier = Counter()
            for x in g:
                by_modifier[_without_head(x, head)] += counts[x]
            g.sort(key=lambda x: (-by_modifier[_without_head(x, head)], -counts[x], x))
            out.append(Proposal(None, g, {x: counts[x] for x in g}, "term", None, [],
                                sorted(set().union(*(lines_of[x] for x in g))), head=head))
    return out


def _coined_noun(plain: str) -> bool:
    """A candidate member of a term family is no dictionary word of its own (비평가 "critic", 불가피
    "inevitable" are words; 반유해 and 불개입 are not): a term the translation made up or garbled."""
    return not _known_common_word(plain, len(plain))


def _term_heads(plain: str, next_word: str | None) -> set[str]:
    """The head noun of a prefixed term: inside the compound (비간섭위원회 -> 위원회) or the next
    word when the term stands alone before it (불개입 위원회)."""
    tokens = analyze(plain)
    nouns = [t.form for t in tokens if t.tag.startswith("NN")]
    if len(nouns) >= 2:
        return {nouns[-1]}
    if next_word and _is_hangul(next_word):
        return {strip_particles(next_word)}
    return set()


SURNAME_LINK_MIN = 0.3  # a surname placed by its given name needs only this transliteration score


def _link_surnames(hangul, latin_groups, latin_link, merged, latin_by_group, full_names, find,
                   scores: "_ScoreCache") -> None:
    """Align full names: Latin "Beatrice Webb" whose given name is linked to 베아트리스 puts the
    surname Webb on the word that follows 베아트리스 in the Korean (웹), even where that word
    is too short or too common to be a name candidate by itself."""
    group_of_latin = {w: li for li, lg in enumerate(latin_groups) for w in lg}
    root_of_stem = {m: r for r, members in merged.items() for m in members}
    following: dict[int, Counter] = defaultdict(Counter)
    for a, b in zip(hangul, hangul[1:]):
        if a.line == b.line and not a.particle and b.start == a.end + 1 and a.stem in root_of_stem:
            following[root_of_stem[a.stem]][b.stem] += 1
    next_root = max(merged, default=-1) + 1
    for surname, fulls in full_names.items():
        li = group_of_latin.get(surname)
        if li is None or li in latin_link:
            continue
        votes: Counter = Counter()
        for full in fulls:
            words = full.split()
            given = group_of_latin.get(words[-2]) if len(words) >= 2 else None
            if given is not None and given in latin_link:
                votes.update(following[find(latin_link[given])])
        if not votes:
            continue
        stem, _ = votes.most_common(1)[0]
        if not _is_hangul(stem) or scores.get(surname, stem) < SURNAME_LINK_MIN:
            continue
        root = root_of_stem.get(stem)
        if root is None:
            root, next_root = next_root, next_root + 1
            merged[root] = [stem]
            root_of_stem[stem] = root
        latin_link[li] = root
        latin_by_group[root].extend(latin_groups[li])


def _english_names(en_text: str) -> list[str]:
    words = Counter(re.sub(r"['’]s$", "", w) for w in re.findall(r"\b[A-Z][A-Za-z'’\-]+", en_text))
    return [w for w in words if w.lower() not in LATIN_STOP]


# Sound classes shared by English letters and Hangul jamo, for blocking only: which English words of
# the source are worth scoring against a Hangul stem (they share two class keys: first and last
# consonant class, or a pair of consecutive consonant classes).  Vowels, h, w and y are left out.
_HANGUL_CLASS = {0: "K", 1: "T", 2: "P", 3: "S", 4: "N", 5: "L"}
_LETTER_CLASS = dict.fromkeys("kgq", "K") | dict.fromkeys("td", "T") | dict.fromkeys("bpfv", "P") \
    | dict.fromkeys("sjz", "S") | dict.fromkeys("mn", "N") | dict.fromkeys("lr", "L")
_DIGRAPHS = {"ch": "S", "sh": "S", "th": "T", "ph": "P", "ck": "K", "gh": ""}


def _sound_keys(classes: list[str]) -> frozenset[str]:
    seq = [c for i, c in enumerate(classes) if c and (i == 0 or c != classes[i - 1])]
    if not seq:
        return frozenset({"^$"})
    return frozenset({"^" + seq[0], seq[-1] + "$"} | {a + b for a, b in zip(seq, seq[1:])})


def _hangul_sound_keys(stem: str) -> frozenset[str]:
    return _sound_keys([_HANGUL_CLASS.get(consonant_class(j), "") for j in to_jamo(stem)])


def _english_sound_keys(word: str) -> frozenset[str]:
    from glossary.translit_score import english_letters
    letters, classes, i = english_letters(word), [], 0
    while i < len(letters):
        pair = letters[i:i + 2]
        if pair in _DIGRAPHS:
            classes.append(_DIGRAPHS[pair])
            i += 2
            continue
        ch = letters[i]
        if ch == "c":
            classes.append("S" if letters[i + 1:i + 2] in ("e", "i", "y") else "K")
        elif ch == "x":
            classes += ["K", "S"]
        elif ch == "n" and pair == "ng" and (i + 2 == len(letters) or letters[i + 2] not in "aeiouy"):
            classes.append("N")
            i += 1
        else:
            classes.append(_LETTER_CLASS.get(ch, ""))
        i += 1
    return _sound_keys(classes)


ENGLISH_COVERAGE = 1.0     # English of at least this many characters per Korean one is the whole document's
                           # source (English runs about twice its Korean); less is a part (the sample's 20 pairs)
POSITION_WINDOW = 0.01     # ... then a source word names a spelling only if used within this share of the
                           # document of it (relative line numbers), near at least half of its uses
POSITION_DRIFT = 0.25      # ... and within this many times the square root of the document's lines: where the
                           # two texts are segmented differently (English paragraphs, Korean sentences), the
                           # relative positions drift apart like a random walk, by about the square root of the
                           # length, not in proportion to it.  (NTREX's 1,997 lines as one document: a window of
                           # 1% is +-20 lines, and 드와이어 / 재인스 / 로버 were named 'Did' / 'Jan' / 'Robert' from
                           # sentences away; at +-11, none / 'Jaynes' / 'Rover', and 블레이시 / 블래시 / Blasey join.)
                           # The two agree up to 625 lines, so shorter documents are read as before.
NEAR_LINES_MIN = 2.5       # ... and never less than this many lines either side
NEAR_USES_SAMPLED = 20     # uses of a frequent spelling looked at for that
NAME_CANDIDATES = 8        # source words (best by the cost table) the neural model weighs for one spelling
NEURAL_NAME_MIN = PLAUSIBLE_MIN / 2   # mean log-probability per jamo at which a spelling renders a source
                                     # word: half way from certain to the model's implausibility bar
                                     # (Greece/그리스 -0.07, Chris/그리스 -1.16, Peter/피트 -1.74)


def position_window(n_lines: int) -> float:
    """How many lines either side of a Korean use a source word may stand to name it, in a document of
    ``n_lines`` (see POSITION_WINDOW, POSITION_DRIFT and NEAR_LINES_MIN)."""
    return max(min(POSITION_WINDOW * n_lines, POSITION_DRIFT * math.sqrt(n_lines)), NEAR_LINES_MIN)


def _neural_scores(pairs: list[tuple[str, str]]) -> list[float]:
    """The shipped neural model's plausibility of each (English word, Hangul word) pair; -inf for a pair
    it cannot score."""
    from glossary.translit import TransliterationInputError, default_model
    from glossary.translit.text import normalise_word
    model = default_model()
    out = [float("-inf")] * len(pairs)
    todo = []
    for i, (english, hangul) in enumerate(pairs):
        try:
            word = normalise_word(english, model.letters)
        except TransliterationInputError:
            continue
        if word and _is_hangul(hangul):
            todo.append((i, word, hangul))
    # (the model decodes in length-sorted batches and keeps what it scored)
    for (i, _, _), (logp, n) in zip(todo, model.word_logprobs([w for _, w, _ in todo], [h for _, _, h in todo])):
        out[i] = logp / n
    return out


class _EnglishNames:
    """The capitalised words of the English source: which one names a Hangul spelling or cluster.

    Blocking: only words that share sound-class keys with a spelling (:func:`_english_sound_keys`)
    are scored, each (word, spelling) pair once.  When the English is the whole document's source
    (ENGLISH_COVERAGE), a word must also be used near the spelling (POSITION_WINDOW, relative offsets
    in the two texts): a name and its rendering stand at about the same place of a document and its
    translation, which finds exonyms the spelling scores cannot (Greece / 그리스) and keeps the work
    per spelling bounded however long the document."""

    def __init__(self, parts: list[_Part], occurrences: dict[str, list[Occurrence]], scores: _ScoreCache):
        self.words = _english_names("\n".join(p.en_text for p in parts if p.en_text))
        self.order = {w: i for i, w in enumerate(self.words)}
        self.scores = scores
        self.keys = {w: _english_sound_keys(w) for w in self.words}
        self._stem_names: dict[str, str | None] = {}
        self._plausible: dict[tuple[str, str], float] = {}
        self.by_key: dict[str, list[str]] = defaultdict(list)
        for w, keys in self.keys.items():
            for k in keys:
                self.by_key[k].append(w)
        self.occurrences = occurrences
        self._covered: dict[str, bool] = {}
        self.parts = parts
        self.firsts = [p.first for p in parts]
        self.covering = {p.doc_id for p in parts if p.en_text and len(p.en_text) >= ENGLISH_COVERAGE * len(p.ko_text)}
        # positions in Korean line units: a translation keeps its source's paragraphs, so an English line's
        # relative place in its document is where its Korean stands
        known = set(self.words)
        found: list[tuple[float, str]] = []
        for p in parts:
            if p.doc_id not in self.covering:
                continue
            en_lines = p.en_text.split("\n")
            for i, line in enumerate(en_lines):
                for m in re.finditer(r"\b[A-Z][A-Za-z'’\-]+", line):
                    w = re.sub(r"['’]s$", "", m.group())
                    if w in known:
                        found.append((p.first - 1 + (i + 0.5) / len(en_lines) * p.n_lines, w))
        found.sort()
        self.positions = [pos for pos, _ in found]
        self.words_at = [w for _, w in found]

    def _part_of(self, o: Occurrence) -> _Part:
        return self.parts[bisect.bisect_right(self.firsts, o.line) - 1]

    def covers(self, stem: str) -> bool:
        """Some use of ``stem`` lies in a document whose English is its whole source."""
        if stem not in self._covered:
            self._covered[stem] = any(self._part_of(o).doc_id in self.covering for o in self.occurrences.get(stem, ()))
        return self._covered[stem]

    def _near(self, stem: str) -> set[str] | None:
        """Source words used near most uses of ``stem`` in covered documents (None: no such use)."""
        uses = [o for o in self.occurrences.get(stem, []) if self._part_of(o).doc_id in self.covering]
        if not uses:
            return None
        step = max(1, len(uses) // NEAR_USES_SAMPLED)
        sampled = uses[::step][:NEAR_USES_SAMPLED]
        votes: Counter = Counter()
        for o in sampled:
            part = self._part_of(o)
            window = position_window(part.n_lines)
            lo = bisect.bisect_left(self.positions, o.line - 0.5 - window)
            hi = bisect.bisect_right(self.positions, o.line - 0.5 + window)
            votes.update(set(self.words_at[lo:hi]))
        return {w for w, n in votes.items() if n * 2 >= len(sampled)}

    def candidates(self, stem: str) -> list[str]:
        keys = _hangul_sound_keys(stem)
        near = self._near(stem)
        shared: Counter = Counter(w for k in keys for w in self.by_key.get(k, ()) if near is None or w in near)
        return [w for w, n in shared.items() if n >= min(2, len(keys), len(self.keys[w]))]

    def plausibility(self, english: str, stem: str) -> float:
        if (english, stem) not in self._plausible:
            self._plausible[english, stem] = _neural_scores([(english, stem)])[0]
        return self._plausible[english, stem]

    def name_of_stem(self, stem: str) -> str | None:
        """The source word this one spelling renders: of the NAME_CANDIDATES words the cost table likes
        best, the one the neural model finds most plausible, at NEURAL_NAME_MIN or above."""
        if stem not in self._stem_names:
            self.prefetch([stem])
        return self._stem_names[stem]

    def prefetch(self, stems: Iterable[str]) -> None:
        """Find the names of many spellings at once (the neural model scores in batches)."""
        todo = {}
        for stem in stems:
            if stem in self._stem_names or stem in todo:
                continue
            words = self.candidates(stem)
            self.scores.fill_pairs((w, stem) for w in words)
            todo[stem] = sorted(words, key=lambda w: (-self.scores.get(w, stem), self.order[w]))[:NAME_CANDIDATES]
        pairs = [(w, stem) for stem, words in todo.items() for w in words if (w, stem) not in self._plausible]
        self._plausible.update(zip(pairs, _neural_scores(pairs)))
        for stem, words in todo.items():
            best = max(words, key=lambda w: (self._plausible[w, stem], -self.order[w]), default=None)
            self._stem_names[stem] = best if best is not None and \
                self._plausible[best, stem] >= NEURAL_NAME_MIN else None

    def prefetch_agreement(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Warm, in batches, what :meth:`agree` reads for each pair of spellings: their names, then the
        plausibility of each name in the other spelling (a superset: agree may decide sooner)."""
        pairs = list(pairs)
        self.prefetch(s for pair in pairs for s in pair)
        asked = []
        for a, b in pairs:
            na, nb = self._stem_names[a], self._stem_names[b]
            if na is not None and nb is not None:
                if na != nb:
                    asked += [(na, b), (nb, a)]
            elif na is not None or nb is not None:
                asked.append((na, b) if na is not None else (nb, a))
        asked = [p for p in dict.fromkeys(asked) if p not in self._plausible]
        self._plausible.update(zip(asked, _neural_scores(asked)))

    def agree(self, a: str, b: str) -> bool:
        """Two spellings may be one name: they can render the same source word.

        With the English present, 그리스 (Greece) and 크리스 (Chris), or 보리스 (Boris) and 브루스
        (Bruce), are different names however alike their jamo.  A spelling that renders no source
        word agrees with any other when the English is a part of the document; when it is the whole
        source, it must still render the other's word (하렘 is no spelling of Harlem), and two that
        render none are words, not names."""
        na, nb = self.name_of_stem(a), self.name_of_stem(b)
        if na is not None and nb is not None:   # two romanisations of one name (Maisky / Maysky): each
            return na == nb or self.plausibility(na, b) >= SURE_RENDERING \
                and self.plausibility(nb, a) >= SURE_RENDERING   # spelling surely renders both
        if not (self.covers(a) and self.covers(b)):
            return True
        if na is None and nb is None:   # no rendering of a source name: words (민주당 / 민족당), not names
            return False
        named, other = (na, b) if na is not None else (nb, a)
        return self.plausibility(named, other) >= NEURAL_NAME_MIN

    def renders_latin(self, word: str, members: list[str]) -> bool:
        """A Latin word left in the Korean may name a cluster: its spellings render no other source name
        than this word, and one renders the word (with the English the whole source)."""
        named = [m for m in members if self.covers(m) and self.name_of_stem(m) is not None]
        if not named:
            return True
        return any(self.name_of_stem(m) == word or self.plausibility(word, m) >= NEURAL_NAME_MIN for m in named)

    def name_of(self, members: list[str]) -> str | None:
        """The source word that names a cluster.  A cluster of several spellings with the English the whole
        source: the name its most used spelling renders (:meth:`name_of_stem`).  Otherwise the word that the
        cluster transliterates best by the cost table, at ENGLISH_NAME_MIN or above (first in the source on
        a tie); one neural score per candidate would cost more than the rest of discovery."""
        if len(members) > 1 and any(self.covers(m) for m in members):   # (names already weighed by agree)
            for m in sorted(members, key=lambda m: (-len(self.occurrences.get(m, ())), m)):
                name = self.name_of_stem(m)
                if name is not None:
                    return name
            return None
        pairs = [(w, m) for m in members for w in self.candidates(m)]
        if not pairs:
            return None
        self.scores.fill_pairs(pairs)
        best: dict[str, float] = {}
        for w, m in pairs:
            best[w] = max(best.get(w, 0.0), self.scores.get(w, m))
        word = max(best, key=lambda w: (best[w], -self.order[w]))
        return word if best[word] >= ENGLISH_NAME_MIN else None


def _entity_type(occs: list[Occurrence]) -> str:
    locative = sum(1 for o in occs if o.particle in ("에서", "에", "로", "으로", "에서는", "에는", "까지"))
    return "place" if occs and locative * 2 > len(occs) else "person"


def _prefetch_plausible(pairs: Iterable[tuple[str, str]]) -> None:
    """Score in batches the (English, Hangul) pairs :func:`_some_plausible` is about to ask about."""
    from glossary.translit import default_model
    default_model().prefetch_scores(pairs)


def _some_plausible(english: str, spellings: list[str]) -> bool:
    """The neural model's veto on a link the cost table proposes: some spelling must render the word.

    (True when none can be scored, so the cost table alone decides for odd input.)
    """
    from glossary.translit import any_plausible
    return any_plausible((english, s) for s in spellings)


def _standard_spelling_score(english: str | None, hangul: str) -> float:
    """How standard ``hangul`` is as the spelling of ``english`` (the shipped neural model; 0.0 without English)."""
    if not english or not english.isascii():
        return 0.0
    from glossary.translit import TransliterationInputError, default_model
    try:
        return default_model().score(english, hangul)
    except TransliterationInputError:
        return 0.0


def _nikl_spelling(english: str | None, members: list[str]) -> str | None:
    """The member that the NIKL usage list gives as the standard spelling of ``english`` (the editors'
    standard wins over the document's majority); None when the list does not have the name."""
    if not english:
        return None
    from glossary.translit.nikl import default_table
    hit = default_table().lookup(english)
    if hit is None:
        return None
    return next((s for s in hit.spellings if s in members), None)


def _proposal(members, latin_members, counts, latin_counts, occ_by_stem, full_names, glossary,
              english_names: _EnglishNames | None) -> Proposal:
    """Step 7: one proposal: its English name, canonical spelling, variants, type and lines."""
    cnt = {m: counts[m] for m in members}
    cnt.update({m: latin_counts[m] for m in latin_members})
    entry = None
    if glossary is not None:
        for m in list(members) + list(latin_members):
            found = glossary.find(m)
            if found:
                entry = found[0]
                break
    english = None
    if latin_members:
        english = max(latin_members, key=lambda m: latin_counts[m])
    elif entry is not None and entry.preferred_english:
        english = entry.preferred_english.text
    elif english_names is not None and members:
        english = english_names.name_of(list(members))
    if entry is not None and entry.preferred_korean:
        canonical = entry.preferred_korean.text
    elif members and _nikl_spelling(english, members) is not None:
        canonical = _nikl_spelling(english, members)
    elif members:
        # majority first; a tie goes to the spelling the transliteration model finds most standard
        # (scored only on a tie: one model call per spelling of every name costs more than the rest)
        top = max(counts[m] for m in members)
        tied = [m for m in members if counts[m] == top]
        canonical = tied[0] if len(tied) == 1 else \
            max(tied, key=lambda m: (_standard_spelling_score(english, m), m))
    else:
        canonical = english
    variants = [canonical] + sorted((m for m in set(members) | set(latin_members) if m != canonical),
                                    key=lambda m: (-cnt.get(m, 0), m))
    if canonical not in cnt:
        cnt[canonical] = 0
    occs = [o for m in members for o in occ_by_stem.get(m, [])]
    fulls = sorted({f for m in latin_members for f in full_names.get(m, ())})
    lines = sorted({o.line for m in variants for o in occ_by_stem.get(m, [])})
    return Proposal(english, variants, {v: cnt.get(v, 0) for v in variants}, _entity_type(occs),
                    entry.id if entry else None, fulls, lines)


def proposals_table(proposals: Iterable[Proposal]) -> str:
    """A plain-text table; corpus proposals list each document's spellings after the variants."""
    rows = [("#", "canonical", "english", "type", "variants (count)", "glossary")]
    for i, p in enumerate(proposals, 1):
        variants = ", ".join(f"{v} ({p.counts.get(v, 0)})" for v in p.variants)
        if p.documents:
            variants += "  [" + "; ".join(f"{doc}: " + ", ".join(f"{v} {n}" for v, n in d["counts"].items())
                                          for doc, d in p.documents.items()) + "]"
        rows.append((str(i), p.canonical, p.english or "-", p.type, variants, p.glossary_id or "-"))
    from corpus.textwidth import table  # padded by display width: Hangul takes two terminal columns

    return "\n".join(table(rows)) + "\n"


def proposals_jsonl(proposals: Iterable[Proposal]) -> str:
    return "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in proposals)


def apply_proposals(tb: TermBase, proposals: Iterable[Proposal], *, provenance: str = "mtreview glossary discover") -> list[str]:
    """Write proposals into ``tb``: new entries, or new spellings of existing ones.

    The canonical Hangul form is preferred in a new entry, the other Hangul
    spellings deprecated (they are what the checks should flag); Latin leftovers
    become English terms.  Returns the warnings of the term base afterwards.
    """
    warnings: list[str] = []
    for p in proposals:
        hangul = p.hangul_variants
        latin = [v for v in p.variants if v not in hangul]
        if p.glossary_id and p.glossary_id in tb:
            entry = tb.get(p.glossary_id)
            known = {t.text for t in entry.terms}
            for v in hangul:
                if v not in known:
                    status = Status.DEPRECATED if tb.get(entry.id).preferred_korean else Status.PREFERRED
                    _, warnings = tb.set_korean_status(entry.id, v, status)
            continue
        if not hangul:
            continue
        english = [p.english] if p.english else []
        english += [v for v in latin if v not in english]
        preferred, deprecated = p.glossary_forms()
        _, warnings = tb.add(english, [preferred], deprecated=deprecated, type=p.type,
                             provenance=provenance,
                             note=("seen in: " + ", ".join(p.full_names)) if p.full_names else "",
                             entry_id=None if english else tb.new_id(_romanise_id(hangul[0])))
    return warnings


_RR_INITIAL = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h"]
_RR_MEDIAL = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi",
              "yu", "eu", "ui", "i"]
_RR_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
             "ng", "t", "t", "k", "t", "p", "t"]


def romanise(hangul: str) -> str:
    """A plain Revised-Romanisation spelling of Hangul (for entry ids): 수데텐란트 -> sudetenranteu."""
    out = []
    for ch in hangul:
        if is_hangul_syllable(ch):
            code = ord(ch) - 0xAC00
            out.append(_RR_INITIAL[code // 588] + _RR_MEDIAL[(code % 588) // 28] + _RR_FINAL[code % 28])
        elif ch.isascii() and ch.isalnum():
            out.append(ch.lower())
        else:
            out.append("-")
    return "".join(out).strip("-") or "entry"


def _romanise_id(hangul: str) -> str:
    return "ko-" + romanise(hangul)
