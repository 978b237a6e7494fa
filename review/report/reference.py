"""Scores against a reference or post-edited Korean text: per-pair chrF and TER, corpus chrF/BLEU.

A reference file is read like any Korean input (plain text, or the Korean side
of a ``.tsv``/``.jsonl`` bitext) and aligned to the reviewed pairs:

* when it has as many paragraphs (lines) as the reviewed Korean, paragraph *p*
  of the reference belongs to the pairs of paragraph *p*; inside it a paragraph
  with as many sentences as pairs is paired sentence by sentence, otherwise the
  sentences are aligned monotonically (below);
* otherwise the whole reference is aligned monotonically to the pairs: dynamic
  programming over "this pair takes the next 1-3 reference sentences", "this
  pair has none", "this reference sentence matches no pair", maximising a
  character n-gram F-score (chrF's idea, computed here with counters for speed;
  the reported numbers are sacrebleu's own).

The metric scores are sacrebleu's: ``CHRF()`` (chrF2, character 6-grams) and
``TER()`` per pair (TER only where the pair's and reference's word counts
differ by at most :data:`TER_MAX_WORD_GAP`), and ``CHRF``/``BLEU`` corpus
scores over the aligned pairs with their signature strings so a figure can be
reproduced.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from corpus.errors import InputError
from corpus.records import Document, Segment
from review.records import ReviewedPair

MATCH_THRESHOLD = 0.15
"""A pair and reference sentences are aligned only when their n-gram F-score beats this."""
MAX_REFS_PER_PAIR = 3
TER_MAX_WORD_GAP = 30
"""No TER for a pair whose word count differs from its reference's by more than this.

sacrebleu's TER searches for block shifts, and its time grows steeply with the
length gap (seconds per pair at 40 words of gap); a pair that far from its
reference is an omission or an addition rather than a post-edit, which its chrF
already shows."""
_NGRAM_ORDERS = (1, 2, 3)


@dataclass(frozen=True)
class PairReference:
    """The reference text aligned to one pair and the pair's scores against it."""

    pair_id: str
    ref: str
    chrf: float
    ter: float | None  # None: length gap over TER_MAX_WORD_GAP

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.pair_id, "ref": self.ref, "chrf": round(self.chrf, 2),
                "ter": None if self.ter is None else round(self.ter, 2)}


@dataclass(frozen=True)
class ReferenceScores:
    """Per-pair and corpus scores against one reference file."""

    path: str
    method: str  # "paragraphs" or "monotone"
    pairs: dict[str, PairReference]
    n_reference_segments: int
    n_reference_unmatched: int
    corpus_chrf: float | None = None
    corpus_bleu: float | None = None
    chrf_signature: str = ""
    bleu_signature: str = ""
    ter_signature: str = ""  # the per-pair TER's settings
    extra: dict[str, Any] = field(default_factory=dict)

    def corpus_dict(self) -> dict[str, Any]:
        r = lambda x: None if x is None else round(x, 2)  # noqa: E731
        return {"reference": self.path, "method": self.method, "pairs_matched": len(self.pairs),
                "reference_segments": self.n_reference_segments,
                "reference_unmatched": self.n_reference_unmatched,
                "pairs_with_ter": sum(1 for p in self.pairs.values() if p.ter is not None),
                "chrf": r(self.corpus_chrf), "bleu": r(self.corpus_bleu),
                "chrf_signature": self.chrf_signature, "bleu_signature": self.bleu_signature,
                "ter_signature": self.ter_signature}

    @classmethod
    def from_records(cls, header: dict[str, Any], records: list[dict[str, Any]]) -> "ReferenceScores":
        pairs = {str(r["id"]): PairReference(str(r["id"]), str(r["ref"]), float(r["chrf"]),
                                             None if r.get("ter") is None else float(r["ter"]))
                 for r in records}
        return cls(path=str(header.get("reference", "")), method=str(header.get("method", "")), pairs=pairs,
                   n_reference_segments=int(header.get("reference_segments", 0)),
                   n_reference_unmatched=int(header.get("reference_unmatched", 0)),
                   corpus_chrf=header.get("chrf"), corpus_bleu=header.get("bleu"),
                   chrf_signature=str(header.get("chrf_signature", "")),
                   bleu_signature=str(header.get("bleu_signature", "")),
                   ter_signature=str(header.get("ter_signature", "")))


def read_reference(path: str | Path, encoding: str | None = None) -> Document:
    """The reference Korean as a document: a text file, or the Korean side of a ``.tsv``/``.jsonl`` bitext."""
    from corpus.readers import read_bitext, read_document

    p = Path(path)
    if not p.is_file():
        raise InputError(str(path), "reference file not found")
    if p.suffix.lower() in (".tsv", ".jsonl", ".json"):
        return read_bitext(p, None, encoding).target
    return read_document(p, "ko", encoding)


