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
_LABEL_RE = re.compile(r"^\s*((?:@\w+|[A-Z][\w.'’-]*(?: [\w.'’-]+){0,3}))\s*:\s+\S")
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
               src_vectors: np.ndarray, head) -> list[list[Gap]]:
    """:func:`source_gaps` for many pairs with one pass of the output layers; ``src_vectors`` are
    the English embeddings (``head`` of each ``parts.total``)."""
    rows, counts, owner, found = [], [], [], []
    for k, (src, tgt, p) in enumerate(zip(srcs, tgts, parts)):
        windows = examined_windows(src, tgt, p.words)
        found.append(windows)
        for a, b, _ in windows:
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
