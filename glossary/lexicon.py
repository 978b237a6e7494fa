"""A bilingual English-Korean word lexicon learned from human-translated parallel text.

The table (``glossary/data/lexicon/``) holds, for English words (lowercased and
lightly lemmatised by :func:`english_lemma`) and Korean content morphemes (Kiwi
forms chosen by :func:`korean_units`), word-alignment counts from
``training/lexicon/`` (eflomal over LibreOffice help, the Debian FAQ and part of
NTREX-128; see ``glossary/data/lexicon/PROVENANCE.md``):

- ``p(ko|en)`` and ``p(en|ko)`` for the kept pairs;
- how often each English word occurred and how often a human left it without
  any Korean counterpart (``null`` rate): words that translators always render
  are the ones whose absence means something.

It loads with numpy and JSON only.  :func:`match_pair` says, for one pair, which
English word each Korean unit renders (lexicon, identical Latin, number) and
which English words have no counterpart; review checks build their findings on it.

Shared by training and run time: the same tokenisation must be used on both
sides or the table's keys do not match.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

DATA_DIR = Path(__file__).parent / "data" / "lexicon"

# ---------------------------------------------------------------------------- English words

EN_WORD_RE = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*|\d+(?:[.,]\d+)*")
_IRREGULAR = {
    "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "being": "be", "am": "be",
    "has": "have", "had": "have", "having": "have", "does": "do", "did": "do", "done": "do",
    "went": "go", "gone": "go", "made": "make", "said": "say", "took": "take", "taken": "take",
    "came": "come", "got": "get", "gotten": "get", "gave": "give", "given": "give", "found": "find",
    "knew": "know", "known": "know", "thought": "think", "told": "tell", "became": "become",
    "felt": "feel", "brought": "bring", "began": "begin", "begun": "begin",
    "kept": "keep", "held": "hold", "wrote": "write", "written": "write", "stood": "stand",
    "heard": "hear", "meant": "mean", "met": "meet", "ran": "run", "paid": "pay", "sat": "sit",
    "spoke": "speak", "spoken": "speak", "lay": "lie", "led": "lead", "grew": "grow", "grown": "grow",
    "lost": "lose", "fell": "fall", "fallen": "fall", "sent": "send", "built": "build", "understood": "understand",
    "children": "child", "men": "man", "women": "woman", "people": "people", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "data": "data", "news": "news", "won't": "not", "can't": "not", "n't": "not",
    "cannot": "not", "better": "good", "best": "good", "worse": "bad", "worst": "bad",
    "chose": "choose", "chosen": "choose", "drew": "draw", "drawn": "draw", "shown": "show",
    "saw": "see", "seen": "see", "ate": "eat", "eaten": "eat", "broke": "break", "broken": "break",
    "sold": "sell", "bought": "buy", "fought": "fight", "caught": "catch", "taught": "teach",
    "won": "win", "hit": "hit", "set": "set", "put": "put", "cut": "cut", "let": "let",
    "used": "use", "using": "use", "making": "make", "taking": "take", "having": "have", "giving": "give",
    "coming": "come", "being": "be", "living": "live", "lived": "live", "saving": "save", "saved": "save",
}
_KEEP_S = ("ss", "us", "is", "ous", "ics", "news", "series", "species")
_VOWELS = set("aeiou")


@lru_cache(maxsize=65536)
def english_lemma(word: str) -> str:
    """Lowercased word with plural, -ed, -ing and -'s stripped by a few rules (consistent, not perfect)."""
    w = word.lower().replace("’", "'")
    if w.endswith("n't"):
        return "not"
    if w.endswith(("'s", "'d", "'ll", "'re", "'ve", "'m")):
        w = w[:w.rindex("'")]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if not w.isalpha() or len(w) <= 3:
        return w
    return _drop_final_e(_strip_inflection(w))


