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

* **similarity**: the cosine between the normalised sums of its segments'
  embeddings (each segment is embedded once; a multi-segment bead pools the
  sentence vectors instead of re-embedding joined text), computed from the
  pairwise sentence similarities, minus a **margin** -- each sentence's mean
  similarity to its best other candidates (CSLS-style), which makes a sentence
  whose best partner is barely better than the rest (an insertion from
  elsewhere, an omission) stand out.  Both are expressed on a scale
  calibrated on the document itself: 0 is what unrelated pairs score (the
  median of random pairs), 1 what translations score (the median of mutual
  best matches), so the same thresholds work for any encoder;
* **length**: the log ratio of Korean to English characters against the
  ratio estimated from the document (and its spread from the confident pairs);
* **anchors**: numbers, years, citation markers ``[12]`` and Latin-script
  words in the Korean found again in the English;
* a small prior per bead type.

A 1-0 or 0-1 bead scores 0: pairing must beat "no counterpart" by evidence.

Cost is linear in document length: a document of more than ``full_cells``
sentence pairs is aligned coarse-to-fine -- blocks of ``block`` sentences are
pooled and aligned with the same programme, and the sentence-level search
is restricted to a band around that path.  Memory is bounded by the band:
(rows x band width) similarities and back-pointers.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from corpus.readers import Bitext
from corpus.records import Bead

# Bead types other than 0-1 (which the row pass handles), in back-pointer code order (code = index + 1).
MOVES: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (2, 1), (1, 2), (2, 2), (1, 3), (3, 1))
_INSERT = len(MOVES) + 1  # back-pointer code of a 0-1 bead
_NEG = -1e18


@dataclass(frozen=True)
class AlignParams:
    """Weights of the bead score (on the calibrated similarity scale) and search limits."""

    threshold: float = 0.45      # calibrated similarity a pairing must exceed to beat leaving both unaligned
    margin_weight: float = 0.5   # how much of the neighbourhood margin is subtracted
    margin_k: int = 4            # neighbours whose mean similarity is the margin
    component_weight: float = 0.0  # weight of the weakest segment's own similarity in many-to-one beads
    component_threshold: float = 0.5
    size_power: float = 1.0      # a bead's similarity term counts ((a+b)/2)**size_power
    length_weight: float = 0.35  # weight of the length log-likelihood term
    length_outlier: float = 0.05  # share of beads whose length ratio is anything at all
    length_smooth: float = 8.0   # characters added to both sides before taking the log ratio
    sigma_prior: float = 0.25    # spread of log(Korean/English length ratio) before the document speaks
    anchor_bonus: float = 0.25   # per anchor found on both sides of a bead (at most anchor_cap)
    anchor_cap: int = 3
    anchor_miss: float = 0.05    # per number found on one side of a bead only
    prior_skip: float = 0.0      # 1-0 and 0-1
    prior_merge: float = -0.05   # 2-1 and 1-2
    prior_22: float = -0.6       # 2-2
    prior_13: float = -0.6       # 1-3 and 3-1
    full_cells: int = 1_000_000  # up to this many sentence pairs: no band
    block: int = 8               # sentences per block at the coarse level
    band_margin: int = 24        # sentences either side of the projected coarse path
    joint_gain: float = 0.12     # refine merges whose pooled similarity is within this of their best part
    null_samples: int = 20_000   # random pairs that estimate the unrelated-pair similarity


DEFAULT_PARAMS = AlignParams()

# ---------------------------------------------------------------- anchors

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_CITATION = re.compile(r"\[\d+\]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'&.\-]*[A-Za-z]|[A-Z]")


def _numbers(text: str) -> list[str]:
    out = []
    for match in _NUMBER.finditer(text):
        token = match.group()
        # "1,000" and "1000" are one number; keep decimals ("3.5") apart from integers.
        token = re.sub(r",(?=\d{3}\b)", "", token)
        if len(token) >= 2 or token not in "0123456789":  # single digits are too common to be evidence
            out.append(token)
    return out


