"""What a check sees: one aligned pair, and the document it belongs to.

Heavy per-document work (Kiwi morphological analysis and language-model
scores, sentence embeddings) is done once per document, in batches, by
:func:`build_context`; checks only read the results.  Document-relative checks
(fluency, semantic drift, titles, glued names) compare a pair with the rest of
its document through the statistics kept here.
"""
from __future__ import annotations

import math
import re
import statistics
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from corpus.kiwi import Token, token  # one Kiwi morpheme with its offsets into the pair's tgt
from corpus.text import is_reference_heading
from review.policy import DEFAULT_POLICY, Policy
from review.records import Finding

if TYPE_CHECKING:
    from review.checks.terms import TermContext

# Eojeol-level language-model gain below this many nats per word is word salad for
# certain; the fluency check is relative to the document and to this reference.
REFERENCE_SALAD_GAIN = 9.3
REFERENCE_COSINE = 0.55
REFERENCE_LENGTH_RATIO = 0.55  # Korean chars per English char in NTREX-128 news
REFERENCE_LM_PER_TOKEN = -4.42  # Kiwi log-probability per morpheme: median of the NTREX-128 references
# (median, robust spread) of the document-relative signals where a document has too few pairs to tell its own
REFERENCE_STATS = {"cosine": (REFERENCE_COSINE, 0.12), "salad_gain": (REFERENCE_SALAD_GAIN, 1.3),
                   "lm_per_token": (REFERENCE_LM_PER_TOKEN, 0.97)}
# NTREX-128 references: median LM gain per word in context, and the spread of one such word
REFERENCE_GAIN_IN_CONTEXT = (10.0, 4.7)
ENCODE_BATCH = 32
ENCODE_THREADS = 2


@dataclass(frozen=True)
class CheckPair:
    """One aligned pair as the checks see it.

    ``index`` is its position in :attr:`DocumentContext.pairs`; ``no_source``
    says the English for this Korean was never available (the source is
    incomplete), so an empty ``src`` is not an addition.
    """

    id: str
    src: str
    tgt: str
    index: int = 0
    no_source: bool = False
    # The Korean paragraph the pair sits in and the pair's offset in it, for checks that need what surrounds
    # the pair: a quotation running over several sentences, a sentence glued to the next one ("".[3]그의").
    # Empty when unknown (a bare pairs file): those checks then look at the pair alone.
    tgt_paragraph: str = ""
    tgt_offset: int = 0
    # Inline codes (tags, placeholders) the input file had in this pair's English and Korean, at offsets in
    # ``src``/``tgt`` (XLIFF/TMX input; empty otherwise): what the tag check compares.
    src_codes: tuple = ()
    tgt_codes: tuple = ()

    def tgt_following(self) -> str:
        """The character right after the pair's Korean in its paragraph ("" at its end or when unknown)."""
        end = self.tgt_offset + len(self.tgt)
        return self.tgt_paragraph[end:end + 1] if self.tgt_paragraph else ""


@dataclass(frozen=True)
class PairSignals:
    """Model outputs for one pair, computed once per document."""

    tokens: tuple[Token, ...] = ()
    lm_score: float = 0.0          # Kiwi's log-probability of the best analysis
    salad_gain: float = 0.0        # (sentence score - sum of isolated word scores) per word
    ends_final: bool = True        # the last sentence ends in a final ending (EF)
    cosine: float | None = None    # cross-lingual similarity (None without English or model)
    gaps: tuple = ()               # coverage.Gap: English structures and clauses tested for omission
    word_sims: "WordSims | None" = None   # USE cosines between the pair's English and Korean words

    @property
    def closed(self) -> bool:
        """The Korean ends as a complete unit: in a final ending, or in nominal style closed after a noun
        (:func:`closed_after_noun`: a caption, credit line or note the translator ended with a full stop or
        wrapped in brackets).  Where it is not, and the English ends a sentence, it stops mid-sentence."""
        return self.ends_final or closed_after_noun(self.tokens)

    @property
    def lm_per_token(self) -> float:
        """Kiwi's log-probability per morpheme: how fluent the Korean reads, whatever its length."""
        return self.lm_score / max(1, len(self.tokens))