def _strip_inflection(w: str) -> str:
    if w.endswith(_KEEP_S):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    for suffix in ("ing", "ed"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            stem = w[:-len(suffix)]
            if not any(c in _VOWELS or c == "y" for c in stem):
                return w                   # "thing", "bed": not an inflection
            if stem[-1] == stem[-2] and stem[-1] not in "lsz":
                return stem[:-1]           # running -> run, stopped -> stop
            if suffix == "ed" and stem.endswith("i"):
                return stem[:-1] + "y"     # applied -> apply
            return stem + "e" if len(stem) == 3 else stem   # noted -> note (not "not"), hoped -> hope
    return w


def _drop_final_e(w: str) -> str:
    """A final -e is dropped everywhere so that "delete", "deletes" and "deleted" share one key."""
    return w[:-1] if w.endswith("e") and len(w) > 4 else w


@dataclass(frozen=True)
class EnWord:
    """One English word: its span in the text, its surface form and its lemma (the table key)."""

    start: int
    end: int
    text: str
    lemma: str


def english_words(text: str) -> list[EnWord]:
    """The words of an English text with their spans and lemmas (numbers included as written)."""
    return list(_english_words(text))


@lru_cache(maxsize=4096)
def _english_words(text: str) -> tuple[EnWord, ...]:
    return tuple(EnWord(m.start(), m.end(), m.group(), english_lemma(m.group())) for m in EN_WORD_RE.finditer(text))


# ---------------------------------------------------------------------------- Korean units

# Kiwi tags kept as lexical units: content morphemes, numbers and Latin, and the few function
# morphemes that carry meaning an English word names (만 'only', 도 'also/even', 않/못/없 'not').
CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "NP", "VV", "VA", "XR", "MAG", "MAJ", "MM", "SL", "SN", "SH",
                          "XPN", "VCN", "NNB", "VX", "JX"})
_JX_KEPT = frozenset({"만", "도", "조차", "까지", "뿐", "마저", "밖에", "부터", "마다"})
_VX_KEPT = frozenset({"않", "못하", "말"})
_NNB_KEPT = frozenset({"뿐", "번", "명", "개", "년", "월", "일", "시", "분", "초", "달러", "원", "퍼센트", "km", "세"})
_TAG_SUFFIX = {"VV": "다", "VA": "다", "VX": "다", "VCN": "다"}


@dataclass(frozen=True)
class KoUnit:
    """One Korean lexical unit: its span in the Korean text and its table key (form, verbs with 다)."""

    start: int
    end: int
    key: str
    tag: str


def korean_unit_key(form: str, tag: str) -> str | None:
    """The table key of a Kiwi morpheme, or None when it is not a lexical unit."""
    if tag.endswith("-I"):   # irregular-inflection marks (VV-I): the same lexeme
        tag = tag[:-2]
    if tag not in CONTENT_TAGS:
        return None
    if tag == "JX" and form not in _JX_KEPT or tag == "VX" and form not in _VX_KEPT \
            or tag == "NNB" and form not in _NNB_KEPT:
        return None
    if tag == "SL":
        return english_lemma(form)
    return form + _TAG_SUFFIX.get(tag, "")


def korean_units(tokens: Iterable) -> list[KoUnit]:
    """Lexical units from Kiwi tokens (objects with ``form``, ``tag``, ``start``, ``end``)."""
    out = []
    for t in tokens:
        key = korean_unit_key(t.form, t.tag)
        if key is not None:
            out.append(KoUnit(t.start, t.end, key, t.tag.removesuffix("-I")))
    return out


# ---------------------------------------------------------------------------- the table

# English words a Korean translation normally leaves implicit (articles, most prepositions, auxiliaries,
# pronouns): never reported as omitted.  The meaning-bearing small words (only, not, never, even, also,
# all, each, first, most, ...) are deliberately not here.
FUNCTION_WORDS = frozenset("""a an the of to in on at for and or but nor is are was were be been being it its this that
these those with by as from have has had do does did he she they we you i his her their our your my me him them us who
whom whose which what when where while why how there here than then so if into onto about can could will would shall should
may might must let get got one ones s t d ll re ve m o upon via per within across over under up down out off too
such own same other another any some something anything nothing itself himself herself themselves yourself myself
ourselves 's would've could've""".split())