# --- alignment -------------------------------------------------------------------------------

def _ngrams(text: str) -> frozenset[str]:
    """Distinct character n-grams (spaces removed): sets intersect in C, fast enough for whole documents."""
    chars = "".join(text.split())
    return frozenset(chars[i:i + n] for n in _NGRAM_ORDERS for i in range(len(chars) - n + 1))


def _fscore(hyp: frozenset[str], ref: frozenset[str], beta: float = 2.0) -> float:
    """chrF-style F-beta over distinct n-grams (recall weighted, as in chrF2)."""
    if not hyp or not ref:
        return 0.0
    overlap = len(hyp & ref)
    if not overlap:
        return 0.0
    p, r = overlap / len(hyp), overlap / len(ref)
    b2 = beta * beta
    return (1 + b2) * p * r / (b2 * p + r)


def monotone_align(hyps: Sequence[str], refs: Sequence[str], max_group: int = MAX_REFS_PER_PAIR,
                   threshold: float = MATCH_THRESHOLD) -> list[tuple[int, ...]]:
    """For each hypothesis, the (consecutive, possibly empty) reference indices aligned to it, in order.

    Every reference sentence goes to at most one hypothesis.  A band around the
    length-scaled diagonal keeps long documents fast.
    """
    n, m = len(hyps), len(refs)
    if n == 0:
        return []
    if m == 0:
        return [() for _ in hyps]
    hyp_grams = [_ngrams(h) for h in hyps]
    ref_grams = [_ngrams(r) for r in refs]
    band = max(12, abs(n - m) + 8, (max(n, m) // 20))
    neg = float("-inf")
    best = [[neg] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0

    def in_band(i: int, j: int) -> bool:
        return abs(j - i * m / n) <= band or i == n or j == m

    group_cache: dict[tuple[int, int], frozenset[str]] = {}

    def group(j: int, k: int) -> frozenset[str]:
        key = (j, k)
        if key not in group_cache:
            group_cache[key] = frozenset().union(*ref_grams[j:j + k])
        return group_cache[key]

    for i in range(n + 1):
        for j in range(m + 1):
            cur = best[i][j]
            if cur == neg or not in_band(i, j):
                continue
            if i < n and cur > best[i + 1][j]:  # hypothesis with no reference
                best[i + 1][j], back[i + 1][j] = cur, (i, j, 0)
            if j < m and cur > best[i][j + 1]:  # reference sentence with no hypothesis
                best[i][j + 1], back[i][j + 1] = cur, (i, j, -1)
            if i < n:
                for k in range(1, max_group + 1):
                    if j + k > m:
                        break
                    gain = _fscore(hyp_grams[i], group(j, k)) - threshold
                    if gain > 0 and cur + gain > best[i + 1][j + k]:
                        best[i + 1][j + k], back[i + 1][j + k] = cur + gain, (i, j, k)
    out: list[tuple[int, ...]] = [()] * n
    i, j = n, m
    while (i, j) != (0, 0):
        step = back[i][j]
        if step is None:  # unreachable outside the band: should not happen, bail out safely
            break
        pi, pj, k = step
        if k > 0:
            out[pi] = tuple(range(pj, pj + k))
        i, j = pi, pj
    return out


def _join(texts: Sequence[str]) -> str:
    return " ".join(t.strip() for t in texts if t.strip())


def _original_text(reference: Document, segments: Sequence[Segment]) -> str:
    """The reference's own text spanning consecutive ``segments``, as written.

    Sentences of one paragraph are cut from ``reference.text`` rather than
    re-joined with spaces: the segmenter splits glued sentences
    (``...했습니다.[3]그의``), and a re-join would add a space the post-editor
    never wrote, changing TER and the reference shown.  Runs from different
    paragraphs are joined with a space (a line break is not part of a pair).
    """
    runs: list[str] = []
    k = 0
    while k < len(segments):
        first = last = segments[k]
        while k + 1 < len(segments) and segments[k + 1].paragraph == first.paragraph:
            k += 1
            last = segments[k]
        runs.append(reference.text[first.start:last.end])
        k += 1
    return _join(runs)


def align_reference(pairs: Sequence[ReviewedPair], reference: Document,
                    target_paragraphs: int | None = None) -> tuple[str, dict[str, str], int]:
    """Reference text per pair id: ``(method, {pair_id: ref_text}, n_reference_unmatched)``.

    ``target_paragraphs`` is the number of paragraphs of the reviewed Korean
    document (taken from the pairs when not given).
    """
    with_tgt = [p for p in pairs if p.tgt.strip()]
    segments = list(reference.segments)
    ref_segments = [s.text for s in segments]
    if target_paragraphs is None:
        paras = [p.paragraph for p in with_tgt if p.paragraph is not None]
        target_paragraphs = max(paras) + 1 if paras else None
    out: dict[str, str] = {}
    used = 0
    if target_paragraphs is not None and target_paragraphs == len(reference.paragraphs) \
            and all(p.paragraph is not None for p in with_tgt):
        by_para: dict[int, list[ReviewedPair]] = {}
        for p in with_tgt:
            by_para.setdefault(int(p.paragraph), []).append(p)  # type: ignore[arg-type]
        for para_index, members in by_para.items():
            para_segments = reference.paragraphs[para_index].segments
            refs = [s.text for s in para_segments]
            if len(members) == 1:
                groups = [tuple(range(len(refs)))]
            elif len(members) == len(refs):
                groups = [(k,) for k in range(len(refs))]
            else:
                groups = monotone_align([p.tgt for p in members], refs)
            for p, g in zip(members, groups):
                if g:
                    out[p.id] = _original_text(reference, [para_segments[k] for k in g])
                    used += len(g)
        return "paragraphs", out, len(ref_segments) - used
    # Pairs much longer than reference sentences (paragraph beads) are aligned to reference paragraphs.
    units = ref_segments
    unit_segments: list[tuple[Segment, ...]] = [(s,) for s in segments]
    mean = lambda texts: sum(len(t) for t in texts) / max(1, len(texts))  # noqa: E731
    if with_tgt and mean([p.tgt for p in with_tgt]) > 2 * mean(ref_segments):
        unit_segments = [para.segments for para in reference.paragraphs]
        units = [_original_text(reference, para.segments) for para in reference.paragraphs]
    groups = monotone_align([p.tgt for p in with_tgt], units)
    for p, g in zip(with_tgt, groups):
        if g:
            out[p.id] = _original_text(reference, [s for k in g for s in unit_segments[k]])
            used += len(g)
    unmatched = len(units) - used
    if units is not ref_segments:  # report unmatched reference *sentences*
        matched = set(k for g in groups for k in g)
        unmatched = sum(len(para.segments) for k, para in enumerate(reference.paragraphs) if k not in matched)
    return "monotone", out, unmatched


# --- scoring ---------------------------------------------------------------------------------

def score_reference(pairs: Sequence[ReviewedPair], reference: Document, path: str = "",
                    target_paragraphs: int | None = None) -> ReferenceScores:
    """Align ``reference`` to ``pairs`` and score every aligned pair with sacrebleu."""
    from sacrebleu.metrics import BLEU, CHRF, TER

    method, refs, unmatched = align_reference(pairs, reference, target_paragraphs)
    chrf, ter = CHRF(), TER()
    scored: dict[str, PairReference] = {}
    hyps, ref_texts = [], []
    for p in pairs:
        ref = refs.get(p.id)
        if ref is None:
            continue
        gap = abs(len(p.tgt.split()) - len(ref.split()))
        scored[p.id] = PairReference(p.id, ref, chrf.sentence_score(p.tgt, [ref]).score,
                                     ter.sentence_score(p.tgt, [ref]).score if gap <= TER_MAX_WORD_GAP else None)
        hyps.append(p.tgt)
        ref_texts.append(ref)
    result = ReferenceScores(path=path or reference.path, method=method, pairs=scored,
                             n_reference_segments=len(reference.segments), n_reference_unmatched=unmatched,
                             ter_signature=str(ter.get_signature()))
    if not hyps:
        return result
    bleu, corpus_chrf = BLEU(), CHRF()
    return ReferenceScores(
        path=result.path, method=method, pairs=scored, n_reference_segments=result.n_reference_segments,
        n_reference_unmatched=unmatched,
        corpus_chrf=corpus_chrf.corpus_score(hyps, [ref_texts]).score,
        corpus_bleu=bleu.corpus_score(hyps, [ref_texts]).score,
        chrf_signature=str(corpus_chrf.get_signature()), bleu_signature=str(bleu.get_signature()),
        ter_signature=result.ter_signature)


def write_reference_jsonl(path: str | Path, scores: ReferenceScores) -> Path:
    """``reference.jsonl``: a header with the corpus scores, then one record per scored pair."""
    from review.jsonl import write_jsonl

    write_jsonl(path, (r.to_dict() for r in scores.pairs.values()), header=scores.corpus_dict())
    return Path(path)


def read_reference_jsonl(path: str | Path) -> ReferenceScores | None:
    """The scores written by :func:`write_reference_jsonl`, or ``None`` when the file is absent."""
    from review.jsonl import read_jsonl

    if not Path(path).is_file():
        return None
    try:
        header, records = read_jsonl(path)
        return ReferenceScores.from_records(header or {}, records)
    except (KeyError, ValueError, TypeError) as e:
        raise InputError(str(path), f"not a reference score file: {e}") from None
