"""Sentence alignment of an English source and its Korean translation.

Public interface:

* :func:`align_bitext` -- beads over the documents' global segment indices,
  paragraphs first where both sides have paragraph structure, then sentences;
* :func:`align_segments` -- beads for two lists of segments (the benchmark's unit);
* :func:`align_vectors` -- the same from precomputed, L2-normalised embeddings.

Every result covers each segment exactly once, in order; ``Bead(src=(), ...)``
is an addition (0-1), ``Bead(..., tgt=())`` an omission (1-0).

Method
------
One dynamic programme over the beads 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3, 3-1.
A bead that pairs segments scores

* **similarity** between the embedding of its English run and of its Korean
  run.  Every segment is embedded once.  The embedding of a run of 2 or 3
  segments comes from the encoder's ``encode_windows`` when it has one (USE:
  its output layers applied to the summed token features: cosine about 0.99
  to embedding the joined text, at almost no cost); otherwise it is the
  normalised sum of the segment vectors, and a second pass embeds as joined
  text only the few runs next to the first path that pooling cannot decide.
  Similarities are put on a scale calibrated on the document itself: 0 is
  what unrelated pairs score (the median of random pairs), 1 what
  translations score (the median of mutual best matches), so the same
  weights serve any encoder.  (A CSLS-style margin against each sentence's
  neighbours was tried and lowered F1 on NTREX-128: a merged sentence looks
  like a hub to its parts' neighbours.)
* **length**: the log ratio of Korean to English characters against the
  ratio estimated from the document's mutual best pairs, with a variance that
  shrinks as beads get longer (Gale and Church) scaled by the document's own
  spread; a Gaussian with a floor, for translations that add or drop a lot;
* **anchors**: numbers, years, citation markers ``[12]`` and Latin-script
  words in the Korean found again in the English;
* a small prior per bead type.

A 1-0 or 0-1 bead scores ``prior_skip``: pairing must beat "no counterpart"
by evidence, and the threshold of that evidence is on the calibrated scale.

Cost is linear in document length: a document of more than ``full_cells``
sentence pairs is aligned coarse-to-fine -- blocks of ``block`` sentences are
pooled and aligned with the same programme (recursively), and the sentence
level is searched only in a band around that path.  Memory is bounded by the
band (rows x band width) plus the run embeddings (3 x segments x dimension).
"""
from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass, replace
from typing import Callable, Iterable, Sequence

import numpy as np

from corpus.readers import Bitext
from corpus.records import Bead, Document

# Bead types other than 0-1 (which the row pass handles), in back-pointer code order (code = index + 1).
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1))
WIDTHS = (1, 2, 3)
_INSERT = len(MOVES) + 1  # back-pointer code of a 0-1 bead
DP_CELLS = 16_384   # DP cells whose bead scores are computed together (memory: ~10 float arrays this long)
_NEG = -1e18


@dataclass(frozen=True)
class AlignParams:
    """Weights of the bead score (on the calibrated similarity scale) and search limits."""

    threshold: float = 0.25       # calibrated similarity a pairing must exceed to beat leaving both unaligned
    size_power: float = 0.0       # a bead's similarity term counts ((a+b)/2) ** size_power
    length_weight: float = 0.1    # weight of the length log-likelihood
    length_outlier: float = 0.15  # share of beads whose length ratio may be anything at all
    length_smooth: float = 2.0    # characters added to both sides before taking the log ratio
    length_floor: float = 0.11    # spread of log(Korean/English length ratio) of very long beads
    length_noise: float = 2.4     # ... plus this many characters over the bead's length (variance)
    anchor_bonus: float = 0.2     # per anchor found on both sides of a bead (at most anchor_cap)
    anchor_cap: int = 3
    prior_skip: float = 0.0       # 1-0 and 0-1
    prior_merge: float = 0.0      # 2-1 and 1-2
    prior_22: float = -0.15       # 2-2
    prior_13: float = -0.3        # 1-3 and 3-1
    full_cells: int = 1_000_000   # up to this many sentence pairs: no band
    block: int = 8                # sentences per block at the coarse level
    band_margin: int = 24         # sentences either side of the projected coarse path
    coarse_skip: float = -0.5     # prior of a 1-0 or 0-1 bead between blocks
    refine_gain: float = 0.12     # pooled runs to re-embed: within this of their best single segment
    null_samples: int = 20_000    # random pairs that estimate the unrelated-pair similarity


DEFAULT_PARAMS = AlignParams()

# ---------------------------------------------------------------- anchors and lengths

# A number not glued to a Latin word ("w123", "A4" are names, not figures); Korean units may follow ("2019년").
_NUMBER = re.compile(r"(?<![A-Za-z\d.,])\d+(?:[.,]\d+)*")
_CITATION = re.compile(r"\[\d+\]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'&.\-]*[A-Za-z]")
# A Latin-script gloss in brackets after a Korean word, "트럼프(Trump)": text the English has only once.
_LATIN_GLOSS = re.compile(r"\([A-Za-z][^()\uac00-\ud7a3]{0,60}\)")


def _numbers(text: str) -> list[str]:
    out = []
    for match in _NUMBER.finditer(text):
        token = re.sub(r",(?=\d{3}\b)", "", match.group())  # "1,000" and "1000" are one number
        if len(token) >= 2:  # single digits are too common (and too often spelt out) to be evidence
            out.append(token)
    return out


