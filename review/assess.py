"""Run the checks and the scores over one document's pairs: the step both ``review`` and ``score`` use."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from corpus.errors import InputError
from review.checks import CheckPair, FindingsProvider, TermContext, build_context, run_checks, select_checks
from review.policy import DEFAULT_POLICY, Policy
from review.records import Finding
from review.neural_qe import predict_pairs
from review.quality import estimate_quality
from review.scoring import garble_finding, garble_score, penalty, priority, repeated_findings


@dataclass(frozen=True)
class Assessment:
    """What the checks and scores say about one pair."""

    findings: tuple[Finding, ...]
    score: float
    penalty: float
    priority: float
    quality: float | None = None   # learned quality estimate in [0, 1], higher = better (review.quality)
    qe: float | None = None        # the user's neural QE model's score in [0, 1] (--qe), higher = better


def assess_pairs(pairs: Sequence[CheckPair], *, enable: Iterable[str] | None = None, disable: Iterable[str] = (),
                 use_models: bool = True, encoder: str = "use",
                 providers: Iterable[FindingsProvider] = (), terms: TermContext | None = None,
                 qe: str | None = None, policy: Policy = DEFAULT_POLICY,
                 progress: Callable[[str, int, int], None] | None = None, left_out=None,
                 by_sentences: bool = False) -> list[Assessment]:
    """Findings, garble score, penalty and priority for each pair of one document.

    Kiwi and the sentence encoder run once over the whole document, in batches.
    ``use_models=False`` skips both (the rule-based checks still run).  ``terms`` (the
    document's term base and names) feeds the glossary checks; without it they are silent.
    ``policy`` is the project's house style (:mod:`review.profile`): severities per check, allow-lists,
    thresholds.  ``qe`` names a neural QE model the user has (``comet:PATH``, ``hf:PATH``): its score is kept beside
    ``quality`` and, being the stronger judge of meaning, replaces it in the priority.
    ``progress`` is told about the ``context`` and ``checks`` stages (see :mod:`review.progress`).
    ``left_out`` (:class:`corpus.encoders.LeaveOut`): leave-words-out sums the alignment's pass already made.
    ``by_sentences``: the ``quality`` of a paragraph pair comes from its sentences (see
    :func:`sentence_qualities`), as ``mtreview score`` asks for records that hold whole paragraphs.
    """
    disable = (*disable, *(policy.disabled_checks - set(disable)))
    checks = select_checks(enable, disable)
    # a future of the terms (name discovery running beside) is waited for only by the checks that read it
    pending = terms if hasattr(terms, "result") else None
    ctx = build_context(pairs, use_lm=use_models, use_embeddings=use_models, encoder=encoder, providers=providers,
                        terms=None if pending is not None else terms, policy=policy, progress=progress,
                        left_out=left_out)
    out = []
    all_found = [tuple(policy.apply(found)) for found in run_checks(ctx, checks, progress, terms=pending)]
    repeated = repeated_findings(all_found)
    neural = predict_pairs(qe, [p.src for p in ctx.pairs], [p.tgt for p in ctx.pairs]) if qe \
        else [None] * len(ctx.pairs)
    explain = "garble" not in set(disable) and (enable is None or "garble" in set(enable))
    from_sentences = sentence_qualities(ctx.pairs, enable=enable, disable=disable, encoder=encoder, policy=policy) \
        if by_sentences and use_models else {}
    for pair, found, qe_score in zip(ctx.pairs, all_found, neural):
        score = garble_score(pair, found, ctx)
        quality = None if not use_models else from_sentences[pair.index] if pair.index in from_sentences \
            else estimate_quality(pair, found, ctx)
        judge = qe_score if qe_score is not None else quality
        why = garble_finding(pair, found, ctx, score) if explain else None  # after the scores it would bias
        found = (*found, why) if why else found
        out.append(Assessment(found, score, penalty(found),
                              priority(found, score, pair.tgt, repeated=repeated, in_references=ctx.in_references(pair),
                                       quality=judge),
                              quality, qe_score))
    return out


# A pair of this many sentences or more (on either side) is a paragraph: sentence_qualities judges it by its
# sentences.  A two-sentence segment (a question and its answer, a label and its sentence) stays whole: on the
# MQM dev segments, judging those 76 by their halves lowered the Spearman with the human total 0.431 -> 0.418.
PARAGRAPH_SENTENCES = 3


def sentence_qualities(pairs: Sequence[CheckPair], *, enable: Iterable[str] | None = None, disable: Iterable[str] = (),
                       encoder: str = "use", policy: Policy = DEFAULT_POLICY) -> dict[int, float]:
    """``quality`` of each paragraph pair (PARAGRAPH_SENTENCES; by index in ``pairs``), from its sentences.

    The quality model learnt sentence pairs; a paragraph judged whole is outside what it learnt (its
    cosines, lengths and language-model scores average the good sentences with the bad).  So both sides
    are split into sentences, aligned, the sentence pairs assessed (as one document, with the same checks and
    house style), and the paragraph's quality is their mean weighted by English length: an English sentence left untranslated counts with
    quality 0, Korean with no English counts for nothing.  Measured on MQM dev sentences joined four by
    four (bench/quality_bench.py): Spearman of -quality with the human total 0.40 judged whole, 0.46 so.
    """
    from corpus.align import align_segments
    from corpus.encoders import load_encoder
    from corpus.segment import split_sentences

    sentence_encoder = load_encoder(encoder)
    parts: list[CheckPair] = []
    owner: list[int] = []
    for k, pair in enumerate(pairs):
        english = [pair.src[a:b] for a, b in split_sentences(pair.src, "en")]
        korean = [pair.tgt[a:b] for a, b in split_sentences(pair.tgt, "ko")]
        if max(len(english), len(korean)) < PARAGRAPH_SENTENCES or not english:
            continue
        for bead in align_segments(english, korean, sentence_encoder):
            if bead.src:
                parts.append(CheckPair(f"{pair.id}#{len(parts)}", " ".join(english[i] for i in bead.src),
                                       " ".join(korean[j] for j in bead.tgt)))
                owner.append(k)
    if not parts:
        return {}
    assessed = assess_pairs(parts, enable=enable, disable=disable, encoder=encoder, policy=policy)
    weighted: dict[int, list[float]] = {}
    for k, part, a in zip(owner, parts, assessed):
        total = weighted.setdefault(k, [0.0, 0.0])
        total[0] += len(part.src) * a.quality
        total[1] += len(part.src)
    return {k: round(q / w, 4) for k, (q, w) in weighted.items()}


def score_records(path: str | Path, *, use_models: bool = True, enable: Iterable[str] | None = None,
                  disable: Iterable[str] = (), qe: str | None = None,
                  policy: Policy = DEFAULT_POLICY) -> list[dict[str, Any]]:
    """Score a JSONL file of ``{"id", "src", "tgt", ...}`` records (extra keys ignored).

    Records sharing a ``doc_id`` are judged as one document; records without
    one form a single document together.  Returns one output record per input
    record, in input order: ``id``, ``score``, ``penalty``, ``priority``, ``findings``.
    """
    from corpus.readers import read_jsonl_records

    records = read_jsonl_records(path, required=("src", "tgt"))
    docs: dict[str, list[tuple[int, CheckPair]]] = {}
    for order, (line_no, rec) in enumerate(records):
        for key in ("id", "src", "tgt"):
            if key not in rec:
                raise InputError(str(path), f"record has no {key!r}", line=line_no)
        for key in ("src", "tgt"):
            if not isinstance(rec[key], str):
                raise InputError(str(path), f"{key!r} must be a string, got {type(rec[key]).__name__}", line=line_no)
        doc = str(rec.get("doc_id", ""))
        docs.setdefault(doc, []).append((order, CheckPair(str(rec["id"]), rec["src"], rec["tgt"])))
    out: list[dict[str, Any] | None] = [None] * len(records)
    for members in docs.values():
        results = assess_pairs([p for _, p in members], enable=enable, disable=disable, use_models=use_models, qe=qe,
                               policy=policy, by_sentences=True)
        for (order, pair), a in zip(members, results):
            out[order] = {"id": pair.id, "score": a.score, "quality": a.quality, **({"qe": a.qe} if qe else {}),
                          "penalty": a.penalty,
                          "priority": a.priority,
                          "findings": [f.to_dict() for f in a.findings]}
    return [r for r in out if r is not None]