NEWS_MIN_SEEN = 3
# A link this strong (max of p(ko|en), p(en|ko)) counts as the Korean unit rendering the English word.
MIN_LINK = 0.02


def _lower_bound(hits: np.ndarray, n: np.ndarray, z: float = 1.0) -> np.ndarray:
    """Wilson lower bound of the rate hits/n (0 where n is 0)."""
    n = n.astype(float)
    p = np.divide(hits, n, out=np.zeros_like(n), where=n > 0)
    centre = p + z * z / (2 * np.maximum(n, 1))
    spread = z * np.sqrt(p * (1 - p) / np.maximum(n, 1) + z * z / (4 * np.maximum(n, 1) ** 2))
    return np.where(n > 0, (centre - spread) / (1 + z * z / np.maximum(n, 1)), 0.0)


# Small words that change a sentence's meaning when dropped (MT drops them often).  Their USE word
# vectors say little, so the negating and restricting ones (JUDGED_ALONE) are judged by the lexicon alone
# (see review.checks.coverage).  The others (also, first, most, still, again) add or rank rather than
# reverse or restrict, human news translators leave them implicit or render them in ways the lexicon does
# not know (NTREX-128 references: 'also' unrendered 10 times, 'first half' 전반/상반기/초순, 'most' 최다/제일),
# and neither the lexicon nor USE can tell: they are not reported as omitted.  (On MQM dev MT, 2 of the 24
# segments where they were reported had an annotated omission of them.)
MEANING_WORDS = frozenset("only not never even also all each first most no without still again".split())
NEGATION_WORDS = frozenset("not no never without".split())
JUDGED_ALONE = NEGATION_WORDS | frozenset("only even all each".split())

# Korean says many negated English phrases with a word that is negative in itself: 'don't know' 모르다,
# 'don't like' 싫다, 'not enough' 부족, 'refuse'/'say no' 거부, 'not the same' 다르다, 'not guilty' 무죄,
# prefixes 불-/무-/비-/미- (불가능, 비공식, 미확인).  Kiwi (form, tag) of such morphemes: any of them in the
# Korean renders an English negation.  (Found on human references where the lexicon's 않/없/아니/안 were
# absent and the negation was rendered all the same.)
KOREAN_NEGATIVES = frozenset(
    [(f, "VV") for f in "모르 싫어하 잊 막 멈추 그치 그만두 놓치 빠뜨리 피하 꺼리 거스르 삼가".split()]
    + [(f, "VA") for f in "싫 다르 없".split()]
    + [(f, "NNG") for f in ("거부 거절 부족 미흡 부인 자제 금지 방지 무시 의심 간과 실패 불가 불가능 제외 반대 무죄 "
                            "결여 부재 결핍 불허 면제 외 미만 이하 불과").split()]
    + [("외", "NNB"), ("커녕", "JX"), ("아무", "NP"), ("아무", "MM"), ("못", "MAG"), ("못하", "VX"), ("못하", "VA"),
       ("아니", "VCN")]
    + [(f, "MAG") for f in "전혀 결코 절대 절대로 비로소 덜 차마 도저히 미처 아직".split()]
    + [(f, "XPN") for f in "불 무 비 미 몰".split()])

# English phrases with a negation word that a translation renders without any negation: 'not only ... but
# also' (A와 B), 'whether or not', 'no doubt', 'no later than' (늦어도), 'No. 1', 'no-fault', tag questions
# ('isn't it?'), 'not until' (비로소, -고 나서야), litotes ('in no small part', 'not least', 'no surprise'), 'not the
# only' (그 전에도, 외에도), rhetorical 'why wouldn't I' (뭐하러).
NEGATION_IDIOM_RE = re.compile(
    r"\bnot\s+(?:only|just|merely|simply|least)\b|\bor\s+not\b|\bno\s+doubt\b|"
    r"\bno\s+(?:later|sooner|more|less|fewer|earlier|longer)\s+than\b|\bNo\.\s*\d|\bno-\w|"
    r",\s*\w+n[’']t\s+(?:it|he|she|they|we|you|I|there|that)\s*\?|"
    r"\b(?:not|\w+n[’']t)\s+(?:\w+\s+){0,3}?until\b|\bno\s+(?:small|little)\b|\bnot\s+to\s+mention\b|"
    r"\bno\s+surprise\b|\bnot\s+the\s+only\b|\bwhy\s+(?:not|\w+n[’']t)\b",
    re.IGNORECASE)