FindingsProvider = Callable[[CheckPair, "DocumentContext"], Iterable[Finding]]


@dataclass
class DocumentContext:
    """All pairs of one document with their signals and document-wide statistics.

    ``terms`` is what the glossary layer knows of the document (its term base and the names it
    spells several ways: :class:`review.checks.terms.TermContext`), read by the glossary checks;
    ``None`` leaves them silent.  ``providers`` are extra findings sources run after the
    registered checks.
    """

    pairs: tuple[CheckPair, ...]
    signals: tuple[PairSignals, ...]
    providers: tuple[FindingsProvider, ...] = ()
    has_lm: bool = False
    has_embeddings: bool = False
    terms: "TermContext | None" = None
    policy: Policy = DEFAULT_POLICY  # the house style: what the checks accept as deliberate
    _cache: dict = field(default_factory=dict, repr=False)

    def signal(self, pair: CheckPair) -> PairSignals:
        return self.signals[pair.index]

    # -- document statistics (computed lazily, once) ---------------------------------
    def _memo(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def english_length(self, pair: CheckPair) -> int:
        """The English's length in characters as the Korean should render it: without a page title's trailing
        site name the Korean leaves out (:func:`review.checks.text.dropped_site_suffix`)."""
        from review.checks.text import dropped_site_suffix
        return self._memo(("english-length", pair.index), lambda: len(pair.src) - dropped_site_suffix(pair.src, pair.tgt))

    @property
    def length_ratio(self) -> float:
        """Typical Korean/English length ratio of this document (reference when too few pairs)."""
        def make():
            ratios = [len(p.tgt) / len(p.src) for p in self.pairs if len(p.src) >= 20 and len(p.tgt) >= 5]
            if len(ratios) < 8:
                return REFERENCE_LENGTH_RATIO
            return float(statistics.median(ratios))
        return self._memo("ratio", make)

    def robust_stats(self, name: str) -> tuple[float, float]:
        """Median and a robust spread (1.4826 MAD, floored) of a per-pair signal."""
        def make():
            values = [getattr(s, name) for s in self.signals if getattr(s, name) is not None]
            if name == "lm_per_token":
                values = [s.lm_per_token for s in self.signals if s.tokens]
            if name == "salad_gain":
                values = [s.salad_gain for s, p in zip(self.signals, self.pairs) if len(p.tgt.split()) >= 4]
            if len(values) < 8:
                return REFERENCE_STATS.get(name, (REFERENCE_SALAD_GAIN, 1.3))
            med = float(np.median(values))
            mad = float(np.median(np.abs(np.asarray(values) - med))) * 1.4826
            return med, max(mad, 0.05)
        return self._memo(("stats", name), make)

    def gain_in_context_stats(self) -> tuple[float, float]:
        """Median LM gain per word in context (:func:`gain_in_context`) and the robust spread of one word's gain:
        a sentence's mean over n - 1 words varies as 1 / sqrt(n - 1), so each deviation is scaled by it."""
        def make():
            counts = [len(p.tgt.split()) for p in self.pairs]
            gains = [(gain_in_context(s.salad_gain, n), n) for s, n in zip(self.signals, counts) if n >= 4]
            if len(gains) < 8:
                return REFERENCE_GAIN_IN_CONTEXT
            med = float(np.median([g for g, _ in gains]))
            mad = float(np.median([abs(g - med) * math.sqrt(n - 1) for g, n in gains])) * 1.4826
            return med, max(mad, 0.2)
        return self._memo("gain-in-context", make)

    def in_references(self, pair: CheckPair) -> bool:
        """The pair lies in the document's references / bibliography section (after its heading)."""
        def make():
            for p in self.pairs:
                if is_reference_heading(p.tgt) or is_reference_heading(p.src):
                    return p.index
            return len(self.pairs)
        return pair.index >= self._memo("refs", make)

    def word_evidence(self, pair: CheckPair):
        """Word-level omissions, additions and mistranslation candidates of the pair
        (:func:`review.checks.coverage.word_evidence`), computed for the whole document on first use."""
        def make():
            from review.checks.coverage import WordEvidence, word_evidence
            if not self.has_lm:
                return [WordEvidence()] * len(self.pairs)
            return word_evidence([p.src for p in self.pairs], [p.tgt for p in self.pairs],
                                 [s.tokens for s in self.signals], [s.word_sims for s in self.signals])
        return self._memo("word_evidence", make)[pair.index]

    def text_count(self, needle: str) -> int:
        """How often ``needle`` occurs in the document's Korean."""
        return sum(p.tgt.count(needle) for p in self.pairs)

    @property
    def proper_nouns(self) -> Counter:
        """Kiwi NNP tokens of the document that stand as a whole eojeol stem (a name used on its own)."""
        def make():
            c: Counter = Counter()
            for p, s in zip(self.pairs, self.signals):
                for i, t in enumerate(s.tokens):
                    if t.tag != "NNP":
                        continue
                    before = p.tgt[t.start - 1] if t.start > 0 else " "
                    nxt = s.tokens[i + 1] if i + 1 < len(s.tokens) else None
                    after_ok = nxt is None or nxt.start > t.end or nxt.tag.startswith(("J", "S"))
                    if not before.isalnum() and after_ok:
                        c[t.form] += 1
            return c
        return self._memo("nnp", make)


# -- models -----------------------------------------------------------------------------
def load_kiwi():
    """Kiwi, loaded once per process and shared with the glossary layer (one model in memory, not two)."""
    from corpus.kiwi import get_kiwi
    return get_kiwi()


class _Analyses:
    """Kiwi's best analysis of each text as (tokens, score), kept (least recently used dropped past
    ``max_size``) so that the review can analyse a document's sentences while it aligns them, and the
    checks find them done.  With ``tokens=False`` only the scores are kept (the tokens are ``()``): what
    the words scored alone need, at a fraction of the memory."""

    def __init__(self, max_size: int = 50_000, tokens: bool = True):
        self.max_size = max_size
        self.tokens = tokens
        self._kept: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, kiwi, texts: Sequence[str]) -> list:
        with self._lock:
            found = {t: self._kept[t] for t in dict.fromkeys(texts) if t in self._kept}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing and not self.tokens:   # scores of texts analysed in a batch elsewhere (name discovery)
            from corpus.kiwi import known_scores
            found.update((text, ((), score)) for text, score in known_scores(missing).items())
            missing = [t for t in missing if t not in found]
        if missing:
            # kept as our small Token records, not Kiwi's objects (a document's worth of those is large)
            found.update((text, (tuple(map(token, toks)) if self.tokens else (), float(score)))
                         for text, (toks, score) in zip(missing, (r[0] for r in kiwi.analyze(missing, top_n=1))))
        with self._lock:
            for text, analysis in found.items():
                self._kept[text] = analysis
                self._kept.move_to_end(text)
            while len(self._kept) > self.max_size:
                self._kept.popitem(last=False)
        return [found[t] for t in texts]