def anchors(text: str, lang: str) -> frozenset[str]:
    """Exact tokens that survive translation: numbers, citation markers, and Latin words (in Korean).

    Latin words are looked up among the English words of the other side; an English text's own
    Latin words are not anchors (every English word would be one).
    """
    found = {"#" + n for n in _numbers(_CITATION.sub(" ", text))}
    found |= set(_CITATION.findall(text))
    if lang == "ko":
        found |= {"w:" + w.lower() for w in _LATIN_WORD.findall(text)}
    return frozenset(found)


def _english_words(text: str) -> frozenset[str]:
    return frozenset("w:" + w.lower() for w in _LATIN_WORD.findall(text))


def strip_latin_glosses(text: str) -> str:
    """Korean text without its Latin glosses in brackets ("코무치(Komuch)" -> "코무치"): what a length
    comparison with the English should count, since the gloss repeats the English."""
    return _LATIN_GLOSS.sub("", text)


def text_length(text: str, lang: str) -> int:
    """Characters that count towards the length ratio (no spaces; no Latin glosses in Korean)."""
    if lang == "ko":
        text = strip_latin_glosses(text)
    return len("".join(text.split()))  # str.split() splits on exactly the characters str.isspace() accepts


# ---------------------------------------------------------------- the two sides

# Rows normalised at once: every step is row by row, so the result is the same, and a 2,000-paragraph side's
# float64 temporaries are not held whole, three at a time (the NTREX document's paragraph alignment: ~40 MB).
ROWS_AT_ONCE = 256


def _normalised(vectors: np.ndarray) -> np.ndarray:
    """Rows L2-normalised, as float32; ROWS_AT_ONCE rows at a time (each row on its own: the same numbers)."""
    vectors = np.asarray(vectors)
    out = np.empty(vectors.shape, dtype=np.float32)
    for a in range(0, len(vectors), ROWS_AT_ONCE):
        rows = vectors[a:a + ROWS_AT_ONCE]
        out[a:a + ROWS_AT_ONCE] = rows / np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-12)
    return out


@dataclass
class _Side:
    """One side of the alignment: per segment and per run of 1-3 segments."""

    vectors: np.ndarray               # (n, dim) float32, rows L2-normalised
    runs: dict[int, np.ndarray]       # width -> (n + 1, dim): row j is the run of segments j-width .. j-1
    lengths: np.ndarray               # (n,) characters
    anchor_sets: list[frozenset[str]]
    words: list[frozenset[str]]       # English Latin words (empty on the Korean side)

    @property
    def n(self) -> int:
        return len(self.lengths)


def _pooled_runs(vectors: np.ndarray) -> dict[int, np.ndarray]:
    n, dim = vectors.shape
    cumulative = np.zeros((n + 1, dim), dtype=np.float64)
    np.cumsum(vectors, axis=0, out=cumulative[1:])
    runs = {}
    for w in WIDTHS:
        out = np.zeros((n + 1, dim), dtype=np.float32)
        for a in range(w, n + 1, ROWS_AT_ONCE):   # (see ROWS_AT_ONCE)
            b = min(n + 1, a + ROWS_AT_ONCE)
            out[a:b] = _normalised(cumulative[a:b] - cumulative[a - w:b - w])
        runs[w] = out
    return runs


def _end_indexed(runs: dict[int, np.ndarray], vectors: np.ndarray) -> dict[int, np.ndarray]:
    """Runs given by their first segment (an encoder's ``encode_windows``) -> indexed by end position."""
    n, dim = vectors.shape
    out = {1: np.vstack([np.zeros((1, dim), dtype=np.float32), vectors])}
    for w in WIDTHS[1:]:
        table = np.zeros((n + 1, dim), dtype=np.float32)
        if n >= w:
            table[w:] = runs[w][:n - w + 1]
        out[w] = table
    return out


def _side(vectors: np.ndarray, texts: Sequence[str], lang: str,
          runs: dict[int, np.ndarray] | None = None) -> _Side:
    vectors = np.ascontiguousarray(vectors, dtype=np.float32).reshape(len(texts), -1)
    sets = [anchors(t, lang) for t in texts]
    words = [_english_words(t) for t in texts] if lang == "en" else [frozenset()] * len(texts)
    return _Side(vectors, _end_indexed(runs, vectors) if runs is not None else _pooled_runs(vectors),
                 np.array([text_length(t, lang) for t in texts], dtype=np.float64), sets, words)


def _coarsen(side: _Side, block: int) -> _Side:
    """Blocks of ``block`` consecutive segments as the units of a coarse alignment."""
    starts = np.arange(0, side.n, block)
    vectors = _normalised(np.add.reduceat(side.vectors.astype(np.float64), starts, axis=0))
    return _Side(vectors, _pooled_runs(vectors), np.add.reduceat(side.lengths, starts),
                 [frozenset().union(*side.anchor_sets[s:s + block]) for s in starts],
                 [frozenset().union(*side.words[s:s + block]) for s in starts])


# ---------------------------------------------------------------- bands