def negated_in(tokens: Iterable) -> bool:
    """Whether the Korean (its Kiwi tokens: ``form``, ``tag``) holds a morpheme that is negative in itself."""
    return any((t.form, t.tag.removesuffix("-I").removesuffix("-R")) in KOREAN_NEGATIVES for t in tokens)


def negation_idiom_spans(src: str) -> list[tuple[int, int]]:
    """Character spans of the English phrases (:data:`NEGATION_IDIOM_RE`) whose negation word negates nothing
    a translation must render."""
    return [(m.start(), m.end()) for m in NEGATION_IDIOM_RE.finditer(src)]


class Lexicon:
    """Word-alignment counts between English lemmas and Korean units (see the module docstring)."""

    def __init__(self, english: Sequence[str], korean: Sequence[str], en: np.ndarray, ko: np.ndarray,
                 count: np.ndarray, en_count: np.ndarray, en_linked: np.ndarray, ko_count: np.ndarray,
                 ko_linked: np.ndarray, meta: dict | None = None, seen: np.ndarray | None = None,
                 matched: np.ndarray | None = None, news_seen: np.ndarray | None = None,
                 news_matched: np.ndarray | None = None, ko_seen: np.ndarray | None = None,
                 ko_matched: np.ndarray | None = None):
        self.english, self.korean = list(english), list(korean)
        self.en_index = {w: i for i, w in enumerate(self.english)}
        self.ko_index = {w: i for i, w in enumerate(self.korean)}
        self.en_count, self.en_linked = np.asarray(en_count), np.asarray(en_linked)
        self.ko_count, self.ko_linked = np.asarray(ko_count), np.asarray(ko_linked)
        self.meta = meta or {}
        self._forward: dict[int, dict[int, int]] = {}
        self._backward: dict[int, dict[int, int]] = {}
        for e, k, c in zip(np.asarray(en).tolist(), np.asarray(ko).tolist(), np.asarray(count).tolist()):
            self._forward.setdefault(e, {})[k] = c
            self._backward.setdefault(k, {})[e] = c
        self._links = len(np.asarray(count))
        # How reliably a human translation shows a counterpart of each English lemma that
        # match_pair finds: a lower confidence bound of the rate measured on the training text,
        # and no higher than the rate in news where news has the word (software help renders
        # "right" as 오른쪽 every time; news does not).
        self.reliability = np.zeros(len(self.english))
        if seen is not None and matched is not None:
            rate = _lower_bound(np.asarray(matched), np.asarray(seen))
            if news_seen is not None and news_matched is not None:
                news = np.asarray(news_seen) >= NEWS_MIN_SEEN
                rate = np.where(news, np.minimum(rate, _lower_bound(np.asarray(news_matched), np.asarray(news_seen))),
                                rate)
            self.reliability = rate
        # the same for Korean units: how reliably a human's Korean unit renders some English word
        self.ko_reliability = np.zeros(len(self.korean))
        if ko_seen is not None and ko_matched is not None:
            self.ko_reliability = _lower_bound(np.asarray(ko_matched), np.asarray(ko_seen))

    def __len__(self) -> int:
        """The number of (English, Korean) links kept."""
        return self._links

    def english_id(self, lemma: str) -> int | None:
        return self.en_index.get(lemma)

    def occurrences(self, lemma: str) -> int:
        """How often the English lemma occurred in the training text (0 when unknown)."""
        e = self.en_index.get(lemma)
        return 0 if e is None else int(self.en_count[e])

    def translations(self, lemma: str, n: int = 10) -> list[tuple[str, float, int]]:
        """The Korean units an English lemma was aligned to: (unit, p(ko|en), count), most frequent first."""
        e = self.en_index.get(lemma)
        if e is None:
            return []
        row = sorted(self._forward.get(e, {}).items(), key=lambda kv: -kv[1])[:n]
        return [(self.korean[k], c / float(self.en_count[e]), c) for k, c in row]

    def sources(self, key: str, n: int = 10) -> list[tuple[str, float, int]]:
        """The English lemmas a Korean unit was aligned to: (lemma, p(en|ko), count)."""
        k = self.ko_index.get(key)
        if k is None:
            return []
        row = sorted(self._backward.get(k, {}).items(), key=lambda kv: -kv[1])[:n]
        return [(self.english[e], c / float(self.ko_count[k]), c) for e, c in row]

    def rendered_in_text(self, lemma: str, text: str) -> bool:
        """Some Korean rendering of the lemma the table knows (p(ko|en) >= :data:`MIN_LINK`) occurs in
        ``text`` as a string (verb stems without 다): lenient, for words judged on the lexicon alone."""
        return any(stem in text for stem in self._stems(lemma))

    @lru_cache(maxsize=16384)
    def _stems(self, lemma: str) -> tuple[str, ...]:
        return tuple(key[:-1] if key.endswith("다") and len(key) > 1 else key
                     for key, p, _ in self.translations(lemma, 12) if p >= MIN_LINK)

    def link_strength(self, lemma: str, key: str) -> float:
        """max(p(ko|en), p(en|ko)) for the pair (0 when the table has no such link)."""
        e, k = self.en_index.get(lemma), self.ko_index.get(key)
        if e is None or k is None:
            return 0.0
        c = self._forward.get(e, {}).get(k, 0)
        return max(c / float(self.en_count[e]), c / float(max(1, self.ko_count[k]))) if c else 0.0


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """The shipped lexicon (or the one in directory ``path``), loaded once; numpy and JSON only."""
    d = Path(path) if path else DATA_DIR
    try:
        meta = json.loads((d / "vocab.json").read_text(encoding="utf-8"))
        with np.load(d / "lexicon.npz") as z:
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError) as e:
        from corpus.errors import MtreviewError
        raise MtreviewError(f"cannot read the lexicon in {d}: {e}") from e
    return Lexicon(meta.pop("english"), meta.pop("korean"), meta=meta, **arrays)


