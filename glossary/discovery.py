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

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Callable, Iterable

from corpus.text import is_reference_heading
from glossary.jamo import (is_hangul_syllable, is_variant, jamo_distance, syllable_parts, to_jamo,
                          VOWELS)
from glossary.matching import TITLES
from glossary.morph import analyze, oov_id, particle_suffixes, strip_particles
from glossary.termbase import Status, TermBase

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

    @property
    def canonical(self) -> str:
        return self.variants[0]

    @property
    def hangul_variants(self) -> list[str]:
        return [v for v in self.variants if any(is_hangul_syllable(c) for c in v)]

    @property
    def multi_spelling(self) -> bool:
        return len(self.variants) > 1

    def to_json(self) -> dict:
        return {"english": self.english, "variants": self.variants, "counts": self.counts,
                "canonical": self.canonical, "type": self.type, "glossary_id": self.glossary_id,
                "full_names": self.full_names, "lines": self.lines}


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
    """Not a single dictionary word: Kiwi splits it or does not know it (메이시, 이든)."""
    return not _known_common_word(stem, len(stem))


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
    for lineno, line, offset in body_lines(text):
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
    return hangul, latin, full_names


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


def _complete_linkage(items: list[str], linked: Callable[[str, str], bool], order: dict[str, int],
                      weak_join: Callable[[str, str], bool] | None = None) -> list[list[str]]:
    """Group ``items``, frequent ones first: an item joins a group when it is linked to its
    most frequent member and to at least half of its members (no long chains)."""
    groups: list[list[str]] = []
    for it in sorted(items, key=lambda s: (-order.get(s, 0), s)):
        for g in groups:
            votes = sum(1 for o in g if linked(it, o))
            weak = weak_join is not None and any(weak_join(it, o) for o in g)
            if weak or (votes * 2 >= len(g) and (linked(it, g[0]) or votes * 2 > len(g))):
                g.append(it)
                break
        else:
            groups.append([it])
    return groups


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


def _prefilter(a: str, b: str) -> bool:
    ja, jb = to_jamo(a), to_jamo(b)
    return abs(len(ja) - len(jb)) <= 4