@dataclass
class _Band:
    """For DP row i (i source segments consumed), the allowed target positions ``lo[i] <= j < hi[i]``."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, n: int, m: int) -> "_Band":
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))

    def cells(self) -> int:
        return int((self.hi - self.lo).sum())


def _project(coarse: list[Bead], block: int, n: int, m: int, margin: int) -> _Band:
    """The segment-level band around a block-level path: every cell within ``margin`` of it."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    s_pos = t_pos = 0  # DP position reached so far, in segments
    for bead in coarse:
        s_end = min((max(bead.src) + 1) * block, n) if bead.src else s_pos
        t_end = min((max(bead.tgt) + 1) * block, m) if bead.tgt else t_pos
        r0, r1 = max(0, s_pos - margin), min(n, s_end + margin)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], max(0, t_pos - margin))
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], min(m, t_end + margin) + 1)
        s_pos, t_pos = s_end, t_end
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # non-decreasing
    hi = np.maximum.accumulate(hi)              # non-decreasing
    lo[0], hi[n] = 0, m + 1
    hi = np.maximum.accumulate(np.maximum(hi, lo + 1))
    lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)    # consecutive rows overlap: every step stays inside
    return _Band(np.clip(lo, 0, m), np.clip(hi, 1, m + 1))


class _BandSims:
    """Segment-pair cosines and anchor matches for every pair the band can use.

    Row ``k`` (source segment k) covers target segments ``start[k] <= l < start[k] + len(row)``.
    """

    def __init__(self, src: _Side, tgt: _Side, band: _Band):
        n, m = src.n, tgt.n
        self.start = np.zeros(n, dtype=np.int64)
        self.rows: list[np.ndarray] = []
        for k in range(n):
            # segment k takes part in beads ending at DP rows k+1 .. k+3
            c0 = max(0, int(band.lo[k + 1]) - 3)
            c1 = max(c0, min(m, int(band.hi[min(n, k + 3)])))
            self.start[k] = c0
            self.rows.append(tgt.vectors[c0:c1] @ src.vectors[k])
        self.anchor_rows = self._anchor_matches(src, tgt)
        self._anchors_flat: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None   # (see anchors_at)

    def _anchor_matches(self, src: _Side, tgt: _Side) -> list[np.ndarray]:
        """Anchors shared by each pair, each weighted by 1 / the number of segments it occurs in.

        A name that runs through the whole document says little about which sentence pairs with which;
        a year or figure found once on each side says a lot.
        """
        index: dict[str, list[int]] = {}
        for k, (anchor_set, words) in enumerate(zip(src.anchor_sets, src.words)):
            for a in anchor_set | words:
                index.setdefault(a, []).append(k)
        tgt_count: dict[str, int] = {}
        for anchor_set in tgt.anchor_sets:
            for a in anchor_set:
                tgt_count[a] = tgt_count.get(a, 0) + 1
        rows = [np.zeros(len(r)) for r in self.rows]
        for l, anchor_set in enumerate(tgt.anchor_sets):
            for a in anchor_set:
                found = index.get(a, ())
                weight = 1.0 / max(len(found), tgt_count[a], 1)
                for k in found:
                    offset = l - self.start[k]
                    if 0 <= offset < len(rows[k]):
                        rows[k][offset] += weight
        return rows

    def anchors_at(self, ks: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """The anchor match of source segment k and target segment col, for each (k, col) at once (0 outside
        what is stored): :meth:`take` of ``anchor_rows`` over many rows."""
        if self._anchors_flat is None:   # the rows end to end, with where each starts and how long it is
            lengths = np.array([len(r) for r in self.anchor_rows], dtype=np.int64)
            flat = np.concatenate(self.anchor_rows) if self.anchor_rows else np.zeros(0)
            self._anchors_flat = (flat, np.cumsum(lengths) - lengths, lengths)
        flat, first, lengths = self._anchors_flat
        at = cols - self.start[ks]
        inside = (at >= 0) & (at < lengths[ks])
        out = np.zeros(len(ks))
        out[inside] = flat[first[ks[inside]] + at[inside]]
        return out

    def take(self, rows: list[np.ndarray], k: int, c0: int, c1: int) -> np.ndarray:
        """Row ``k`` over target segments ``c0 .. c1-1`` (0 outside what is stored)."""
        out = np.zeros(c1 - c0)
        s = int(self.start[k])
        row = rows[k]
        a, b = max(c0, s), min(c1, s + len(row))
        if a < b:
            out[a - c0:b - c0] = row[a - s:b - s]
        return out

    def mutual_best(self, m: int) -> tuple[np.ndarray, np.ndarray]:
        """(source, target) indices of the pairs that are each other's best candidate in the band."""
        n = len(self.rows)
        best_col = np.full(n, -1, dtype=np.int64)
        best_val = np.full(m, -np.inf)
        best_row = np.full(m, -1, dtype=np.int64)
        for k, row in enumerate(self.rows):
            if len(row):
                best_col[k] = self.start[k] + int(np.argmax(row))
                cols = np.arange(self.start[k], self.start[k] + len(row))
                better = row > best_val[cols]
                best_val[cols[better]] = row[better]
                best_row[cols[better]] = k
        rows = np.array([k for k in range(n) if best_col[k] >= 0 and best_row[best_col[k]] == k], dtype=np.int64)
        return rows, best_col[rows]


# ---------------------------------------------------------------- the bead score

NULL_SLICE = 1000   # sampled pairs whose similarities are computed at once (see _calibrate)


def _calibrate(src: _Side, tgt: _Side, mutual: tuple[np.ndarray, np.ndarray], params: AlignParams,
               rng: np.random.Generator) -> tuple[float, float]:
    """(unrelated, translation) similarity levels of this document: the 0 and 1 of the scale."""
    n, m = src.n, tgt.n
    rows, cols = mutual
    best = np.einsum("ij,ij->i", src.vectors[rows], tgt.vectors[cols]) if len(rows) else np.zeros(0)
    if n * m <= params.null_samples:
        matrix = src.vectors @ tgt.vectors.T
        matrix[rows, cols] = np.nan  # the null is what is left once the likely translations are out
        null = matrix[~np.isnan(matrix)]
    else:
        src_at, tgt_at = rng.integers(0, n, params.null_samples), rng.integers(0, m, params.null_samples)
        # in slices: the sampled rows of both sides at once are 80 MB of transient memory
        null = np.concatenate([np.einsum("ij,ij->i", src.vectors[src_at[k:k + NULL_SLICE]],
                                         tgt.vectors[tgt_at[k:k + NULL_SLICE]])
                               for k in range(0, params.null_samples, NULL_SLICE)])
    if len(null) == 0:  # a 1 x 1 document: nothing to compare with
        null = best - 0.5
    unrelated = float(np.median(null))
    spread = float(np.median(np.abs(null - unrelated))) * 1.4826 if len(null) > 2 else 0.1
    confident = best[best > unrelated + 2 * spread]
    translation = float(np.median(confident)) if len(confident) else \
        (float(np.max(best)) if len(best) else unrelated + 0.5)
    # a document too small or too garbled to tell them apart: keep the scale sane
    return unrelated, max(translation, unrelated + max(2 * spread, 0.1))


def _length_variance(src_chars: np.ndarray, tgt_chars: np.ndarray, ratio: float, params: AlignParams) -> np.ndarray:
    """Variance of log(Korean/English length ratio) for beads of these lengths: shorter is noisier.

    Gale and Church's variance proportional to length, in log space: a floor plus ``length_noise``
    characters over the bead's mean length (in English characters).
    """
    mean_chars = np.maximum(0.5 * (src_chars + tgt_chars / ratio), 1.0)
    return params.length_floor ** 2 + params.length_noise / mean_chars


def _length_model(src: _Side, tgt: _Side, mutual: tuple[np.ndarray, np.ndarray],
                  params: AlignParams) -> tuple[float, float]:
    """(Korean/English character ratio, scale of the length noise) estimated from the document."""
    rows, cols = mutual
    ratio = float(tgt.lengths.sum() + 1) / float(src.lengths.sum() + 1)
    if len(rows):
        # omissions and additions bias the whole-document ratio; the likely translations do not
        pair_ratio = math.exp(float(np.median(np.log((tgt.lengths[cols] + 1) / (src.lengths[rows] + 1)))))
        weight = len(rows) / (len(rows) + 5.0)
        ratio = math.exp(weight * math.log(pair_ratio) + (1 - weight) * math.log(ratio))
    scale = 1.0
    if len(rows) >= 3:
        ls, lt = src.lengths[rows], tgt.lengths[cols]
        logs = np.log((lt + params.length_smooth) / (ratio * ls + params.length_smooth))
        z = logs / np.sqrt(_length_variance(ls, lt, ratio, params))
        spread = float(np.median(np.abs(z - np.median(z)))) * 1.4826
        weight = len(rows) / (len(rows) + 20.0)  # a short document says little about its own spread
        scale = math.sqrt(weight * spread ** 2 + (1 - weight))
    return ratio, min(max(scale, 0.5), 3.0)


class _Scorer:
    """Vectorised bead scores for one DP row, calibrated on the document."""

    def __init__(self, src: _Side, tgt: _Side, band: _Band, params: AlignParams, rng: np.random.Generator):
        self.src, self.tgt, self.p = src, tgt, params
        self.sims = _BandSims(src, tgt, band)
        mutual = self.sims.mutual_best(tgt.n)
        self.unrelated, self.translation = _calibrate(src, tgt, mutual, params, rng)
        self.scale = 1.0 / (self.translation - self.unrelated)
        self.ratio, self.sigma = _length_model(src, tgt, mutual, params)
        # the length term is 0 for a bead one standard deviation off the document's ratio
        self.length_offset = math.log((1 - params.length_outlier) * math.exp(-0.5) + params.length_outlier)
        self.src_cum_len = np.concatenate([[0.0], np.cumsum(src.lengths)])
        self.tgt_cum_len = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
        self.priors = {(1, 1): 0.0, (2, 1): params.prior_merge, (1, 2): params.prior_merge,
                       (2, 2): params.prior_22, (1, 3): params.prior_13, (3, 1): params.prior_13}

    def row(self, i: int, a: int, b: int, c0: int, c1: int) -> np.ndarray:
        """Scores of beads (a, b) ending at DP row i and DP columns ``c0 <= j < c1`` (c0 >= b)."""
        p = self.p
        cos = self.tgt.runs[b][c0:c1] @ self.src.runs[a][i]
        score = ((a + b) / 2.0) ** p.size_power * ((cos - self.unrelated) * self.scale - p.threshold)
        # length: log ratio against the document's own ratio
        ls = self.src_cum_len[i] - self.src_cum_len[i - a]
        lt = self.tgt_cum_len[c0:c1] - self.tgt_cum_len[c0 - b:c1 - b]
        variance = _length_variance(ls, lt, self.ratio, p) * self.sigma ** 2
        d = np.log((lt + p.length_smooth) / (self.ratio * ls + p.length_smooth)) / np.sqrt(variance)
        score += p.length_weight * (np.log((1 - p.length_outlier) * np.exp(-0.5 * d * d) + p.length_outlier)
                                    - self.length_offset)
        # anchors: pairwise matches summed over the bead
        matches = np.zeros(c1 - c0)
        for k in range(i - a, i):
            found = np.concatenate([[0.0], np.cumsum(self.sims.take(self.sims.anchor_rows, k, c0 - b, c1 - 1))])
            matches += found[b:] - found[:-b]
        score += p.anchor_bonus * np.minimum(matches, p.anchor_cap)
        return score + self.priors[(a, b)]

    def rows(self, a: int, b: int, spans: list[tuple[int, int, int]]) -> list[np.ndarray]:
        """:meth:`row` for many DP rows at once: ``spans`` holds (i, c0, c1) with c0 < c1.  The same scores,
        computed over all the rows' cells together (per row and per term, thousands of small numpy calls
        were most of the alignment's time on a long document)."""
        p = self.p
        lens = np.array([c1 - c0 for _, c0, c1 in spans], dtype=np.int64)
        rows_i = np.repeat(np.array([i for i, _, _ in spans], dtype=np.int64), lens)
        offsets = np.repeat(np.cumsum(lens) - lens, lens)
        cols = np.arange(int(lens.sum()), dtype=np.int64) - offsets + np.repeat([c0 for _, c0, _ in spans], lens)
        cos = np.concatenate([self.tgt.runs[b][c0:c1] @ self.src.runs[a][i] for i, c0, c1 in spans])
        score = ((a + b) / 2.0) ** p.size_power * ((cos - self.unrelated) * self.scale - p.threshold)
        ls = self.src_cum_len[rows_i] - self.src_cum_len[rows_i - a]
        lt = self.tgt_cum_len[cols] - self.tgt_cum_len[cols - b]
        variance = _length_variance(ls, lt, self.ratio, p) * self.sigma ** 2
        d = np.log((lt + p.length_smooth) / (self.ratio * ls + p.length_smooth)) / np.sqrt(variance)
        score += p.length_weight * (np.log((1 - p.length_outlier) * np.exp(-0.5 * d * d) + p.length_outlier)
                                    - self.length_offset)
        # anchors: the bead's source segments (rows i-a .. i-1) against its target segments (cols j-b .. j-1)
        matches = np.zeros(len(cols))
        for da in range(1, a + 1):
            for db in range(1, b + 1):
                matches += self.sims.anchors_at(rows_i - da, cols - db)
        score += p.anchor_bonus * np.minimum(matches, p.anchor_cap)
        score += self.priors[(a, b)]
        return np.split(score, np.cumsum(lens)[:-1])


# ---------------------------------------------------------------- the programme

def _dp(scorer: _Scorer, band: _Band) -> list[Bead]:
    """The best-scoring path through the band; beads carry their own score."""
    n, m = scorer.src.n, scorer.tgt.n
    skip = scorer.p.prior_skip
    lo, hi = band.lo, band.hi
    back: list[np.ndarray] = []
    own_scores: list[np.ndarray] = []
    values: list[np.ndarray | None] = []   # DP values per row; only the last three rows are kept

    def previous(r: int, c0: int, c1: int) -> np.ndarray:
        out = np.full(c1 - c0, _NEG)
        row = values[r]
        s = int(lo[r])
        a, b = max(c0, s), min(c1, s + len(row))
        if a < b:
            out[a - c0:b - c0] = row[a - s:b - s]
        return out

    # the beads' own scores do not depend on the programme's values: made ahead, for the rows from the one
    # asked about on, up to DP_CELLS cells at a time (a wide band takes fewer rows: bounded memory)
    ahead: dict[tuple[int, int], tuple[int, list[np.ndarray]]] = {}   # move -> (first row, scores of rows)

    def bead_scores(i: int, a: int, b: int) -> np.ndarray:
        first, made = ahead.get((a, b), (-1, []))
        if not first <= i < first + len(made):
            spans, cells = [], 0
            for r in range(i, n + 1):
                c0, c1 = max(int(lo[r]), b), int(hi[r])
                if c0 >= c1 or (spans and cells + c1 - c0 > DP_CELLS):
                    break   # (a row the move cannot reach ends the run: it is asked about no more)
                spans.append((r, c0, c1))
                cells += c1 - c0
            ahead[a, b] = first, made = i, scorer.rows(a, b, spans)
        return made[i - first]

    for i in range(n + 1):
        c0, c1 = int(lo[i]), int(hi[i])
        best = np.full(c1 - c0, _NEG)
        code = np.zeros(c1 - c0, dtype=np.int8)
        own = np.zeros(c1 - c0)
        if i == 0 and c0 == 0:
            best[0] = 0.0
        for index, (a, b) in enumerate(MOVES):
            start = max(c0, b)
            if a > i or start >= c1:
                continue
            prev = previous(i - a, start - b, c1 - b)
            bead = np.full(c1 - start, skip) if b == 0 else bead_scores(i, a, b)
            total = prev + bead
            better = total > best[start - c0:]
            if better.any():
                where = np.flatnonzero(better) + (start - c0)
                best[where] = total[better]
                code[where] = index + 1
                own[where] = bead[better]
        # 0-1 beads within the row: best[j] = max(best[j], best[j-1] + skip), via a running maximum
        steps = skip * np.arange(c1 - c0)
        shifted = best - steps
        running = np.maximum.accumulate(shifted)
        from_left = running > shifted
        code[from_left] = _INSERT
        own[from_left] = skip
        values.append(running + steps)
        back.append(code)
        own_scores.append(own)
        if i >= 3:
            values[i - 3] = None
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        offset = j - int(lo[i])
        c = int(back[i][offset])
        if c == _INSERT:
            beads.append(Bead((), (j - 1,), 0.0))
            j -= 1
            continue
        if c == 0:  # pragma: no cover - the band construction guarantees a path
            raise AssertionError(f"no path reaches DP cell ({i}, {j})")
        a, b = MOVES[c - 1]
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), float(own_scores[i][offset])))
        i, j = i - a, j - b
    beads.reverse()
    return beads