# ---------------------------------------------------------------------------- one pair

_DIGITS_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class WordMatch:
    """The best Korean counterpart of one English word in a pair, with the evidence for it.

    ``evidence`` is ``lexicon`` (a table link, ``strength`` its max(p(ko|en), p(en|ko))),
    ``text`` (a translation the table knows occurs inside a Korean word), ``latin`` (the word
    itself in the Korean), ``number`` (the same digits) or ``none``.  ``expected`` is how
    often human translators rendered this lemma with a unit the table keeps (0 for an
    unknown word; :attr:`Lexicon.reliability`): the weight of a missing counterpart as
    evidence of an omission.
    """

    word: EnWord
    unit: KoUnit | None
    strength: float
    evidence: str
    occurrences: int
    expected: float

    @property
    def matched(self) -> bool:
        return self.evidence != "none"


@dataclass(frozen=True)
class PairMatch:
    """Per-word lexical correspondence of one pair (see :func:`match_pair`)."""

    english: tuple[WordMatch, ...]      # content words of the English, in order
    korean: tuple[KoUnit, ...]          # lexical units of the Korean
    korean_linked: tuple[bool, ...]     # whether each Korean unit renders some English word of the pair

    def coverage(self) -> float:
        """Share of the English content words the table knows that have a counterpart (1.0 when none known)."""
        known = [m for m in self.english if m.expected > 0 or m.matched]
        return sum(m.matched for m in known) / len(known) if known else 1.0

    def unmatched(self, min_expected: float = 0.0, min_occurrences: int = 0) -> list[WordMatch]:
        return [m for m in self.english if not m.matched and m.expected >= min_expected
                and m.occurrences >= min_occurrences]