def anchors(text: str, lang: str) -> frozenset[str]:
    """Cheap exact tokens that survive translation: numbers, citation markers, Latin words (in Korean)."""
    found = {"#" + n for n in _numbers(_CITATION.sub(" ", text))}
    found |= {c for c in _CITATION.findall(text)}
    if lang == "ko":
        found |= {"w:" + w.lower().strip(".") for w in _LATIN_WORD.findall(text) if len(w) >= 2}
    return frozenset(found)


def _english_words(text: str) -> frozenset[str]:
    return frozenset(w.lower().strip(".") for w in _LATIN_WORD.findall(text))


# ---------------------------------------------------------------- the two sides

@dataclass
class _Side:
    vectors: np.ndarray           # (n, dim) float32, rows L2-normalised
    lengths: np.ndarray           # (n,) characters
    anchor_sets: list[frozenset[str]]
    n_numbers: np.ndarray         # (n,) numbers and citations among the anchors

    @property
    def n(self) -> int:
        return len(self.lengths)

    def pooled_norms(self, width: int) -> np.ndarray:
        """``norms[j]`` = |sum of vectors j-width .. j-1| for DP positions j (0 where undefined)."""
        n = self.n
        out = np.zeros(n + 1)
        if width > n:
            return out
        # |sum|^2 = width + 2 * (the dot products of every pair inside the window)
        sq = np.full(n - width + 1, float(width))
        for gap in range(1, width):
            dots = np.einsum("ij,ij->i", self.vectors[:-gap], self.vectors[gap:]).astype(np.float64)
            for first in range(width - gap):
                sq += 2 * dots[first:first + n - width + 1]
        out[width:] = np.sqrt(np.maximum(sq, 1e-12))
        return out


# A Latin-script gloss in brackets after a Korean word, "트럼프(Trump)": added text the English does not have twice.
_LATIN_GLOSS = re.compile(r"\([A-Za-z][^()\uac00-\ud7a3]{0,60}\)")


def text_length(text: str, lang: str) -> int:
    """Characters that count towards the length ratio (no spaces; no Latin glosses in Korean)."""
    if lang == "ko":
        text = _LATIN_GLOSS.sub("", text)
    return sum(1 for c in text if not c.isspace())


def _side(vectors: np.ndarray, texts: Sequence[str], lang: str) -> _Side:
    sets = [anchors(t, lang) for t in texts]
    return _Side(np.ascontiguousarray(vectors, dtype=np.float32),
                 np.array([text_length(t, lang) for t in texts], dtype=np.float64), sets,
                 np.array([sum(1 for a in s if not a.startswith("w:")) for s in sets], dtype=np.float64))