def _confidence(beads: list[Bead]) -> list[Bead]:
    """Bead scores as confidences in [0, 1]: a logistic of the bead's margin over leaving it unaligned."""
    return [Bead(b.src, b.tgt, 1.0 / (1.0 + math.exp(-4.0 * b.score)) if b.src and b.tgt else 0.0)
            for b in beads]


def _prepare(src: _Side, tgt: _Side, params: AlignParams, rng: np.random.Generator) -> tuple[_Band, _Scorer]:
    """The search band (coarse-to-fine for long documents) and the bead scorer over it."""
    n, m = src.n, tgt.n
    if n * m <= params.full_cells:
        band = _Band.full(n, m)
    else:
        # blocks almost always have a counterpart: skipping one must be paid for at that level
        coarse_params = replace(params, prior_skip=params.coarse_skip)
        coarse = _align_sides(_coarsen(src, params.block), _coarsen(tgt, params.block), coarse_params, rng)
        band = _project(coarse, params.block, n, m, params.band_margin)
    return band, _Scorer(src, tgt, band, params, rng)


def _align_sides(src: _Side, tgt: _Side, params: AlignParams, rng: np.random.Generator) -> list[Bead]:
    if src.n == 0 or tgt.n == 0:
        return _unaligned(range(src.n), range(tgt.n))
    band, scorer = _prepare(src, tgt, params, rng)
    return _dp(scorer, band)


