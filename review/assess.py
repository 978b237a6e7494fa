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
                 progress: Callable[[str, int, int], None] | None = None, left_out=None) -> list[Assessment]:
    """Findings, garble score, penalty and priority for each pair of one document.

    Kiwi and the sentence encoder run once over the whole document, in batches.
    ``use_models=False`` skips both (the rule-based checks still run).  ``terms`` (the
    document's term base and names) feeds the glossary checks; without it they are silent.
    ``policy`` is the project's house style (:mod:`review.profile`): severities per check, allow-lists,
    thresholds.  ``qe`` names a neural QE model the user has (``comet:PATH``, ``hf:PATH``): its score is kept beside
    ``quality`` and, being the stronger judge of meaning, replaces it in the priority.
    ``progress`` is told about the ``context`` and ``checks`` stages (see :mod:`review.progress`).
    ``left_out`` (:class:`corpus.encoders.LeaveOut`): leave-words-out sums the alignment's pass already made.
    """
    disable = (*disable, *(policy.disabled_checks - set(disable)))
    checks = select_checks(enable, disable)
    ctx = build_context(pairs, use_lm=use_models, use_embeddings=use_models, encoder=encoder, providers=providers,
                        terms=terms, policy=policy, progress=progress, left_out=left_out)
    out = []
    all_found = [tuple(policy.apply(found)) for found in run_checks(ctx, checks, progress)]
    repeated = repeated_findings(all_found)
    neural = predict_pairs(qe, [p.src for p in ctx.pairs], [p.tgt for p in ctx.pairs]) if qe \
        else [None] * len(ctx.pairs)
    explain = "garble" not in set(disable) and (enable is None or "garble" in set(enable))
    for pair, found, qe_score in zip(ctx.pairs, all_found, neural):
        score = garble_score(pair, found, ctx)
        quality = estimate_quality(pair, found, ctx) if use_models else None
        judge = qe_score if qe_score is not None else quality
        why = garble_finding(pair, found, ctx, score) if explain else None  # after the scores it would bias
        found = (*found, why) if why else found
        out.append(Assessment(found, score, penalty(found),
                              priority(found, score, pair.tgt, repeated=repeated, in_references=ctx.in_references(pair),
                                       quality=judge),
                              quality, qe_score))
    return out


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
                               policy=policy)
        for (order, pair), a in zip(members, results):
            out[order] = {"id": pair.id, "score": a.score, "quality": a.quality, **({"qe": a.qe} if qe else {}),
                          "penalty": a.penalty,
                          "priority": a.priority,
                          "findings": [f.to_dict() for f in a.findings]}
    return [r for r in out if r is not None]