_ANALYSES = _Analyses()
_WORD_SCORES = _Analyses(tokens=False)   # the words of the sentences, scored alone (lm_signals)


def _analyze(kiwi, texts: Sequence[str], cache: _Analyses = _ANALYSES) -> list:
    if not texts:
        return []
    return cache(kiwi, list(texts))


def prefetch_lm(texts: Sequence[str]) -> None:
    """Analyse ``texts`` and their words with Kiwi ahead of :func:`lm_signals` (which then finds them done).

    The review runs this on a document's Korean sentences while it aligns them: most pairs are one
    sentence, so the checks' Kiwi work is mostly done by then, on the otherwise idle second core.
    """
    lm_signals(texts)


def gain_in_context(salad_gain: float, n_words: int) -> float:
    """The LM gain per word that has context: a sentence's first word has none to gain from, so the gain
    per word of a short sentence is lower by (n - 1) / n even when its word order is natural."""
    return salad_gain * n_words / (n_words - 1) if n_words > 1 else salad_gain


def lm_signals(texts: Sequence[str]) -> list[tuple[tuple[Token, ...], float, float, bool]]:
    """Kiwi tokens, LM score, word-salad gain and final-ending flag for each text.

    The gain compares the sentence's score with the sum of its words scored
    alone: shuffled words keep their own scores but lose the context that makes
    a sentence likely, so salad has a low (very negative) gain.
    """
    kiwi = load_kiwi()
    analyses = _analyze(kiwi, [t if t.strip() else "." for t in texts])
    words = sorted({w for t in texts for w in t.split()})
    word_scores = dict(zip(words, (a[1] for a in _analyze(kiwi, words, _WORD_SCORES))))
    out = []
    for text, (toks, score) in zip(texts, analyses):
        tokens = toks if text.strip() else ()
        ws = text.split()
        gain = (score - sum(word_scores[w] for w in ws)) / max(1, len(ws)) if ws else 0.0
        out.append((tokens, float(score), float(gain), _ends_final(tokens)))
    return out