def _unaligned(src: Sequence[int], tgt: Sequence[int]) -> list[Bead]:
    return [Bead((k,), (), 0.0) for k in src] + [Bead((), (k,), 0.0) for k in tgt]


# ---------------------------------------------------------------- refinement for pooled runs

def _runs_to_refine(beads: list[Bead], src: _Side, tgt: _Side, gain: float) -> set[tuple[str, int, int]]:
    """Runs next to the path whose pooled vector cannot say whether they form a 2-1 or 1-2 bead.

    Around each 1-1 bead (k, l): the runs (k-1, k), (k, k+1) against l and (l-1, l), (l, l+1)
    against k; and the runs of the path's own 2-1 and 1-2 beads.  Kept when the pooled run is
    within ``gain`` of its best single segment's similarity.  Returns (side, width, end position).
    """
    out: set[tuple[str, int, int]] = set()

    def consider(side: _Side, name: str, end: int, other: np.ndarray) -> None:
        if not 2 <= end <= side.n:
            return
        pooled = float(side.runs[2][end] @ other)
        if pooled >= float(np.max(side.vectors[end - 2:end] @ other)) - gain:
            out.add((name, 2, end))

    for bead in beads:
        if len(bead.src) == 1 and len(bead.tgt) == 1:
            k, l = bead.src[0], bead.tgt[0]
            for end in (k + 1, k + 2):
                consider(src, "src", end, tgt.vectors[l])
            for end in (l + 1, l + 2):
                consider(tgt, "tgt", end, src.vectors[k])
        elif len(bead.src) == 2 and len(bead.tgt) == 1:
            out.add(("src", 2, bead.src[-1] + 1))
        elif len(bead.src) == 1 and len(bead.tgt) == 2:
            out.add(("tgt", 2, bead.tgt[-1] + 1))
    return out