def is_content_word(word: EnWord) -> bool:
    lower = word.text.lower()
    return (word.lemma not in FUNCTION_WORDS and lower not in FUNCTION_WORDS and len(word.lemma) > 1) \
        or word.lemma.isdigit()


def omission_candidates(src: str, tgt: str, min_reliability: float, min_occurrences: int,
                        lexicon: Lexicon | None = None) -> list[int]:
    """Indices (into :func:`english_words`) of the English content words that may lack a Korean counterpart,
    judged from the Korean string alone (no morphology): known to the table often enough, reliably
    rendered by humans (``min_reliability``; the meaning words from a lower floor), and none of their
    known renderings written anywhere in the Korean.  A cheap first pass: :func:`match_pair` decides."""
    lex = lexicon if lexicon is not None else load_lexicon()
    tgt_lower = tgt.lower()
    out = []
    for n, w in enumerate(english_words(src)):
        if not is_content_word(w) or w.text[0].isdigit():
            continue
        e = lex.en_index.get(w.lemma)
        if e is None or lex.en_count[e] < min_occurrences or lex.reliability[e] < min_reliability:
            continue
        if w.text.lower() in tgt_lower or lex.rendered_in_text(w.lemma, tgt):
            continue
        out.append(n)
    return out


def match_pair(src: str, tgt: str, tokens: Iterable, lexicon: Lexicon | None = None) -> PairMatch:
    """Which English content words of a pair have a Korean counterpart, and which Korean units render one.

    ``tokens`` are the Korean's Kiwi tokens (``form``, ``tag``, ``start``, ``end``; review's
    document context has them already).  The look-ups are dictionary hits: cheap enough for
    every pair of a review.
    """
    lex = lexicon if lexicon is not None else load_lexicon()
    units = korean_units(tokens)
    keys = [lex.ko_index.get(u.key) for u in units]
    tgt_lower = tgt.lower()
    tgt_digits = set(_DIGITS_RE.findall(tgt))
    linked = [False] * len(units)
    out = []
    for w in english_words(src):
        if not is_content_word(w):
            continue
        e = lex.en_index.get(w.lemma)
        occ = int(lex.en_count[e]) if e is not None else 0
        expected = float(lex.reliability[e]) if e is not None else 0.0
        best, best_j = 0.0, -1
        if e is not None:
            row = lex._forward.get(e, {})
            for j, k in enumerate(keys):
                c = row.get(k, 0) if k is not None else 0
                if c:
                    s = max(c / float(lex.en_count[e]), c / float(max(1, lex.ko_count[k])))
                    if s > best:
                        best, best_j = s, j
        if best >= MIN_LINK:
            linked[best_j] = True
            out.append(WordMatch(w, units[best_j], best, "lexicon", occ, expected))
            continue
        if w.lemma.isdigit() or w.text[0].isdigit():
            digits = _DIGITS_RE.findall(w.text)
            ok = bool(digits) and all(d in tgt_digits for d in digits)
            out.append(WordMatch(w, None, 1.0 if ok else 0.0, "number" if ok else "none", occ, expected))
            continue
        if w.text.lower() in tgt_lower:
            j = next((j for j, u in enumerate(units) if u.key == w.lemma), -1)
            if j >= 0:
                linked[j] = True
            out.append(WordMatch(w, units[j] if j >= 0 else None, 1.0, "latin", occ, expected))
            continue
        # a translation the table knows, written inside a longer Korean word (Kiwi split it otherwise)
        found = None
        if e is not None:
            for ko_key, p, _ in lex.translations(w.lemma, 8):
                stem = ko_key[:-1] if ko_key.endswith("다") and len(ko_key) > 1 else ko_key
                if p >= MIN_LINK and len(stem) >= 2 and stem in tgt:
                    found = stem
                    break
        out.append(WordMatch(w, None, 0.5 if found else 0.0, "text" if found else "none", occ, expected))
    return PairMatch(tuple(out), tuple(units), tuple(linked))
