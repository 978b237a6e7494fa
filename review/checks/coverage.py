"""Source coverage: which English words the Korean does not render.

USE averages its token features before its output layers, so the embedding of
the English *without* some words is one small matrix product away
(:meth:`corpus.encoders.UseEncoder.head` on the word-summed features).  If
leaving words out brings the English *closer* to the Korean, the Korean most
likely does not say them: the gain in cosine is the evidence of an omission.
Windows of one to three words find dropped words and short phrases; the
English's own clauses (split at punctuation) find dropped clauses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

# Clause boundaries inside an English sentence: after , ; : and dashes, and around parentheses.
_CLAUSE_END_RE = re.compile(r"[,;:)\u2014\u2013]$|^\(|^--$|^-$")
# Structures whose content MT drops and whose absence the Korean shows: a bracketed aside, a speaker
# or handle label before a colon, an aside between dashes, a handle.  (Quotations were tried: MT
# paraphrases them without quotation marks too often for a missing mark to mean missing words.)
_WORD_RE = re.compile(r"\S+")
_PAREN_RE = re.compile(r"\([^()]{2,}\)")
# (after a list bullet, '* Disclosure: ...', and the direction marks a tweet may start with)
_LABEL_RE = re.compile(r"^[\s\u200e\u200f]*(?:[*•‣▪]\s+)?((?:@\w+|[A-Z][\w.'’-]*(?: [\w.'’-]+){0,3}))\s*:\s+\S")
_DASH_RE = re.compile(r"(?:--|—|–) [^—–]{3,}? (?:--|—|–)|(?<= )(?:--|—|–) [^—–]{3,}$")
_HANDLE_RE = re.compile(r"@\w{2,}")


@dataclass(frozen=True)
class Gap:
    """English ``src[start:end]`` (``n_words`` words) whose removal raises the cosine with the Korean by ``gain``.

    ``kind`` says why it was examined: ``clause`` (a clause of the English) or the structure
    the Korean lacks (``parenthesis``, ``label``, ``aside``, ``handle``).
    """

    start: int
    end: int
    n_words: int
    gain: float
    kind: str


def clause_windows(words: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """(first word, last word + 1) of each clause-like chunk of at least four words (not the whole text)."""
    out, begin = [], 0
    for i, (a, b) in enumerate(words):
        token = text[a:b]
        if token.startswith("(") and i > begin:
            out.append((begin, i))
            begin = i
        if _CLAUSE_END_RE.search(token) or i == len(words) - 1:
            out.append((begin, i + 1))
            begin = i + 1
    return [(a, b) for a, b in out if b - a >= 4 and (a, b) != (0, len(words))]


def structure_candidates(src: str, tgt: str) -> list[tuple[int, int, str]]:
    """Character spans of English structures that the Korean shows no trace of."""
    out = []
    if src.count("(") > tgt.count("(") + tgt.count("["):
        out += [(m.start(), m.end(), "parenthesis") for m in _PAREN_RE.finditer(src)]
    m = _LABEL_RE.match(src)
    if m and ":" not in tgt:
        out.append((m.start(1), m.end(1) + 1, "label"))
    if not any(d in tgt for d in "-—–"):
        out += [(m.start(), m.end(), "aside") for m in _DASH_RE.finditer(src)]
    out += [(m.start(), m.end(), "handle") for m in _HANDLE_RE.finditer(src)
            if m.group() not in tgt and not (out and out[-1][2] == "label" and out[-1][0] == m.start())]
    return out


def examined_windows(src: str, tgt: str, words: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """Word windows (first, last + 1, kind) worth testing: structure candidates and clauses."""
    out = []
    for a, b, kind in structure_candidates(src, tgt):
        inside = [i for i, (s, e) in enumerate(words) if s < b and a < e]
        if inside and len(inside) < len(words):
            out.append((inside[0], inside[-1] + 1, kind))
    seen = {(a, b) for a, b, _ in out}
    out += [(a, b, "clause") for a, b in clause_windows(words, src) if (a, b) not in seen]
    return out


def english_windows(src: str) -> list[tuple[int, int]]:
    """Every word window :func:`examined_windows` may test in ``src``, whatever the Korean: the structures
    as if the Korean showed none of them, and the clauses (what the review embeds early, see
    :class:`corpus.encoders.LeaveOut`)."""
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(src)]
    return list(dict.fromkeys((a, b) for a, b, _ in examined_windows(src, "", words)))


def worth_testing(src: str, tgt: str) -> bool:
    """Whether the English has a structure or clause to test against the Korean."""
    words = [(m.start(), m.end()) for m in _WORD_RE.finditer(src)]
    return bool(examined_windows(src, tgt, words))


def source_gaps(src: str, tgt: str, parts, tgt_vector: np.ndarray, head) -> list[Gap]:
    """The examined windows of the English with the cosine gain of leaving each out (any sign).

    ``parts`` is the English's :class:`corpus.encoders.WordParts`, ``tgt_vector`` the Korean's
    normalised embedding and ``head`` the encoder's output layers (summed features, counts -> vectors).
    """
    whole = head(parts.total[None, :], np.array([parts.n_tokens]))[0]
    return batch_gaps([src], [tgt], [parts], tgt_vector[None, :], whole[None, :], head)[0]


def batch_gaps(srcs: Sequence[str], tgts: Sequence[str], parts: Sequence, tgt_vectors: np.ndarray,
               src_vectors: np.ndarray, head, windows: Sequence[list] | None = None) -> list[list[Gap]]:
    """:func:`source_gaps` for many pairs with one pass of the output layers; ``src_vectors`` are
    the English embeddings (``head`` of each ``parts.total``); ``windows`` each pair's
    :func:`examined_windows` when the caller has them."""
    rows, counts, owner, found = [], [], [], []
    for k, (src, tgt, p) in enumerate(zip(srcs, tgts, parts)):
        windows_k = examined_windows(src, tgt, p.words) if windows is None else windows[k]
        found.append(windows_k)
        for a, b, _ in windows_k:
            summed, n = p.without(a, b)
            rows.append(summed)
            counts.append(n)
            owner.append(k)
    out: list[list[Gap]] = [[] for _ in srcs]
    if not rows:
        return out
    owner_arr = np.array(owner)
    vectors = head(np.vstack(rows), np.array(counts))
    gains = (vectors * tgt_vectors[owner_arr]).sum(1) - (src_vectors[owner_arr] * tgt_vectors[owner_arr]).sum(1)
    g = iter(gains.tolist())
    for k, windows in enumerate(found):
        words = parts[k].words
        out[k] = [Gap(words[a][0], words[b - 1][1], b - a, next(g), kind) for a, b, kind in windows]
    return out


# ------------------------------------------------------------------------------ single words

# Word-level evidence from the bilingual lexicon (glossary.lexicon), the USE word parts, the
# transliteration model and numbers.  An English content word is *omitted* when the lexicon finds
# no Korean counterpart although human translators show one reliably, no Korean word or pair of words
# resembles it in the USE space (paraphrases the lexicon does not know), and no Korean word spells it
# (a name).  A Korean content unit is *added* on the mirror evidence.  An omitted English word and an
# added Korean word that are each other's closest match make a *mistranslation* candidate: the Korean
# renders the word in a way the lexicon never saw.
# A candidate needs both: a lexicon reliability of at least WORD_MIN_RELIABILITY (measured on text the
# table did not see) and a best USE cosine of at most WORD_MAX_COSINE.  Measured on clean human news
# (NTREX-128 documents the lexicon never saw) and MQM dev MT (bench/lexicon_bench.py --sweep): the
# USE cosine separates omitted words best, the lexicon removes most of its false alarms; looser
# thresholds flag clean news faster than they find annotated omissions.
# evidence = reliability + COSINE_WEIGHT * (COSINE_PIVOT - cosine) orders findings and sets severity.
WORD_MIN_RELIABILITY = 0.7
WORD_MIN_OCCURRENCES = 20
WORD_MAX_COSINE = 0.12
COSINE_PIVOT = 0.35
COSINE_WEIGHT = 2.0
# The negating and restricting small words (glossary.lexicon.JUDGED_ALONE: not, no, never, without, only, ...)
# are judged on the lexicon alone, and only where none of their known renderings occurs anywhere in the
# Korean; a negation also counts as rendered where the Korean has a word that is negative in itself
# (모르다, 부족, 거부, 불-: glossary.lexicon.KOREAN_NEGATIVES) or where the English phrase negates nothing
# ('not only', 'no later than': glossary.lexicon.NEGATION_IDIOM_RE).
MEANING_MIN_RELIABILITY = 0.7
# A Korean word would be reported as added when its cosine with the whole English sentence is at most
# this.  None: not reported.  Measured (bench/lexicon_bench.py --sweep), the evidence is too weak to
# show: at cosine <= 0.0, 3.5% of clean NTREX pairs would be flagged and MQM segments with and without
# errors alike (~10%).  Word vectors exist only in pairs with an English candidate, which limits it too.
# Unexplained Korean words still serve the mistranslation pairing below.
ADDED_MAX_COSINE: float | None = None
ADDED_TAGS = frozenset({"NNG", "VV", "VA", "MAG"})
# A mistranslation candidate: both words rendered reliably by human translators, the English word not
# close to any Korean word (otherwise it is rendered there), the Korean word not close to the English
# sentence (otherwise it renders something there).
MISTRANSLATION_MIN_RELIABILITY = 0.8
MISTRANSLATION_MAX_COSINE = 0.45
MISTRANSLATION_MAX_KO_COSINE = 0.1


@dataclass(frozen=True)
class WordGap:
    """A word of one side with no counterpart on the other: ``text[start:end]`` (``key`` its lexicon
    lemma or unit), the lexicon ``reliability`` of a counterpart, the best USE ``cosine`` to a word
    (or word pair) of the other side, and the combined ``evidence``."""

    start: int
    end: int
    key: str
    reliability: float
    cosine: float
    evidence: float


@dataclass(frozen=True)
class Mistranslation:
    """English word ``english`` rendered by Korean ``korean`` although the lexicon never links them;
    ``usual`` are the Korean units the lexicon knows for the English word."""

    english: WordGap
    korean: WordGap
    cosine: float
    usual: tuple[str, ...]


@dataclass(frozen=True)
class WordEvidence:
    omitted: tuple[WordGap, ...] = ()
    added: tuple[WordGap, ...] = ()
    mistranslated: tuple[Mistranslation, ...] = ()
    # every English candidate the lexicon finds unrendered, whatever its USE cosine, bar those paired as a
    # mistranslation: weaker evidence than ``omitted``, enough to corroborate a short Korean
    # (:func:`unrendered_words` drops the names a Korean word spells)
    candidates: tuple[WordGap, ...] = ()


# A candidate word with a Korean word this close in the USE space is rendered there, whatever the lexicon says:
# series/시리즈 0.86, math/수학 0.79, negative/부정적 0.71, mouse/쥐 0.61, basis/매주 0.58, error/실수 0.49,
# combinations/함께 0.45 on clean references and MQM dev MT; the candidates that corroborated an annotated
# omission on MQM dev MT were all below 0.40.
RENDERED_WORD_COSINE = 0.45


def unrendered_words(evidence: WordEvidence, src: str, tgt: str) -> list[WordGap]:
    """The evidence's candidate words that no Korean word spells (a name the translator transliterated) and none
    is close to in meaning (:data:`RENDERED_WORD_COSINE`)."""
    words = tgt.split()
    return [g for g in evidence.candidates if g.cosine < RENDERED_WORD_COSINE
            and not (src[g.start].isupper() and _spelled(src[g.start:g.end], words))]


def _word_at(words: Sequence[tuple[int, int]], pos: int) -> int | None:
    return next((i for i, (a, b) in enumerate(words) if a <= pos < b), None)


def _spelled(english: str, korean_words: Sequence[str]) -> bool:
    """The English word (a name) is spelled in Hangul by one of the Korean words (transliteration model)."""
    from glossary.morph import strip_particles
    from glossary.translit import is_plausible_rendering
    return any(is_plausible_rendering(english, strip_particles(w)) for w in korean_words)


def word_evidence(srcs: Sequence[str], tgts: Sequence[str], tokens: Sequence,
                  word_sims: Sequence) -> list[WordEvidence]:
    """Per pair, the English words the Korean most likely leaves out, the Korean content it adds and the
    words it seems to mistranslate (see the comment above :data:`WORD_MAX_COSINE`).

    ``tokens`` are the Korean's Kiwi tokens and ``word_sims`` the pairs' USE word-to-word cosines
    (:class:`review.checks.context.WordSims`, computed with the sentence embeddings).  The lexicon
    look-ups are dictionary hits.  A pair without word cosines gets nothing: the lexicon alone
    mistakes too many paraphrases for omissions.
    """
    from glossary.lexicon import MIN_LINK, english_words, load_lexicon, match_pair

    lex = load_lexicon()
    out = [WordEvidence() for _ in srcs]
    for k, (src, tgt, toks, ws) in enumerate(zip(srcs, tgts, tokens, word_sims)):
        if ws is None or not (src.strip() and tgt.strip()) or not ws.sims.size:
            continue
        m = match_pair(src, tgt, toks, lex)
        english = [w for w in m.unmatched(MEANING_MIN_RELIABILITY, WORD_MIN_OCCURRENCES) if not w.word.lemma.isdigit()
                   and _unrendered_candidate(w, src, tgt, toks, lex)]
        src_lemmas = None
        korean = []
        for u, linked in zip(m.korean, m.korean_linked):
            if linked or u.tag not in ADDED_TAGS:
                continue
            kid = lex.ko_index.get(u.key)
            if kid is None or lex.ko_count[kid] < WORD_MIN_OCCURRENCES or lex.ko_reliability[kid] < WORD_MIN_RELIABILITY:
                continue
            if src_lemmas is None:
                src_lemmas = {w.lemma for w in english_words(src)}
            if not any(lex.link_strength(e, u.key) >= MIN_LINK for e in src_lemmas):
                korean.append((u, float(lex.ko_reliability[kid])))
        if english or korean:
            out[k] = _judge(src, tgt, english, korean, ws, lex)
    return out


def _unrendered_candidate(w, src: str, tgt: str, toks, lex) -> bool:
    """Whether an English word the lexicon finds no counterpart for stays a candidate omission: an ordinary
    word when human translators render it reliably; never an adding or ranking small word (also, first, most,
    still, again); a negating or restricting word when none of its
    renderings is written in the Korean (for a negation: no Korean word negative in itself, and the English
    phrase is no idiom that negates nothing)."""
    from glossary.lexicon import JUDGED_ALONE, MEANING_WORDS, NEGATION_WORDS, negated_in, negation_idiom_spans

    lemma = w.word.lemma
    if lemma in MEANING_WORDS and lemma not in JUDGED_ALONE:
        return False   # also, first, most, still, again: see glossary.lexicon.JUDGED_ALONE
    if lemma not in JUDGED_ALONE:
        return w.expected >= WORD_MIN_RELIABILITY
    if lex.rendered_in_text(lemma, tgt):
        return False
    if lemma in NEGATION_WORDS:
        if any(a <= w.word.start < b for a, b in negation_idiom_spans(src)) or negated_in(toks):
            return False
    return True


def _judge(src: str, tgt: str, english, korean, ws, lex) -> WordEvidence:
    """Omissions, additions and mistranslations among one pair's candidates, from its word cosines."""
    from glossary.lexicon import JUDGED_ALONE, MEANING_WORDS

    n_ko = len(ws.tgt_words)
    sims, pair_sims = ws.sims[:, :n_ko], ws.sims
    omitted, added = [], []
    for w in english:
        i = _word_at(ws.src_words, w.word.start)
        c = float(pair_sims[i].max()) if i is not None and pair_sims.shape[1] else COSINE_PIVOT
        omitted.append((WordGap(w.word.start, w.word.end, w.word.lemma, w.expected, c,
                                w.expected + COSINE_WEIGHT * (COSINE_PIVOT - c)), i))
    for u, reliability in korean:
        j = _word_at(ws.tgt_words, u.start)
        c = float(ws.tgt_to_src[j]) if j is not None else COSINE_PIVOT
        added.append((WordGap(u.start, u.end, u.key, reliability, c, reliability + COSINE_WEIGHT * (COSINE_PIVOT - c)),
                      j))
    # A reliably rendered English word with no counterpart and a Korean word that reliably renders
    # something but nothing here: most likely the one renders the other, in a way human translators
    # never did.  Pairs are taken closest first (USE cosine), each word at most once.
    mistranslated, used_e, used_k = [], set(), set()
    options = sorted(((float(sims[i, j]), a, b) for a, (eg, i) in enumerate(omitted) for b, (kg, j) in enumerate(added)
                      if i is not None and j is not None and eg.key not in MEANING_WORDS
                      and min(eg.reliability, kg.reliability) >= MISTRANSLATION_MIN_RELIABILITY
                      and eg.cosine <= MISTRANSLATION_MAX_COSINE and kg.cosine <= MISTRANSLATION_MAX_KO_COSINE),
                     reverse=True)
    for c, a, b in options:
        if a in used_e or b in used_k:
            continue
        eg, kg = omitted[a][0], added[b][0]
        usual = tuple(t for t, p, _ in lex.translations(eg.key, 3) if p >= 0.05)
        mistranslated.append(Mistranslation(eg, kg, c, usual))
        used_e.add(a)
        used_k.add(b)
    ko_words = [tgt[a:b] for a, b in ws.tgt_words]
    return WordEvidence(
        tuple(g for a, (g, _) in enumerate(omitted) if a not in used_e
              and (g.cosine <= WORD_MAX_COSINE or g.key in JUDGED_ALONE)
              and not (src[g.start].isupper() and _spelled(src[g.start:g.end], ko_words))),
        tuple(g for b, (g, _) in enumerate(added) if b not in used_k and ADDED_MAX_COSINE is not None
              and g.cosine <= ADDED_MAX_COSINE),
        tuple(mistranslated),
        tuple(g for a, (g, _) in enumerate(omitted) if a not in used_e))