# ---------------------------------------------------------------- public entry points

Encode = Callable[[list[str]], np.ndarray]
# (English texts, Korean texts) -> index pairs known to correspond from outside the embeddings, such as a
# title and its transliteration ('Ivan Maisky' / '이반 마이스키', which USE puts far apart).  The review
# layer supplies one built on the glossary's transliteration scorer; this module knows nothing of it.
PairHints = Callable[[Sequence[str], Sequence[str]], Iterable[tuple[int, int]]]
# A hinted pair counts as this many unique shared anchors (each worth ``anchor_bonus``).
HINT_ANCHORS = 2


def _add_hints(src: _Side, tgt: _Side, hints: PairHints | None, src_texts: Sequence[str],
               tgt_texts: Sequence[str]) -> None:
    if hints is None:
        return
    for i, j in hints(src_texts, tgt_texts):
        keys = frozenset(f"~{i}:{j}:{r}" for r in range(HINT_ANCHORS))
        src.anchor_sets[i] = src.anchor_sets[i] | keys
        tgt.anchor_sets[j] = tgt.anchor_sets[j] | keys


def align_vectors(src_vectors: np.ndarray, tgt_vectors: np.ndarray, src_texts: Sequence[str],
                  tgt_texts: Sequence[str], params: AlignParams = DEFAULT_PARAMS, *,
                  src_runs: dict[int, np.ndarray] | None = None, tgt_runs: dict[int, np.ndarray] | None = None,
                  encode: Encode | None = None, hints: PairHints | None = None) -> list[Bead]:
    """Align two sequences given their L2-normalised embeddings (rows) and texts.

    ``src_runs``/``tgt_runs`` map a width (2, 3) to the embeddings of every run of that many
    consecutive segments, by first segment (an encoder's ``encode_windows``); without them runs
    are pooled, and with ``encode`` a second pass embeds the doubtful pooled runs as joined text.
    ``hints`` adds anchors between pairs known to correspond (see :data:`PairHints`).
    """
    if len(src_vectors) != len(src_texts) or len(tgt_vectors) != len(tgt_texts):
        raise ValueError("one embedding per segment is needed")
    if not len(src_texts) or not len(tgt_texts):
        return _unaligned(range(len(src_texts)), range(len(tgt_texts)))
    rng = np.random.default_rng(0)  # the null sample is random but the result reproducible
    src = _side(src_vectors, src_texts, "en", src_runs)
    tgt = _side(tgt_vectors, tgt_texts, "ko", tgt_runs)
    _add_hints(src, tgt, hints, src_texts, tgt_texts)
    band, scorer = _prepare(src, tgt, params, rng)
    beads = _dp(scorer, band)
    if encode is not None and (src_runs is None or tgt_runs is None):
        refine = sorted(_runs_to_refine(beads, src, tgt, params.refine_gain))
        if refine:
            texts = {"src": src_texts, "tgt": tgt_texts}
            joined = encode([" ".join(texts[name][end - w:end]) for name, w, end in refine])
            for (name, w, end), vector in zip(refine, _normalised(np.asarray(joined))):
                (src if name == "src" else tgt).runs[w][end] = vector
            beads = _dp(scorer, band)
    return _confidence(beads)


