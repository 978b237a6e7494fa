"""A learned English-spelling <-> Hangul transliteration similarity.

The score is a weighted edit distance between the letters of the English name
and the jamo of the Hangul: each jamo is rewritten as zero, one or two English
letters (ㅊ -> "ch", ㅡ -> nothing), and English letters may go unspoken (the e
of "Drake").  The costs are negative log probabilities learned by hard EM
(Viterbi alignment, then counting) on the training part of the Wikidata name
pairs (``wd_korean.tsv`` in the shared data) by ``training/translit/learn_translit.py``, which
is not part of the installed package; the learned table ships as
``glossary/data/translit_costs.json``.

Anything that has ``score(english, hangul) -> float`` (higher is more alike, in
[0, 1]) can replace this scorer in discovery.  The neural model of
:mod:`glossary.translit` works beside it: it vetoes implausible links and
chooses the canonical spelling.
"""
from __future__ import annotations

import itertools
import json
import math
import unicodedata
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Iterator, Protocol

import numpy as np

from glossary.jamo import to_jamo

UNSEEN_SUB = 9.0     # a jamo written with letters never seen for it
UNSEEN_INS = 6.0
MAX_LETTERS = 2      # one jamo is spelt by at most this many English letters


class TranslitScorer(Protocol):
    def score(self, english: str, hangul: str) -> float: ...


def english_letters(name: str) -> str:
    """Lower-case ASCII letters of ``name``: accents folded, everything else dropped."""
    folded = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in folded.lower() if "a" <= ch <= "z")


@lru_cache(maxsize=65536)
def hangul_jamo(name: str) -> tuple[str, ...]:
    return tuple(j for j in to_jamo(name) if not ("a" <= j <= "z") and not j.isdigit() and j.strip())