def _ends_final(tokens: Sequence[Token]) -> bool:
    toks = list(tokens)
    while toks and toks[-1].tag in ("SF", "SS", "SE", "SO", "SW", "SP", "SSC", "SSO", "SN", "SL", "SH"):
        if toks[-1].tag in ("SN", "SL", "SH"):
            return False
        toks.pop()
    if len(toks) >= 2 and toks[-1].form == "요" and toks[-1].tag == "JX" and toks[-2].tag == "EC":
        return True   # the polite ending -어서요 / -고요 / -는데요: Kiwi reads a connective ending plus 요
    return bool(toks) and toks[-1].tag == "EF"


# Kiwi tags of what may close a Korean caption in nominal style (before its final punctuation).
_NOMINAL_TAGS = frozenset({"NNG", "NNP", "NNB", "NR", "NP", "XSN", "ETN", "SL", "SH"})
_CLOSING_TAGS = frozenset({"SF", "SS", "SSC", "SE", "SW", "SP", "SO"})


def closed_after_noun(tokens: Sequence[Token]) -> bool:
    """The Korean ends with a full stop (or ? !) right after a noun, or is wrapped whole in brackets that close
    after a noun ('(사진: 참가자 본인, 허가 후 게재)'): complete in nominal style, not cut off.

    Damaged text rarely looks like this: a truncation loses the final stop, and shuffled words leave a bare
    word or a final ending last."""
    if not tokens:
        return False
    i, stop = len(tokens) - 1, False
    while i >= 0 and tokens[i].tag in _CLOSING_TAGS:
        stop |= tokens[i].tag == "SF"
        i -= 1
    if not stop and tokens[0].tag == "SSO" and tokens[-1].tag == "SSC" and i > 0:
        stop = _one_bracket(tokens)
    return stop and i >= 0 and tokens[i].tag in _NOMINAL_TAGS


def _one_bracket(tokens: Sequence[Token]) -> bool:
    """The first token's bracket is closed by the last one, not before."""
    depth = 0
    for k, t in enumerate(tokens):
        depth += (t.tag == "SSO") - (t.tag == "SSC")
        if depth == 0:
            return k == len(tokens) - 1
    return False