def align_segments(src: Sequence[str], tgt: Sequence[str], encoder=None,
                   params: AlignParams = DEFAULT_PARAMS, hints: PairHints | None = None) -> list[Bead]:
    """Align English segments ``src`` with Korean segments ``tgt`` (indices are list positions)."""
    src, tgt = list(src), list(tgt)
    if not src or not tgt:
        return _unaligned(range(len(src)), range(len(tgt)))
    if encoder is None:
        from corpus.encoders import load_encoder

        encoder = load_encoder()
    if getattr(encoder, "supports_windows", hasattr(encoder, "encode_windows")):
        src_vectors, src_runs = encoder.encode_windows(src, WIDTHS[1:])
        tgt_vectors, tgt_runs = encoder.encode_windows(tgt, WIDTHS[1:])
        return align_vectors(src_vectors, tgt_vectors, src, tgt, params, src_runs=src_runs, tgt_runs=tgt_runs,
                             hints=hints)
    vectors = encoder.encode(src + tgt)
    return align_vectors(vectors[:len(src)], vectors[len(src):], src, tgt, params, encode=encoder.encode,
                         hints=hints)


# ---------------------------------------------------------------- documents: paragraphs first

def _paragraph_blocks(src: Document, tgt: Document, encoder, params: AlignParams,
                      hints: PairHints | None = None,
                      vectors: tuple[np.ndarray, np.ndarray] | None = None) -> list[tuple[list[int], list[int]]]:
    """Paragraph-level alignment, as (source paragraph indices, target paragraph indices) blocks.

    Paragraphs are the units of a first alignment (pooled sentence vectors); runs of unpaired
    paragraphs are kept together as one block, so the sentence level has the last word on them.
    ``vectors`` are the two documents' segment embeddings when the caller has them already.
    """
    def units(doc: Document) -> list[str]:
        return [p.text for p in doc.paragraphs]

    src_texts, tgt_texts = units(src), units(tgt)
    seg_src = [s.text for s in src.iter_segments()]
    seg_tgt = [s.text for s in tgt.iter_segments()]
    if vectors is None:
        both = encoder.encode(seg_src + seg_tgt)
        vectors = (both[:len(seg_src)], both[len(seg_src):])

    def pooled(doc: Document, vecs: np.ndarray) -> np.ndarray:
        out = np.zeros((len(doc.paragraphs), vecs.shape[1]), dtype=np.float64)
        position = 0
        for p_index, paragraph in enumerate(doc.paragraphs):
            count = len(paragraph.segments)
            out[p_index] = vecs[position:position + count].sum(0) if count else 0.0
            position += count
        return _normalised(out)

    beads = align_vectors(pooled(src, vectors[0]), pooled(tgt, vectors[1]), src_texts, tgt_texts, params, hints=hints)
    blocks: list[tuple[list[int], list[int]]] = []
    open_block: tuple[list[int], list[int]] | None = None
    for bead in beads:
        if bead.src and bead.tgt:
            open_block = None
            blocks.append((list(bead.src), list(bead.tgt)))
        else:
            if open_block is None:
                open_block = ([], [])
                blocks.append(open_block)
            open_block[0].extend(bead.src)
            open_block[1].extend(bead.tgt)
    return blocks