class CostTable:
    """Costs of rewriting one jamo as a letter string ('' = unwritten) and of an unspoken letter."""

    def __init__(self, sub: dict[str, dict[str, float]], ins: dict[str, float]):
        self.sub = sub
        self.ins = ins
        self._letters_index: dict[str, list[tuple[str, float]]] | None = None

    def _by_letters(self) -> dict[str, list[tuple[str, float]]]:
        """``sub`` inverted: letter string -> (jamo, cost) of every jamo the table writes with it."""
        if self._letters_index is None:
            index: dict[str, list[tuple[str, float]]] = {}
            for j, subs in self.sub.items():
                for written, value in subs.items():
                    index.setdefault(written, []).append((j, value))
            self._letters_index = index
        return self._letters_index

    def to_json(self) -> dict:
        return {"sub": self.sub, "ins": self.ins}

    @classmethod
    def from_json(cls, data: dict) -> "CostTable":
        return cls({j: dict(v) for j, v in data["sub"].items()}, dict(data["ins"]))

    def align(self, letters: str, jamo: tuple[str, ...], want_path: bool = False):
        """Cheapest alignment cost (and, on request, its operations) of ``jamo`` onto ``letters``."""
        n, m = len(jamo), len(letters)
        inf = float("inf")
        cost = [[inf] * (m + 1) for _ in range(n + 1)]
        back: list[list[tuple | None]] | None = [[None] * (m + 1) for _ in range(n + 1)] if want_path else None
        cost[0][0] = 0.0
        sub, ins = self.sub, self.ins
        for i in range(n + 1):
            row = cost[i]
            subs_i = sub.get(jamo[i], {}) if i < n else {}
            for j in range(m + 1):
                here = row[j]
                if here == inf:
                    continue
                if j < m:  # an unspoken English letter
                    c = here + ins.get(letters[j], UNSEEN_INS)
                    if c < row[j + 1]:
                        row[j + 1] = c
                        if back is not None:
                            back[i][j + 1] = (i, j, "ins", letters[j])
                if i < n:
                    nxt = cost[i + 1]
                    for k in range(0, MAX_LETTERS + 1):
                        if j + k > m:
                            break
                        piece = letters[j:j + k]
                        c = here + subs_i.get(piece, UNSEEN_SUB)
                        if c < nxt[j + k]:
                            nxt[j + k] = c
                            if back is not None:
                                back[i + 1][j + k] = (i, j, "sub", jamo[i], piece)
        total = cost[n][m]
        if not want_path:
            return total, None
        ops = []
        i, j = n, m
        while (i, j) != (0, 0) and back[i][j] is not None:
            step = back[i][j]
            ops.append(step[2:])
            i, j = step[0], step[1]
        ops.reverse()
        return total, ops


    def align_many(self, letters: str, jamos: list[tuple[str, ...]]) -> list[float]:
        """The cost of :meth:`align` for one letter string against many jamo sequences, vectorised over
        the sequences: each cell is the minimum over the same candidates as in :meth:`align`."""
        if not jamos:
            return []
        return self.align_prepared(letters, self.prepare(jamos)).tolist()

    @staticmethod
    def prepare(jamos: list[tuple[str, ...]]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
        """(symbols, symbol ids padded with len(symbols), lengths, input positions) of many jamo sequences,
        longest first, for :meth:`align_prepared` (worked out once for sequences aligned against many
        letter strings)."""
        symbols = sorted({j for jamo in jamos for j in jamo})
        sym_id = {j: i for i, j in enumerate(symbols)}
        lengths = np.array([len(jamo) for jamo in jamos])
        order = np.argsort(-lengths, kind="stable")
        ids = np.full((len(jamos), int(lengths.max())), len(symbols))
        for b, k in enumerate(order.tolist()):
            ids[b, :lengths[k]] = [sym_id[j] for j in jamos[k]]
        return symbols, ids, lengths[order], order

    def align_prepared(self, letters: str, prepared: tuple[list[str], np.ndarray, np.ndarray, np.ndarray]
                       ) -> np.ndarray:
        """:meth:`align_many` over sequences that :meth:`prepare` has turned into ids (in their input order).

        The rows are sorted longest first, so row ``i`` of the programme runs over the sequences that
        are still being aligned only; each one's cells are the same as alone."""
        symbols, ids, lengths, order = prepared
        m, inf = len(letters), float("inf")
        # piece[k][j, s]: cost of writing jamo s as letters[j:j+k] (inf past the end of the word)
        piece = np.full((MAX_LETTERS + 1, m + 1, len(symbols) + 1), inf)
        symbol_index = {j: s for s, j in enumerate(symbols)}
        for k in range(MAX_LETTERS + 1):
            piece[k, :m + 1 - k, :len(symbols)] = UNSEEN_SUB
            for at in range(m + 1 - k):   # the costs the table knows for this letter string, by jamo
                for j, value in self._by_letters().get(letters[at:at + k], ()):
                    s = symbol_index.get(j)
                    if s is not None:
                        piece[k, at, s] = value
        ins = [self.ins.get(ch, UNSEEN_INS) for ch in letters]
        n_max = ids.shape[1]
        # live[i]: how many sequences (a prefix, longest first) have at least i jamo
        live = np.searchsorted(-lengths, -np.arange(n_max + 1), side="right")
        totals = np.full(len(ids), inf)
        # the programme's row for every sequence at once, one line per letter position (col[j, b]: sequence
        # b after j letters): the running minimum below reads whole contiguous lines, not strided columns
        col = np.full((m + 1, len(ids)), inf)
        col[0] = 0.0
        for i in range(n_max + 1):
            col = col[:, :live[i]]
            for j in range(m):   # unspoken letters: a running minimum along the row
                np.minimum(col[j + 1], col[j] + ins[j], out=col[j + 1])
            ending = slice(live[i + 1] if i < n_max else 0, live[i])
            totals[ending] = col[m, ending]
            if i == n_max:
                break
            n = live[i + 1]
            col = col[:, :n]
            nxt = np.full_like(col, inf)
            sym = ids[:n, i]
            for k in range(MAX_LETTERS + 1):
                np.minimum(nxt[k:], col[:m + 1 - k] + piece[k, :m + 1 - k][:, sym], out=nxt[k:])
            col = nxt
        out = np.empty_like(totals)
        out[order] = totals
        return out


class LearnedTranslitScorer:
    """``score(english, hangul)`` in [0, 1] from a learned :class:`CostTable`."""

    def __init__(self, table: CostTable):
        self.table = table

    @classmethod
    def load(cls, path: str | Path | None = None) -> "LearnedTranslitScorer":
        if path is None:
            text = resources.files("glossary").joinpath("data/translit_costs.json").read_text("utf-8")
        else:
            text = Path(path).read_text("utf-8")
        return cls(CostTable.from_json(json.loads(text)))

    def cost(self, english: str, hangul: str) -> float:
        """Alignment cost per aligned unit (lower is more alike)."""
        return self._cost(english_letters(english), hangul_jamo(hangul))

    @lru_cache(maxsize=65536)
    def _cost(self, letters: str, jamo: tuple[str, ...]) -> float:
        if not letters or not jamo:
            return float("inf")
        total, _ = self.table.align(letters, jamo)
        return total / max(len(letters), len(jamo))

    def score_many(self, english: str, hanguls: list[str]) -> list[float]:
        """:meth:`score` of one English word against many Hangul spellings, the same figures computed
        in one pass of the alignment over all spellings at once (numpy); spellings of several words
        go through :meth:`score`."""
        return next(self.score_rows([english], hanguls))

    def score_rows(self, englishes: Iterable[str], hanguls: list[str]) -> Iterator[list[float]]:
        """:meth:`score_many` of each English word against the same Hangul spellings (their jamo
        prepared once), one row at a time."""
        single = [i for i, h in enumerate(hanguls) if not 2 <= len(h.split()) <= 3]
        several = [i for i, h in enumerate(hanguls) if 2 <= len(h.split()) <= 3]
        jamos = [hangul_jamo(hanguls[i]) for i in single]
        prepared = self.table.prepare(jamos) if jamos else None
        jamo_lengths = np.array([len(jamo) for jamo in jamos], dtype=np.float64)
        inf = float("inf")
        for english in englishes:
            letters = english_letters(english)
            if prepared is None or not letters:
                values = [0.0] * len(single)
            else:
                # per unit: the total over the longer side (an empty jamo sequence cannot be aligned)
                per_unit = self.table.align_prepared(letters, prepared) / np.maximum(len(letters), jamo_lengths)
                per_unit[jamo_lengths == 0] = inf
                values = [0.0 if c == inf else math.exp(-c) for c in per_unit.tolist()]   # (math.exp, as score)
            if not several:
                yield values
                continue
            out = [0.0] * len(hanguls)
            for i in several:
                out[i] = self.score(english, hanguls[i])
            for i, value in zip(single, values):
                out[i] = value
            yield out

    def score(self, english: str, hangul: str) -> float:
        """Similarity in [0, 1]; word order may differ (가와노 게이조 for Keizoh Kawano)."""
        words = hangul.split()
        if 2 <= len(words) <= 3:
            c = min(self.cost(english, " ".join(p)) for p in itertools.permutations(words))
        else:
            c = self.cost(english, hangul)
        return 0.0 if c == float("inf") else math.exp(-c)


@lru_cache(maxsize=1)
def default_scorer() -> LearnedTranslitScorer:
    """The scorer learned from wd_korean.tsv that ships with the package."""
    return LearnedTranslitScorer.load()