def cosines(srcs: Sequence[str], tgts: Sequence[str], encoder_name: str = "use") -> list[float | None]:
    """Cross-lingual cosine of each pair (None where either side is empty), encoded in batches."""
    return encode_pairs(srcs, tgts, encoder_name)[0]


@dataclass(frozen=True)
class WordSims:
    """USE cosines for the word-level checks of one pair, each word embedded alone from its token features.

    Rows are the English words that may be unrendered (``src_words``, character offsets; chosen by
    :func:`glossary.lexicon.omission_candidates` so that only a few words per pair cost an embedding);
    columns are the Korean whitespace words (``tgt_words``), then adjacent Korean word pairs.
    ``tgt_to_src`` is each Korean word's cosine with the whole English sentence.
    """

    src_words: tuple[tuple[int, int], ...]
    tgt_words: tuple[tuple[int, int], ...]
    sims: np.ndarray
    tgt_to_src: np.ndarray


def encode_pairs(srcs: Sequence[str], tgts: Sequence[str], encoder_name: str = "use",
                 progress: Callable[[str, int, int], None] | None = None, left_out=None
                 ) -> tuple[list[float | None], list[tuple], list[WordSims | None]]:
    """Each pair's cross-lingual cosine, its source coverage gaps and its word-to-word cosines
    (see :mod:`review.checks.coverage`).

    With USE, both sides are encoded word by word (:meth:`~corpus.encoders.UseEncoder.word_parts`,
    the same embedding as the whole text), so testing whether leaving out an English clause or aside
    brings it closer to the Korean, or which Korean word is closest to an English word, costs only a
    few small matrix products.  Other encoders give cosines, no gaps and no word cosines.
    ``progress`` is told about the ``context`` stage, in pairs.  ``left_out``
    (:class:`corpus.encoders.LeaveOut`, filled by the alignment's pass) spares the second pass over an
    English sentence whose windows it holds and whose words the lexicon does not ask about.
    """
    from corpus.encoders import load_encoder
    from review.checks.coverage import batch_gaps, examined_windows

    encoder = load_encoder(encoder_name)
    inner = getattr(encoder, "inner", encoder)
    by_words = hasattr(inner, "word_parts")
    idx = [i for i, (s, t) in enumerate(zip(srcs, tgts)) if s.strip() and t.strip()]
    known = left_out.found if left_out is not None and by_words else {}
    out: list[float | None] = [None] * len(srcs)
    gaps: list[tuple] = [()] * len(srcs)
    word_sims: list[WordSims | None] = [None] * len(srcs)

    def encode_batch(chunk: list[int]) -> None:
        _encode_chunk(chunk)
        if progress is not None:
            with lock:
                done[0] += len(chunk)
                progress("context", done[0], len(idx))

    def _encode_chunk(chunk: list[int]) -> None:
        if not by_words:
            vecs = encoder.encode([srcs[i] for i in chunk] + [tgts[i] for i in chunk])
            for k, i in enumerate(chunk):
                out[i] = float(np.dot(vecs[k], vecs[len(chunk) + k]))
            return
        # Token features (a second pass of the encoder over the text) only where they are read: the English of
        # a pair with a clause or aside to leave out or a possibly unrendered word, the Korean of the latter.
        # Every other side's embedding is the one the alignment already made (the encoder's cache).
        src_words = [_whitespace_words(srcs[i]) for i in chunk]
        windows = [examined_windows(srcs[i], tgts[i], w) for i, w in zip(chunk, src_words)]
        wanted = {}
        for k, i in enumerate(chunk):
            rows = _candidate_rows(srcs[i], tgts[i], src_words[k])
            if rows:
                wanted[k] = rows
        # the windows' sums made beside the alignment's embedding, where they cover every window examined
        early = {k: found for k in range(len(chunk)) if windows[k] and k not in wanted
                 and (found := known.get(srcs[chunk[k]])) is not None
                 and all((a, b) in found.sums for a, b, _ in windows[k])}
        src_need = [k for k in range(len(chunk)) if (windows[k] and k not in early) or k in wanted]
        src_parts = dict(zip(src_need, inner.word_parts([srcs[chunk[k]] for k in src_need])))
        tgt_parts = dict(zip(wanted, inner.word_parts([tgts[chunk[k]] for k in wanted])))
        src_vecs = _side_vectors(encoder, inner, [srcs[i] for i in chunk], src_parts)
        tgt_vecs = _side_vectors(encoder, inner, [tgts[i] for i in chunk], tgt_parts)
        # early sums are projected already: the output layers alone (UseInternals.head) embed them
        for gapped, parts, head in (([k for k in src_need if windows[k]], src_parts, inner.head),
                                    (list(early), early, inner.internals.head if early else None)):
            if not gapped:
                continue
            found = batch_gaps([srcs[chunk[k]] for k in gapped], [tgts[chunk[k]] for k in gapped],
                               [parts[k] for k in gapped], tgt_vecs[gapped], src_vecs[gapped], head,
                               windows=[windows[k] for k in gapped])
            for k, g in zip(gapped, found):
                gaps[chunk[k]] = tuple(g)
        for k, i in enumerate(chunk):
            out[i] = float(np.dot(src_vecs[k], tgt_vecs[k]))
        # word vectors only where the lexicon sees a possibly unrendered English word (a minority of pairs)
        if not wanted:
            return
        spans = [(src_parts[k], rows) for k, rows in wanted.items()] + \
                [(tgt_parts[k], list(range(len(tgt_parts[k].words)))) for k in wanted]
        words = _word_vectors(inner, spans)
        for n, k in enumerate(wanted):
            en, ko = words[n], words[len(wanted) + n]
            tgt_to_src = ko @ src_vecs[k]
            if len(ko) > 1:   # one English word is often two Korean words
                joined = ko[:-1] + ko[1:]
                ko = np.vstack([ko, joined / np.maximum(np.linalg.norm(joined, axis=1, keepdims=True), 1e-9)])
            word_sims[chunk[k]] = WordSims(tuple(src_parts[k].words[r] for r in wanted[k]), tgt_parts[k].words,
                                           (en @ ko.T).astype(np.float32), tgt_to_src.astype(np.float32))

    lock, done = threading.Lock(), [0]
    batches = [idx[b:b + ENCODE_BATCH] for b in range(0, len(idx), ENCODE_BATCH)]
    from corpus.parallel import review_threads
    threads = min(ENCODE_THREADS, review_threads())
    if len(batches) < 2 or threads < 2:
        for chunk in batches:
            encode_batch(chunk)
        return out, gaps, word_sims
    # The encoder's matrix products release the GIL and its BLAS runs one thread: two Python
    # threads keep both cores busy once Kiwi (started beside us) has finished.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(encode_batch, batches))
    return out, gaps, word_sims