# (stage, done, total): how far a long job has got, for a progress display
Progress = Callable[[str, int, int], None]


def align_bitext(bitext: Bitext, encoder=None, params: AlignParams = DEFAULT_PARAMS,
                 hints: PairHints | None = None, progress: Progress | None = None,
                 leave_out=None) -> list[Bead]:
    """Beads over the documents' segment indices: paragraphs first where both sides have them.

    ``hints`` (see :data:`PairHints`) is asked about paragraphs and about the segments of each block.
    ``progress`` is told about the ``embedding`` and ``alignment`` stages, in segments.
    ``leave_out`` (:class:`corpus.encoders.LeaveOut`) is handed to an encoder that can fill it while it
    embeds the source segments.
    """
    tgt = bitext.target
    if bitext.source is None:
        return [Bead((), (s.index,), 0.0) for s in tgt.iter_segments()]
    src = bitext.source
    if encoder is None:
        from corpus.encoders import load_encoder

        encoder = load_encoder()
    # An encoder with window embeddings embeds each side once, whole: per block, it would pay its
    # fixed cost per call thousands of times on a document of one-sentence paragraphs.
    report = progress or (lambda stage, done, total: None)
    n_src, n_tgt = sum(len(p.segments) for p in src.paragraphs), sum(len(p.segments) for p in tgt.paragraphs)
    windows = None
    if getattr(encoder, "supports_windows", hasattr(encoder, "encode_windows")):
        windows = _embed_sides(encoder, [s.text for s in src.iter_segments()], [s.text for s in tgt.iter_segments()],
                               report if progress else None, leave_out)
    if bitext.paired_paragraphs:
        blocks = [([k], [k]) for k in range(max(len(src.paragraphs), len(tgt.paragraphs)))]
    elif len(src.paragraphs) > 1 and len(tgt.paragraphs) > 1:
        blocks = _paragraph_blocks(src, tgt, encoder, params, hints,
                                   (windows[0][0], windows[1][0]) if windows else None)
    else:
        blocks = [(list(range(len(src.paragraphs))), list(range(len(tgt.paragraphs))))]
    beads: list[Bead] = []
    done = 0
    for src_paragraphs, tgt_paragraphs in blocks:
        s_segs = [s for k in src_paragraphs if k < len(src.paragraphs) for s in src.paragraphs[k].segments]
        t_segs = [s for k in tgt_paragraphs if k < len(tgt.paragraphs) for s in tgt.paragraphs[k].segments]
        s_texts, t_texts = [s.text for s in s_segs], [s.text for s in t_segs]
        if windows and s_segs and t_segs and _contiguous(s_segs) and _contiguous(t_segs):
            (s_vec, s_runs), (t_vec, t_runs) = (_window_slice(windows[0], s_segs), _window_slice(windows[1], t_segs))
            block_beads = align_vectors(s_vec, t_vec, s_texts, t_texts, params, src_runs=s_runs, tgt_runs=t_runs,
                                        hints=hints)
        else:
            block_beads = align_segments(s_texts, t_texts, encoder, params, hints)
        for bead in block_beads:
            beads.append(Bead(tuple(s_segs[k].index for k in bead.src), tuple(t_segs[k].index for k in bead.tgt),
                              bead.score))
        done += len(s_segs) + len(t_segs)
        report("alignment", done, n_src + n_tgt)
    return beads


def _embed_sides(encoder, src_texts: list[str], tgt_texts: list[str], report: Progress | None, leave_out=None):
    """``encode_windows`` of both sides: in two threads when the review may use two (the encoder's matrix
    products release the GIL; each side's embeddings are the same either way).  ``leave_out`` goes with
    the source side, to an encoder that takes it."""
    from corpus.parallel import review_threads

    total = len(src_texts) + len(tgt_texts)
    done = [0, 0]
    lock = threading.Lock()

    takes_leave_out = leave_out is not None and getattr(encoder, "supports_leave_out", False)

    def embed(side: int, texts: list[str]):
        def on_chunk(k: int) -> None:
            with lock:
                done[side] = k
                report("embedding", done[0] + done[1], total)
        options = {"on_chunk": on_chunk} if report else {}
        if side == 0 and takes_leave_out:
            options["leave_out"] = leave_out
        return encoder.encode_windows(texts, WIDTHS[1:], **options)

    if review_threads() < 2 or not src_texts or not tgt_texts:
        return embed(0, src_texts), embed(1, tgt_texts)
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(max_workers=1) as pool:
        tgt_future = pool.submit(embed, 1, tgt_texts)
        src_windows = embed(0, src_texts)
        return src_windows, tgt_future.result()


def _contiguous(segments: Sequence) -> bool:
    return all(b.index == a.index + 1 for a, b in zip(segments, segments[1:]))


def _window_slice(windows: tuple[np.ndarray, dict[int, np.ndarray]], segments: Sequence
                  ) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """A block's part of a whole document's ``encode_windows``: its segments and the runs inside it."""
    singles, runs = windows
    a, b = segments[0].index, segments[-1].index + 1
    return singles[a:b], {w: runs[w][a:max(a, b - w + 1)] for w in runs}