def discover(ko_text: str, *, en_text: str | None = None, glossary: TermBase | None = None,
             score: Score | None = None, min_count: int = 1) -> list[Proposal]:
    """Propose glossary entries for the names of ``ko_text`` (see the module docstring)."""
    if score is None:
        from glossary.translit_score import default_scorer
        score = default_scorer().score
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
    counts = Counter(o.stem for o in hangul)
    proper_counts = Counter(o.stem for o in hangul if o.proper)
    # a stem is a name candidate when most of its uses look like a name (not 철수 "withdrawal")
    seeds = {s for s in counts if _is_hangul(s) and proper_counts[s] * 2 >= counts[s] and proper_counts[s]}
    if glossary is not None:
        seeds |= {t.text for e in glossary for t in e.korean if t.text in counts}
    # rarer stems Kiwi missed join when they are variants of a seed (메이시 ~ 메이스키)
    satellites: dict[str, str] = {}
    for s in counts:
        if s in seeds or len(s) < 2 or not _is_hangul(s) or not _satellite_eligible(s):
            continue
        for seed in seeds:
            if counts[seed] >= 3 * counts[s] and _prefilter(s, seed) and s[0] == seed[0] \
                    and (is_variant(s, seed) or jamo_distance(s, seed) <= 0.21):
                satellites[s] = seed
                break
    lines_of: dict[str, set[int]] = defaultdict(set)
    for o in hangul:
        lines_of[o.stem].add(o.line)

    def one_off(rare: str, frequent: str) -> bool:
        """A one-off truncated spelling of a frequent name (메이시 beside 메이스키)."""
        return counts[rare] <= 1 and counts[frequent] >= 10 and rare[0] == frequent[0] \
            and len(rare) >= 2 and not _compound(rare, frequent) and jamo_distance(rare, frequent) <= 0.21

    def linked(a: str, b: str) -> bool:
        if len(a) < 2 or len(b) < 2 or not _prefilter(a, b):
            return False
        if _compound(a, b):
            return False
        if not is_variant(a, b):
            return one_off(a, b) or one_off(b, a)
        # two one-off spellings need the support of context: used near each other (됭케르크 ... 던커크)
        if min(counts[a], counts[b]) <= 1 and jamo_distance(a, b) > 0.1:
            return any(abs(x - y) <= 1 for x in lines_of[a] for y in lines_of[b])
        return True

    groups = _complete_linkage(sorted(seeds), linked, counts, weak_join=one_off)
    for sat, seed in satellites.items():
        for g in groups:
            if seed in g:
                g.append(sat)
                break

    latin_counts = Counter(o.stem for o in latin)
    latin_groups = _complete_linkage(sorted(latin_counts),
                                     lambda a, b: a[0].lower() == b[0].lower() and _latin_distance(a, b) <= LATIN_MAX_DIST,
                                     latin_counts)
    # link Latin groups to Hangul groups by transliteration
    group_of: dict[int, int] = {i: i for i in range(len(groups))}

    def find(i: int) -> int:
        while group_of[i] != i:
            i = group_of[i]
        return i

    latin_link: dict[int, int] = {}
    # acronyms (GRU, MGB, RAPP) are not transliterated; they never link
    linkable = [li for li, lg in enumerate(latin_groups) if not lg[0].isupper()]
    table = {(li, gi): max(score(lat, s) for lat in latin_groups[li] for s in g)
             for li in linkable for gi, g in enumerate(groups)}

    def best_latin(gi: int) -> int | None:
        cands = [(table[li, gi], li) for li in linkable]
        return max(cands)[1] if cands else None

    # 1. two Hangul clusters that both transliterate one Latin word, and look alike, are one
    #    name: 에덴 / 이든 (Eden: vowels only differ), 푹스 / 푸치스 (Fuchs: both rare)
    for li in linkable:
        scored = sorted(((table[li, gi], gi) for gi in range(len(groups))), reverse=True)
        if len(scored) < 2 or scored[0][0] < LINK_MIN:
            continue
        bi = scored[0][1]
        for v, si in scored[1:]:
            if v < BRIDGE_MIN or best_latin(bi) != li:
                continue
            # same consonants, vowels aside, is strong evidence by itself (에덴 / 이든)
            alike = any(_same_consonants(x, y) for x in groups[bi] for y in groups[si])
            # two rare spellings that both transliterate the word best (푹스 / 푸치스)
            rare = sum(counts[x] for x in groups[bi]) <= 3 and sum(counts[x] for x in groups[si]) <= 3 \
                and best_latin(si) == li \
                and any(jamo_distance(x, y) <= 0.36 and to_jamo(x)[0] == to_jamo(y)[0] and x[-1] == y[-1]
                        for x in groups[bi] for y in groups[si])
            if alike or rare:
                group_of[find(si)] = find(bi)
    # 2. each Latin word joins the (merged) cluster it transliterates best, when that cluster
    #    also has it as its best Latin word and no other cluster comes close
    roots = sorted({find(gi) for gi in range(len(groups))})
    members_of = defaultdict(list)
    for gi in range(len(groups)):
        members_of[find(gi)].append(gi)
    rtable = {(li, r): max(table[li, gi] for gi in members_of[r]) for li in linkable for r in roots}
    best_latin_of: dict[int, int] = {}
    for r in roots:
        cands = [(rtable[li, r], li) for li in linkable]
        if cands:
            best_latin_of[r] = max(cands)[1]
    for li in linkable:
        scored = sorted(((rtable[li, r], r) for r in roots), reverse=True)
        word = latin_groups[li][0]
        need = LINK_MIN if len(word) >= 8 else LINK_MIN_SHORT if len(word) >= 4 else LINK_MIN_TINY
        if not scored or scored[0][0] < need:
            continue
        best, br = scored[0]
        runner = scored[1][0] if len(scored) > 1 else 0.0
        if best - runner >= LINK_MARGIN and best_latin_of.get(br) == li \
                and _some_plausible(word, [m for gi in members_of[br] for m in groups[gi]]):
            latin_link[li] = br
    merged: dict[int, list[str]] = defaultdict(list)
    for gi, g in enumerate(groups):
        merged[find(gi)].extend(g)
    latin_by_group: dict[int, list[str]] = defaultdict(list)
    for li, gi in latin_link.items():
        latin_by_group[find(gi)].extend(latin_groups[li])
    _link_surnames(hangul, latin_groups, latin_link, merged, latin_by_group, full_names, find, score)
    en_words = _english_names(en_text) if en_text else []

    proposals = []
    occ_by_stem = defaultdict(list)
    for o in hangul:
        occ_by_stem[o.stem].append(o)
    for o in latin:
        occ_by_stem[o.stem].append(o)
    for root, members in merged.items():
        lat = latin_by_group.get(root, [])
        proposals.append(_proposal(members, lat, counts, latin_counts, occ_by_stem, full_names, glossary,
                                   en_words, score))
    linked_latin = {li for li in latin_link}
    for li, lg in enumerate(latin_groups):
        if li not in linked_latin:
            proposals.append(_proposal([], lg, counts, latin_counts, occ_by_stem, full_names, glossary,
                                       en_words, score))
    # a lone syllable (둔, 강, 리) is too short to tell a name from a word unless a Latin form backs it
    proposals = [p for p in proposals if len(p.variants) > 1 or len(p.variants[0]) > 1
                 or not _is_hangul(p.variants[0])]
    families = term_families(ko_text, proposals)
    in_family = {v for f in families for v in f.variants}
    proposals = [p for p in proposals if p.multi_spelling or p.variants[0] not in in_family] + families
    proposals = [p for p in proposals if sum(p.counts.values()) >= min_count]
    proposals.sort(key=lambda p: (-len(p.variants), -sum(p.counts.values()), p.canonical))
    return proposals


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
    share a paragraph.
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
            if len(plain) < 3 or plain[0] not in _TERM_PREFIXES or stem in spelled_apart:
                continue
            counts[stem] += 1
            context[stem] |= ids - common
            lines_of[stem].add(lineno)
            heads[stem] |= _term_heads(plain, words[k + 1] if k + 1 < len(words) and w == stem else None)
            by_class["非" if plain[0] in _NEGATION else plain[0]].add(stem)

    def one_term(a: str, b: str) -> bool:
        pa, pb = _HANJA_GLOSS.sub("", a), _HANJA_GLOSS.sub("", b)
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
            g.sort(key=lambda x: (-counts[x], x))
            out.append(Proposal(None, g, {x: counts[x] for x in g}, "term", None, [],
                                sorted(set().union(*(lines_of[x] for x in g)))))
    return out


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