def _whitespace_words(text: str) -> tuple[tuple[int, int], ...]:
    """(start, end) of each whitespace word: :attr:`corpus.encoders.WordParts.words` without the encoder."""
    return tuple((m.start(), m.end()) for m in _WHITESPACE_WORD.finditer(text))


_WHITESPACE_WORD = re.compile(r"\S+")


def _side_vectors(encoder, inner, texts: list[str], parts: dict) -> np.ndarray:
    """Normalised embeddings of ``texts``: from their :class:`WordParts` where computed (keyed by position),
    otherwise from the encoder, whose cache holds every segment the alignment embedded."""
    keys = list(parts)
    rest = [k for k in range(len(texts)) if k not in parts]
    found = inner.head(np.stack([parts[k].total for k in keys]), np.array([parts[k].n_tokens for k in keys])) \
        if keys else None
    cached = encoder.encode([texts[k] for k in rest]) if rest else None
    vecs = np.empty((len(texts), (found if found is not None else cached).shape[1]), dtype=np.float32)
    if keys:
        vecs[keys] = found
    if rest:
        vecs[rest] = cached
    return vecs


def _candidate_rows(src: str, tgt: str, words: Sequence[tuple[int, int]]) -> list[int]:
    """Whitespace words of the English holding a word :func:`glossary.lexicon.omission_candidates` names."""
    from glossary.lexicon import english_words, omission_candidates
    from review.checks.coverage import MEANING_MIN_RELIABILITY, WORD_MIN_OCCURRENCES

    found = omission_candidates(src, tgt, MEANING_MIN_RELIABILITY, WORD_MIN_OCCURRENCES)
    if not found:
        return []
    en = english_words(src)
    starts = [en[n].start for n in found]
    return sorted({i for i, (a, b) in enumerate(words) for s in starts if a <= s < b})


