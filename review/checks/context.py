"""What a check sees: one aligned pair, and the document it belongs to.

Heavy per-document work (Kiwi morphological analysis and language-model
scores, sentence embeddings) is done once per document, in batches, by
:func:`build_context`; checks only read the results.  Document-relative checks
(fluency, semantic drift, titles, glued names) compare a pair with the rest of
its document through the statistics kept here.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

import numpy as np

from corpus.kiwi import Token  # one Kiwi morpheme with its offsets into the pair's tgt
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
ENCODE_BATCH = 64
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

    def in_references(self, pair: CheckPair) -> bool:
        """The pair lies in the document's references / bibliography section (after its heading)."""
        def make():
            for p in self.pairs:
                if is_reference_heading(p.tgt) or is_reference_heading(p.src):
                    return p.index
            return len(self.pairs)
        return pair.index >= self._memo("refs", make)

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


def _analyze(kiwi, texts: Sequence[str]) -> list:
    if not texts:
        return []
    return [r[0] for r in kiwi.analyze(list(texts), top_n=1)]


def lm_signals(texts: Sequence[str]) -> list[tuple[tuple[Token, ...], float, float, bool]]:
    """Kiwi tokens, LM score, word-salad gain and final-ending flag for each text.

    The gain compares the sentence's score with the sum of its words scored
    alone: shuffled words keep their own scores but lose the context that makes
    a sentence likely, so salad has a low (very negative) gain.
    """
    kiwi = load_kiwi()
    analyses = _analyze(kiwi, [t if t.strip() else "." for t in texts])
    words = sorted({w for t in texts for w in t.split()})
    word_scores = dict(zip(words, (a[1] for a in _analyze(kiwi, words))))
    out = []
    for text, (toks, score) in zip(texts, analyses):
        tokens = tuple(Token(t.form, t.tag, t.start, t.start + t.len) for t in toks) if text.strip() else ()
        ws = text.split()
        gain = (score - sum(word_scores[w] for w in ws)) / max(1, len(ws)) if ws else 0.0
        out.append((tokens, float(score), float(gain), _ends_final(tokens)))
    return out


def _ends_final(tokens: Sequence[Token]) -> bool:
    tags = [t.tag for t in tokens]
    while tags and tags[-1] in ("SF", "SS", "SE", "SO", "SW", "SP", "SSC", "SSO", "SN", "SL", "SH"):
        if tags[-1] in ("SN", "SL", "SH"):
            return False
        tags.pop()
    return bool(tags) and tags[-1] == "EF"


def cosines(srcs: Sequence[str], tgts: Sequence[str], encoder_name: str = "use") -> list[float | None]:
    """Cross-lingual cosine of each pair (None where either side is empty), encoded in batches."""
    return encode_pairs(srcs, tgts, encoder_name)[0]


def encode_pairs(srcs: Sequence[str], tgts: Sequence[str], encoder_name: str = "use"
                 ) -> tuple[list[float | None], list[tuple]]:
    """Each pair's cross-lingual cosine and its source coverage gaps (see :mod:`review.checks.coverage`).

    With USE, English that has parts worth testing is encoded word by word
    (:meth:`~corpus.encoders.UseEncoder.word_parts`, the same embedding as the whole text), so testing whether leaving out an English clause or
    aside brings it closer to the Korean costs only a few small matrix products.  Other encoders
    give cosines and no gaps.
    """
    from corpus.encoders import load_encoder
    from review.checks.coverage import batch_gaps, worth_testing

    encoder = load_encoder(encoder_name)
    inner = getattr(encoder, "inner", encoder)
    by_words = hasattr(inner, "word_parts")
    idx = [i for i, (s, t) in enumerate(zip(srcs, tgts)) if s.strip() and t.strip()]
    out: list[float | None] = [None] * len(srcs)
    gaps: list[tuple] = [()] * len(srcs)

    def encode_batch(chunk: list[int]) -> None:
        # English with something to test goes through word_parts (which gives its embedding too);
        # the rest is encoded whole, through the cache (the aligner may have embedded it already)
        tested = [i for i in chunk if worth_testing(srcs[i], tgts[i])] if by_words else []
        tested_set = set(tested)
        plain = [i for i in chunk if i not in tested_set]
        vecs = encoder.encode([srcs[i] for i in plain] + [tgts[i] for i in chunk])
        src_vec = dict(zip(plain, vecs[:len(plain)]))
        tgt_vec = dict(zip(chunk, vecs[len(plain):]))
        if tested:
            parts = inner.word_parts([srcs[i] for i in tested])
            tested_src = inner.head(np.stack([p.total for p in parts]), np.array([p.n_tokens for p in parts]))
            tested_tgt = np.stack([tgt_vec[i] for i in tested])
            found = batch_gaps([srcs[i] for i in tested], [tgts[i] for i in tested], parts, tested_tgt, tested_src,
                               inner.head)
            for k, i in enumerate(tested):
                src_vec[i] = tested_src[k]
                gaps[i] = tuple(found[k])
        for i in chunk:
            out[i] = float(np.dot(src_vec[i], tgt_vec[i]))

    batches = [idx[b:b + ENCODE_BATCH] for b in range(0, len(idx), ENCODE_BATCH)]
    if len(batches) < 2:
        for chunk in batches:
            encode_batch(chunk)
        return out, gaps
    # The encoder's matrix products release the GIL and its BLAS runs one thread: two Python
    # threads keep both cores busy once Kiwi (started beside us) has finished.
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=ENCODE_THREADS) as pool:
        list(pool.map(encode_batch, batches))
    return out, gaps


def build_context(pairs: Sequence[CheckPair], *, use_lm: bool = True, use_embeddings: bool = True,
                  encoder: str = "use", providers: Iterable[FindingsProvider] = (),
                  terms: "TermContext | None" = None, policy: Policy = DEFAULT_POLICY) -> DocumentContext:
    """Compute every pair's signals in batches and wrap them with the document's pairs."""
    pairs = tuple(p if p.index == i else replace(p, index=i) for i, p in enumerate(pairs))
    tgts = [p.tgt for p in pairs]
    if use_lm and use_embeddings:
        # Kiwi (C++ worker threads) and the encoder (numpy) both release the GIL: run them side by side.
        from concurrent.futures import ThreadPoolExecutor
        with ThreadPoolExecutor(max_workers=1) as pool:
            lm_future = pool.submit(lm_signals, tgts)
            cos, gaps = encode_pairs([p.src for p in pairs], tgts, encoder)
            lm = lm_future.result()
    else:
        lm = lm_signals(tgts) if use_lm else [((), 0.0, 0.0, True)] * len(pairs)
        cos, gaps = encode_pairs([p.src for p in pairs], tgts, encoder) if use_embeddings \
            else ([None] * len(pairs), [()] * len(pairs))
    signals = tuple(PairSignals(tokens, score, gain, ends, c, g)
                    for (tokens, score, gain, ends), c, g in zip(lm, cos, gaps))
    return DocumentContext(pairs, signals, tuple(providers), has_lm=use_lm, has_embeddings=use_embeddings,
                           terms=terms, policy=policy)