def _coarsen(side: _Side, block: int) -> _Side:
    n_blocks = math.ceil(side.n / block)
    vecs = np.zeros((n_blocks, side.vectors.shape[1]), dtype=np.float32)
    np.add.at(vecs, np.arange(side.n) // block, side.vectors)
    vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    lengths = np.add.reduceat(side.lengths, np.arange(0, side.n, block))
    sets = [frozenset().union(*side.anchor_sets[s:s + block]) for s in range(0, side.n, block)]
    counts = np.add.reduceat(side.n_numbers, np.arange(0, side.n, block))
    return _Side(vecs, lengths, sets, counts)


# ---------------------------------------------------------------- bands

@dataclass
class _Band:
    """For DP row i (i source segments consumed), the allowed target positions ``lo[i] <= j < hi[i]``."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, n: int, m: int) -> "_Band":
        return cls(np.zeros(n + 1, dtype=np.int64), np.full(n + 1, m + 1, dtype=np.int64))


def _project(coarse: list[Bead], block: int, n: int, m: int, margin: int) -> _Band:
    """The sentence-level band around a block-level path: every cell within ``margin`` of it."""
    lo = np.full(n + 1, m + 1, dtype=np.int64)
    hi = np.zeros(n + 1, dtype=np.int64)
    s_pos = t_pos = 0  # DP position reached so far, in sentences
    for bead in coarse:
        s1 = min((max(bead.src) + 1) * block, n) if bead.src else s_pos
        t1 = min((max(bead.tgt) + 1) * block, m) if bead.tgt else t_pos
        r0, r1 = max(0, s_pos - margin), min(n, s1 + margin)
        lo[r0:r1 + 1] = np.minimum(lo[r0:r1 + 1], max(0, t_pos - margin))
        hi[r0:r1 + 1] = np.maximum(hi[r0:r1 + 1], min(m, t1 + margin) + 1)
        s_pos, t_pos = s1, t1
    lo = np.minimum.accumulate(lo[::-1])[::-1]  # non-decreasing
    hi = np.maximum.accumulate(hi)              # non-decreasing
    lo[0], hi[n] = 0, m + 1
    hi = np.maximum.accumulate(np.maximum(hi, lo + 1))
    # consecutive rows overlap, so that every path step stays inside the band
    lo[1:] = np.minimum(lo[1:], hi[:-1] - 1)
    return _Band(np.clip(lo, 0, m), np.clip(hi, 1, m + 1))


# ---------------------------------------------------------------- similarities in the band

class _BandSims:
    """Sentence-pair cosine similarities (and anchor matches) for every pair a band can use.

    Row ``k`` (source sentence k) holds target sentences ``start[k] <= l < start[k] + len(row)``.
    """

    def __init__(self, src: _Side, tgt: _Side, band: _Band):
        n, m = src.n, tgt.n
        self.start = np.zeros(n, dtype=np.int64)
        self.rows: list[np.ndarray] = []
        self.anchor_rows: list[np.ndarray] = []
        for k in range(n):
            # sentence k takes part in beads ending at DP rows k+1 .. k+3, tgt sentences l < j <= hi
            c0 = max(0, int(band.lo[k + 1]) - 3)
            c1 = min(m, int(band.hi[min(n, k + 3)]))
            c1 = max(c1, c0)
            self.start[k] = c0
            self.rows.append(tgt.vectors[c0:c1] @ src.vectors[k])
        self._anchor_matches(src, tgt)

    def _anchor_matches(self, src: _Side, tgt: _Side) -> None:
        src_index: dict[str, list[int]] = {}
        for k, anchor_set in enumerate(src.anchor_sets):
            for a in anchor_set:
                src_index.setdefault(a, []).append(k)
        self.anchor_rows = [np.zeros(len(r)) for r in self.rows]
        for l, anchor_set in enumerate(tgt.anchor_sets):
            for a in anchor_set:
                for k in src_index.get(a, ()):
                    offset = l - self.start[k]
                    if 0 <= offset < len(self.rows[k]):
                        self.anchor_rows[k][offset] += 1

    def take(self, rows: list[np.ndarray], k: int, c0: int, c1: int) -> np.ndarray:
        """Row ``k`` over target sentences ``c0 .. c1-1``; NaN outside what is stored."""
        out = np.full(c1 - c0, np.nan)
        s = int(self.start[k])
        row = rows[k]
        a, b = max(c0, s), min(c1, s + len(row))
        if a < b:
            out[a - c0:b - c0] = row[a - s:b - s]
        return out


def _mutual_best(sims: _BandSims, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """(source, target) indices of the pairs that are each other's best candidate in the band."""
    best_col = np.full(n, -1, dtype=np.int64)
    best_row_val = np.full(m, -np.inf)
    best_row = np.full(m, -1, dtype=np.int64)
    for k, row in enumerate(sims.rows):
        if len(row):
            best_col[k] = sims.start[k] + int(np.argmax(row))
            cols = np.arange(sims.start[k], sims.start[k] + len(row))
            better = row > best_row_val[cols]
            best_row_val[cols[better]] = row[better]
            best_row[cols[better]] = k
    rows = np.array([k for k in range(n) if best_col[k] >= 0 and best_row[best_col[k]] == k], dtype=np.int64)
    return rows, best_col[rows] if len(rows) else np.zeros(0, dtype=np.int64)


def _calibrate(src: _Side, tgt: _Side, sims: _BandSims, params: AlignParams,
               rng: np.random.Generator) -> tuple[float, float]:
    """(unrelated, translation) similarity levels of this document: the 0 and 1 of the scale."""
    n, m = src.n, tgt.n
    rows, cols = _mutual_best(sims, n, m)
    mutual = np.einsum("ij,ij->i", src.vectors[rows], tgt.vectors[cols]) if len(rows) else np.zeros(0)
    if n * m <= params.null_samples:
        matrix = src.vectors @ tgt.vectors.T
        matrix[rows, cols] = np.nan  # the null is what is left once the likely translations are out
        null = matrix[~np.isnan(matrix)]
    else:
        i = rng.integers(0, n, params.null_samples)
        j = rng.integers(0, m, params.null_samples)
        null = np.einsum("ij,ij->i", src.vectors[i], tgt.vectors[j])
    if len(null) == 0:  # a 1 x 1 document, say: nothing to compare with
        null = mutual - 0.5
    unrelated = float(np.median(null))
    spread = float(np.median(np.abs(null - unrelated))) * 1.4826 if len(null) > 2 else 0.1
    confident = mutual[mutual > unrelated + 2 * spread]
    translation = float(np.median(confident)) if len(confident) else \
        (float(np.max(mutual)) if len(mutual) else unrelated + 0.5)
    # a document too small or too garbled to tell them apart: keep the scale sane
    translation = max(translation, unrelated + max(2 * spread, 0.1))
    return unrelated, translation


# ---------------------------------------------------------------- the programme

def _length_model(src: _Side, tgt: _Side, sims: _BandSims, params: AlignParams) -> tuple[float, float]:
    """(Korean/English character ratio, spread of the log ratio) estimated from the document."""
    ratio = float(tgt.lengths.sum() + 1) / float(src.lengths.sum() + 1)
    logs = []
    for k, row in enumerate(sims.rows):
        if len(row):
            c = int(np.argmax(row))
            l = sims.start[k] + c
            logs.append(math.log((tgt.lengths[l] + params.length_smooth)
                                 / (ratio * src.lengths[k] + params.length_smooth)))
    if len(logs) >= 3:
        logs_arr = np.array(logs)
        spread = float(np.median(np.abs(logs_arr - np.median(logs_arr)))) * 1.4826
        # shrink towards the prior: a short document says little about its own spread
        w = len(logs) / (len(logs) + 20.0)
        sigma = math.sqrt(w * spread ** 2 + (1 - w) * params.sigma_prior ** 2)
    else:
        sigma = params.sigma_prior
    return ratio, max(sigma, 0.08)


class _Scorer:
    """Vectorised bead scores for one DP row."""

    def __init__(self, src: _Side, tgt: _Side, sims: _BandSims, params: AlignParams,
                 rng: np.random.Generator):
        self.src, self.tgt, self.sims, self.p = src, tgt, sims, params
        # (a, b, DP row) -> (DP columns, cosine) of beads whose joined side was embedded as one text
        self.joint: dict[tuple[int, int, int], tuple[np.ndarray, np.ndarray]] = {}
        self.unrelated, self.translation = _calibrate(src, tgt, sims, params, rng)
        self.scale = 1.0 / (self.translation - self.unrelated)
        self.ratio, self.sigma = _length_model(src, tgt, sims, params)
        self.src_norms = {a: src.pooled_norms(a) for a in (1, 2, 3)}
        self.tgt_norms = {b: tgt.pooled_norms(b) for b in (1, 2, 3)}
        # the length term is 0 for a bead one standard deviation off the document's ratio
        self.length_offset = math.log((1 - params.length_outlier) * math.exp(-0.5) + params.length_outlier)
        self.src_cum_len = np.concatenate([[0.0], np.cumsum(src.lengths)])
        self.tgt_cum_len = np.concatenate([[0.0], np.cumsum(tgt.lengths)])
        self.src_cum_num = np.concatenate([[0.0], np.cumsum(src.n_numbers)])
        self.tgt_cum_num = np.concatenate([[0.0], np.cumsum(tgt.n_numbers)])
        self.src_margin, self.tgt_margin = self._margins()
        self.src_cum_margin = np.concatenate([[0.0], np.cumsum(self.src_margin)])
        self.tgt_cum_margin = np.concatenate([[0.0], np.cumsum(self.tgt_margin)])
        self.priors = {(1, 1): 0.0, (2, 1): params.prior_merge, (1, 2): params.prior_merge,
                       (2, 2): params.prior_22, (1, 3): params.prior_13, (3, 1): params.prior_13}

    def _margins(self) -> tuple[np.ndarray, np.ndarray]:
        """Each sentence's mean calibrated similarity to its best candidates after the best one."""
        k = self.p.margin_k
        rows = self.sims.rows
        sizes = np.array([len(r) for r in rows], dtype=np.int64)
        values = np.concatenate(rows) if rows else np.zeros(0)
        row_of = np.repeat(np.arange(len(rows)), sizes)
        col_of = np.concatenate([np.arange(self.sims.start[r], self.sims.start[r] + sizes[r])
                                 for r in range(len(rows))]) if rows else np.zeros(0, dtype=np.int64)

        def top_mean(group: np.ndarray, count: int) -> np.ndarray:
            # sort by group, then by decreasing value; rank within group; mean of ranks 1..k
            order = np.lexsort((-values, group))
            g = group[order]
            first = np.searchsorted(g, g, side="left")
            rank = np.arange(len(g)) - first
            keep = (rank >= 1) & (rank <= k)
            total = np.bincount(g[keep], weights=values[order][keep], minlength=count)
            n_kept = np.bincount(g[keep], minlength=count)
            out = np.full(count, self.unrelated)
            has = n_kept > 0
            out[has] = total[has] / n_kept[has]
            return out

        src_margin = top_mean(row_of, self.src.n)
        tgt_margin = top_mean(col_of, self.tgt.n)
        to_scale = lambda v: np.maximum((v - self.unrelated) * self.scale, 0.0)  # noqa: E731
        return to_scale(src_margin), to_scale(tgt_margin)

    def row(self, i: int, a: int, b: int, cols: np.ndarray) -> np.ndarray:
        """Scores of beads (a, b) ending at DP row i and DP columns ``cols`` (NaN: impossible)."""
        p = self.p
        c0, c1 = int(cols[0]), int(cols[-1]) + 1
        # numerator of the pooled cosine: all pairwise similarities inside the bead
        width = c1 - c0
        num = np.zeros(width)
        anchor = np.zeros(width)
        column_sums = np.zeros(width + b - 1)   # per target sentence: similarity to all of the source side
        weakest_src = np.full(width, np.inf)     # the least similar source sentence of a multi-sentence side
        for k in range(i - a, i):
            sims = self.sims.take(self.sims.rows, k, c0 - b, c1 - 1)
            anch = self.sims.take(self.sims.anchor_rows, k, c0 - b, c1 - 1)
            cs = np.concatenate([[0.0], np.cumsum(sims)])
            ca = np.concatenate([[0.0], np.cumsum(np.nan_to_num(anch))])
            window = cs[b:] - cs[:-b]
            num += window
            anchor += ca[b:] - ca[:-b]
            column_sums += sims
            if a >= 2:
                weakest_src = np.minimum(weakest_src, window / self.tgt_norms[b][c0:c1])
        den = self.src_norms[a][i] * self.tgt_norms[b][c0:c1]
        with np.errstate(invalid="ignore", divide="ignore"):
            cos = np.where(den > 0, num / den, np.nan)
        weakest = weakest_src
        if b >= 2:
            weakest_tgt = np.min(np.stack([column_sums[x:x + width] for x in range(b)]), axis=0) \
                / self.src_norms[a][i]
            weakest = np.minimum(weakest, weakest_tgt)
        if a >= 2 or b >= 2:
            # every segment of a many-to-one bead must resemble the other side on its own
            part = (weakest - self.unrelated) * self.scale
            component = p.component_weight * np.minimum(part - p.component_threshold, 0.0)
        else:
            component = 0.0
        joint = self.joint.get((a, b, i))
        if joint is not None:
            # similarities of joined text embedded as one (refinement pass) replace the pooled ones
            inside = (joint[0] >= c0) & (joint[0] < c1)
            cos[joint[0][inside] - c0] = joint[1][inside]
        calibrated = (cos - self.unrelated) * self.scale
        margin = (self.src_cum_margin[i] - self.src_cum_margin[i - a]) / a + \
            (self.tgt_cum_margin[c0:c1] - self.tgt_cum_margin[c0 - b:c1 - b]) / b
        similarity = calibrated - p.margin_weight * 0.5 * margin - p.threshold
        score = ((a + b) / 2.0) ** p.size_power * similarity + component
        # length: log ratio against the document's own ratio
        ls = self.src_cum_len[i] - self.src_cum_len[i - a]
        lt = self.tgt_cum_len[c0:c1] - self.tgt_cum_len[c0 - b:c1 - b]
        d = np.log((lt + p.length_smooth) / (self.ratio * ls + p.length_smooth)) / self.sigma
        # a Gaussian with a floor: translators do add and drop words, so no ratio is impossible
        score += p.length_weight * (np.log((1 - p.length_outlier) * np.exp(-0.5 * d * d) + p.length_outlier)
                                    - self.length_offset)
        # anchors
        numbers = (self.src_cum_num[i] - self.src_cum_num[i - a]) + \
            (self.tgt_cum_num[c0:c1] - self.tgt_cum_num[c0 - b:c1 - b])
        score += p.anchor_bonus * np.minimum(anchor, p.anchor_cap)
        score -= p.anchor_miss * np.maximum(numbers - 2 * anchor, 0.0)
        return score + self.priors[(a, b)]


def _dp(scorer: "_Scorer", band: _Band) -> list[Bead]:
    n, m = scorer.src.n, scorer.tgt.n
    params = scorer.p
    lo, hi = band.lo, band.hi
    back: list[np.ndarray] = []
    scores: list[np.ndarray] = []    # DP values per row (kept for the last 3 rows only)
    bead_scores: list[np.ndarray] = []

    def prev_values(r: int, c0: int, c1: int) -> np.ndarray:
        out = np.full(c1 - c0, _NEG)
        row = scores[r]
        if row is None:
            return out
        s = int(lo[r])
        a, b = max(c0, s), min(c1, s + len(row))
        if a < b:
            out[a - c0:b - c0] = row[a - s:b - s]
        return out

    for i in range(n + 1):
        c0, c1 = int(lo[i]), int(hi[i])
        cols = np.arange(c0, c1)
        best = np.full(c1 - c0, _NEG)
        code = np.zeros(c1 - c0, dtype=np.int8)
        own = np.zeros(c1 - c0)
        if i == 0:
            best[cols == 0] = 0.0
        for index, (a, b) in enumerate(MOVES):
            if a > i:
                continue
            valid = cols >= b
            if not valid.any():
                continue
            vc = cols[valid]
            prev = prev_values(i - a, int(vc[0]) - b, int(vc[-1]) + 1 - b)
            if b == 0:
                bead = np.full(len(vc), params.prior_skip)
            else:
                bead = scorer.row(i, a, b, vc)
            total = np.where(np.isnan(bead), _NEG, prev + np.nan_to_num(bead, nan=0.0))
            target = best[valid]
            better = total > target
            if better.any():
                idx = np.flatnonzero(valid)[better]
                best[idx] = total[better]
                code[idx] = index + 1
                own[idx] = bead[better]
        # 0-1 beads within the row: best[j] = max(best[j], best[j-1] + prior_skip)
        skips = params.prior_skip * np.arange(c1 - c0)
        shifted = best - skips
        run = np.maximum.accumulate(shifted)
        from_left = run > shifted
        code[from_left] = _INSERT
        own[from_left] = 0.0
        best = run + skips
        back.append(code)
        bead_scores.append(own)
        scores.append(best)
        if i >= 3:
            scores[i - 3] = None  # only the last three rows are ever read again
    # trace back
    beads: list[Bead] = []
    i, j = n, m
    while i > 0 or j > 0:
        offset = j - int(lo[i])
        c = int(back[i][offset])
        own = float(bead_scores[i][offset])
        if c == _INSERT or c == 0 and i == 0:
            beads.append(Bead((), (j - 1,), 0.0))
            j -= 1
            continue
        if c == 0:
            raise AssertionError(f"no path reaches DP cell ({i}, {j})")
        a, b = MOVES[c - 1]
        beads.append(Bead(tuple(range(i - a, i)), tuple(range(j - b, j)), own))
        i, j = i - a, j - b
    beads.reverse()
    return _with_confidence(beads, scorer)


def _with_confidence(beads: list[Bead], scorer: _Scorer) -> list[Bead]:
    """Scores as confidences in [0, 1]: a logistic of the bead's margin over leaving it unaligned."""
    out = []
    for bead in beads:
        if not bead.src or not bead.tgt:
            out.append(Bead(bead.src, bead.tgt, 0.0))
        else:
            out.append(Bead(bead.src, bead.tgt, 1.0 / (1.0 + math.exp(-4.0 * bead.score))))
    return out


def _prepare(src: _Side, tgt: _Side, params: AlignParams, rng: np.random.Generator) -> tuple[_Band, _Scorer]:
    """The search band (coarse-to-fine for long documents) and the bead scorer over it."""
    n, m = src.n, tgt.n
    if n * m <= params.full_cells:
        band = _Band.full(n, m)
    else:
        coarse = _align_sides(_coarsen(src, params.block), _coarsen(tgt, params.block), params, rng)
        band = _project(coarse, params.block, n, m, params.band_margin)
    return band, _Scorer(src, tgt, _BandSims(src, tgt, band), params, rng)


def _align_sides(src: _Side, tgt: _Side, params: AlignParams, rng: np.random.Generator) -> list[Bead]:
    if src.n == 0 or tgt.n == 0:
        return _unaligned(src.n, tgt.n)
    band, scorer = _prepare(src, tgt, params, rng)
    return _dp(scorer, band)


def _unaligned(n: int, m: int) -> list[Bead]:
    return [Bead((k,), (), 0.0) for k in range(n)] + [Bead((), (k,), 0.0) for k in range(m)]


def _merge_candidates(beads: list[Bead], src: _Side, tgt: _Side, params: AlignParams) -> set[tuple[int, int, int, int]]:
    """2-1 and 1-2 beads next to the first path worth embedding as joined text: (a, b, DP row, DP column).

    Around every 1-1 bead, the merges with the neighbouring segment on either side; every 2-1 and 1-2
    bead of the path itself.  Kept only if pooling says the merge is at least nearly as similar as
    its best single segment (``joint_gain``), which rules out most of them before anything is embedded.
    """
    n, m = src.n, tgt.n
    out: set[tuple[int, int, int, int]] = set()

    def consider(a: int, b: int, i: int, j: int) -> None:
        if not (a <= i <= n and b <= j <= m):
            return
        s_vecs = src.vectors[i - a:i]
        t_vecs = tgt.vectors[j - b:j]
        pooled_s, pooled_t = s_vecs.sum(0), t_vecs.sum(0)
        cos = float(pooled_s @ pooled_t) / float(np.linalg.norm(pooled_s) * np.linalg.norm(pooled_t))
        singles = (s_vecs @ pooled_t) / np.linalg.norm(pooled_t) if a > 1 else (t_vecs @ pooled_s) / np.linalg.norm(pooled_s)
        if cos - float(np.max(singles)) >= -params.joint_gain:
            out.add((a, b, i, j))

    for bead in beads:
        if len(bead.src) == 1 and len(bead.tgt) == 1:
            k, l = bead.src[0], bead.tgt[0]
            consider(2, 1, k + 1, l + 1)   # (k-1, k) -> l
            consider(2, 1, k + 2, l + 1)   # (k, k+1) -> l
            consider(1, 2, k + 1, l + 1)   # k -> (l-1, l)
            consider(1, 2, k + 1, l + 2)   # k -> (l, l+1)
        elif (len(bead.src), len(bead.tgt)) in ((2, 1), (1, 2)):
            consider(len(bead.src), len(bead.tgt), bead.src[-1] + 1, bead.tgt[-1] + 1)
    return out


# ---------------------------------------------------------------- public entry points

def align_vectors(src_vectors: np.ndarray, tgt_vectors: np.ndarray, src_texts: Sequence[str],
                  tgt_texts: Sequence[str], params: AlignParams = DEFAULT_PARAMS,
                  encoder=None) -> list[Bead]:
    """Align two sequences given their L2-normalised embeddings (rows) and texts.

    With an ``encoder``, a second pass embeds the joined text of the few 2-1 and 1-2 beads near
    the first path that pooling cannot decide, and aligns again with those similarities.
    """
    if len(src_vectors) != len(src_texts) or len(tgt_vectors) != len(tgt_texts):
        raise ValueError("one embedding per segment is needed")
    if not len(src_texts) or not len(tgt_texts):
        return _unaligned(len(src_texts), len(tgt_texts))
    rng = np.random.default_rng(0)  # the null sample is random but the result reproducible
    src = _side(np.asarray(src_vectors, dtype=np.float32), src_texts, "en")
    tgt = _side(np.asarray(tgt_vectors, dtype=np.float32), tgt_texts, "ko")
    band, scorer = _prepare(src, tgt, params, rng)
    beads = _dp(scorer, band)
    if encoder is None or params.joint_gain < -1:
        return beads
    candidates = sorted(_merge_candidates(beads, src, tgt, params))
    if not candidates:
        return beads
    texts = [" ".join(src_texts[i - a:i]) if a > 1 else " ".join(tgt_texts[j - b:j]) for a, b, i, j in candidates]
    joined = encoder.encode(texts)
    found: dict[tuple[int, int, int], list[tuple[int, float]]] = {}
    for (a, b, i, j), vec in zip(candidates, joined):
        other = tgt.vectors[j - 1] if a > 1 else src.vectors[i - 1]
        found.setdefault((a, b, i), []).append((j, float(vec @ other)))
    scorer.joint = {key: (np.array([j for j, _ in v]), np.array([c for _, c in v])) for key, v in found.items()}
    return _dp(scorer, band)


def align_segments(src: Sequence[str], tgt: Sequence[str], encoder=None,
                   params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Align English segments ``src`` with Korean segments ``tgt`` (indices are list positions)."""
    src, tgt = list(src), list(tgt)
    if not src or not tgt:
        return _unaligned(len(src), len(tgt))
    if encoder is None:
        from corpus.encoders import load_encoder

        encoder = load_encoder()
    vectors = encoder.encode(src + tgt)
    return align_vectors(vectors[:len(src)], vectors[len(src):], src, tgt, params, encoder)


def align_bitext(bitext: Bitext, encoder=None, params: AlignParams = DEFAULT_PARAMS) -> list[Bead]:
    """Beads for a bitext over the documents' segment indices (placeholder for paragraphs-first)."""
    tgt = bitext.target
    if bitext.source is None:
        return [Bead((), (s.index,), 0.0) for s in tgt.iter_segments()]
    src = bitext.source
    return align_segments([s.text for s in src.iter_segments()], [s.text for s in tgt.iter_segments()],
                          encoder, params)