def _link_surnames(hangul, latin_groups, latin_link, merged, latin_by_group, full_names, find, score) -> None:
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
        if not _is_hangul(stem) or score(surname, stem) < SURNAME_LINK_MIN:
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


def _entity_type(occs: list[Occurrence]) -> str:
    locative = sum(1 for o in occs if o.particle in ("에서", "에", "로", "으로", "에서는", "에는", "까지"))
    return "place" if occs and locative * 2 > len(occs) else "person"


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


def _proposal(members, latin_members, counts, latin_counts, occ_by_stem, full_names, glossary, en_words, score):
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
    elif en_words and members:
        best = max(en_words, key=lambda w: max(score(w, m) for m in members))
        top = max(score(best, m) for m in members)
        if top >= 0.45:
            english = best
    if entry is not None and entry.preferred_korean:
        canonical = entry.preferred_korean.text
    elif members:
        # majority first; a tie goes to the spelling the transliteration model finds most standard
        canonical = max(members, key=lambda m: (counts[m], _standard_spelling_score(english, m), m))
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
    rows = [("#", "canonical", "english", "type", "variants (count)", "glossary")]
    for i, p in enumerate(proposals, 1):
        rows.append((str(i), p.canonical, p.english or "-", p.type,
                     ", ".join(f"{v} ({p.counts.get(v, 0)})" for v in p.variants), p.glossary_id or "-"))
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
        _, warnings = tb.add(english, [hangul[0]], deprecated=hangul[1:], type=p.type,
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