def _word_vectors(inner, spans) -> list[np.ndarray]:
    """For each (WordParts, word indices), those whitespace words embedded alone from their token features
    (one pass of the output layers for all of them)."""
    rows, counts, sizes = [], [], []
    for p, chosen in spans:
        starts = np.asarray(p.word_starts)
        sizes.append(len(chosen))
        if not chosen:
            continue
        lengths = np.diff(starts)[chosen]
        summed = np.add.reduceat(p.features, starts[:-1], axis=0)[chosen]
        summed[lengths == 0] = 0.0     # reduceat gives the next row for an empty run
        rows.append(summed)
        counts.append(np.maximum(lengths, 1))
    if not rows:
        return [np.zeros((0, 512), np.float32) for _ in spans]
    vectors = inner.head(np.vstack(rows), np.concatenate(counts))
    out, at = [], 0
    for n in sizes:
        out.append(vectors[at:at + n])
        at += n
    return out


def build_context(pairs: Sequence[CheckPair], *, use_lm: bool = True, use_embeddings: bool = True,
                  encoder: str = "use", providers: Iterable[FindingsProvider] = (),
                  terms: "TermContext | None" = None, policy: Policy = DEFAULT_POLICY,
                  progress: Callable[[str, int, int], None] | None = None, left_out=None) -> DocumentContext:
    """Compute every pair's signals in batches and wrap them with the document's pairs.

    ``terms`` may also be a future of the term context (anything with ``result()``): it is asked for only
    once the signals are computed, so that the review's name discovery can run beside them.
    ``left_out`` (:class:`corpus.encoders.LeaveOut`) holds leave-words-out sums the alignment already made.
    """
    pairs = tuple(p if p.index == i else replace(p, index=i) for i, p in enumerate(pairs))
    tgts = [p.tgt for p in pairs]
    from corpus.parallel import review_threads
    if use_lm and use_embeddings and review_threads() > 1:
        # Kiwi (C++ worker threads) and the encoder (numpy) both release the GIL: run them side by side.
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=1) as pool:
            lm_future = pool.submit(lm_signals, tgts)
            cos, gaps, word_sims = encode_pairs([p.src for p in pairs], tgts, encoder, progress, left_out)
            lm = lm_future.result()
    else:
        lm = lm_signals(tgts) if use_lm else [((), 0.0, 0.0, True)] * len(pairs)
        cos, gaps, word_sims = encode_pairs([p.src for p in pairs], tgts, encoder, progress, left_out) \
            if use_embeddings \
            else ([None] * len(pairs), [()] * len(pairs), [None] * len(pairs))
    from corpus.allocator import release_free_memory
    release_free_memory()   # the encoder's per-token features of every batch: freed, now returned
    signals = tuple(PairSignals(tokens, score, gain, ends, c, g, w)
                    for (tokens, score, gain, ends), c, g, w in zip(lm, cos, gaps, word_sims))
    if hasattr(terms, "result"):
        terms = terms.result()
    return DocumentContext(pairs, signals, tuple(providers), has_lm=use_lm, has_embeddings=use_embeddings,
                           terms=terms, policy=policy)
