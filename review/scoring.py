"""Scores for reviewed pairs: garble score, MQM penalty, review priority, document penalty.

* The **garble score** in [0, 1] is a small logistic model over a handful of
  signals (findings grouped by kind, Kiwi's word-order gain and final ending,
  cross-lingual cosine and length share, each judged against the document).
  Its weights are fitted offline by ``bench/fit_garble_weights.py`` on the
  synthetic garble benchmark built from NTREX-128 and shipped as JSON in
  ``review/data/garble_weights.json``.
* The **penalty** is MQM-style: minor 1, major 5, critical 25 per finding.
* The **priority** (higher = read first) is the expected error weight per
  character, so that a reviewer reading in priority order sees the most errors
  for the text read.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

from corpus.text import has_hangul_syllable
from review.checks import CHECKS
from review.checks.context import CheckPair, DocumentContext, gain_in_context
from review.checks.registry import GARBLE_GROUPS, is_informational
from review.records import Finding, Severity

# Which check feeds which garble feature, whether a check is informational (no penalty) and its
# priority share are part of each check's spec (review/checks/registry.py).
SIGNAL_FEATURES = ("no_final_ending", "salad_z", "cosine_z", "short_share")
FEATURES = tuple(f"w_{g}" for g in GARBLE_GROUPS) + SIGNAL_FEATURES

GARBLE_FLAG_THRESHOLD = 0.5
"""A pair whose garble score reaches this is worth fixing even when no check fired.

The garble score is calibrated so 0.5 is the even-odds point between clean and garbled; below it a
pair with no finding is not put on the worklist.  A pair put there by the score alone gets a
``garble`` finding naming the signals that drove the score (:func:`garble_finding`)."""
GARBLE_MAJOR_SCORE = 0.8  # a garble finding at or above this score is major, below it minor

# What each garble feature means, for the garble finding's message.
FEATURE_LABELS = {
    "w_untranslated": "untranslated text", "w_encoding": "encoding damage", "w_repetition": "repetition",
    "w_number": "numbers or citations", "w_structure": "structure (omission, fragments, brackets)",
    "w_fluency": "fluency", "w_drift": "meaning drift",
    "no_final_ending": "no final ending: the Korean stops mid-sentence",
    "salad_z": "word order unlikely for Korean (language model, against the document)",
    "cosine_z": "low cross-lingual similarity to the English (against the document)",
    "short_share": "shorter than the English warrants",
}

# Priority: how much a minor finding counts next to a major one, and what the garble score adds.
PRIORITY_MINOR_SHARE = 0.2
PRIORITY_SCORE_WEIGHT = 3.0
# The learned quality estimate's expected error weight counts this much next to the findings' weights (its
# evidence overlaps theirs; it adds what the checks cannot name: meaning errors over word-level evidence).
PRIORITY_QUALITY_SHARE = 0.5
QUALITY_MAJOR_WEIGHT = 5.0  # review.quality.MAJOR_WEIGHT: quality = exp(-expected weight / 5)
PRIORITY_LENGTH_FLOOR = 80  # characters: headings and fragments do not get runaway priority


def penalty(findings: Iterable[Finding]) -> float:
    """MQM penalty of a pair's findings: minor 1, major 5, critical 25 (informational ones 0)."""
    return float(sum(f.severity.weight for f in findings if not is_informational(f.check)))


def _garble_group(check_name: str) -> str | None:
    s = CHECKS.get(check_name)
    return s.garble_group if s is not None else None


# The end of an English sentence: a final stop (or a colon that introduces what follows), closing quotes and
# brackets after it.
_SENTENCE_END_RE = re.compile(r"[.!?…:;][\"'’”»)\]]*\s*$")


def english_ends_a_sentence(src: str) -> bool:
    """Whether the English ends like a sentence (or is absent, when nothing says otherwise).

    A Korean text without a final ending "stops mid-sentence" only where the English ends one: a headline,
    caption or label ("Europe leads 10-6 going into Ryder Cup final day") is rendered in Korean's nominal
    headline style ("유럽 10-6으로 앞서 라이더컵 결승전행"), as professional translators write them.
    """
    return not src.strip() or bool(_SENTENCE_END_RE.search(src))


def features(pair: CheckPair, findings: Sequence[Finding], ctx: DocumentContext) -> list[float]:
    """The garble model's inputs for one pair, in :data:`FEATURES` order."""
    out = []
    for group in GARBLE_GROUPS:
        w = sum(f.severity.weight for f in findings if _garble_group(f.check) == group)
        out.append(math.log1p(w))
    sig = ctx.signal(pair)
    has_korean = has_hangul_syllable(pair.tgt)
    out.append(1.0 if ctx.has_lm and has_korean and not sig.closed and english_ends_a_sentence(pair.src)
               else 0.0)
    n_words = len(pair.tgt.split())
    if ctx.has_lm and n_words >= 3:
        # judged per word in context and by the spread a sentence of this length has: short natural
        # sentences ("그녀는 텍사스에 구금되었습니다.") used to look like word salad
        med, spread = ctx.gain_in_context_stats()
        z = (med - gain_in_context(sig.salad_gain, n_words)) * math.sqrt(n_words - 1) / spread
        out.append(max(0.0, min(8.0, z)))
    else:
        out.append(0.0)
    if sig.cosine is not None:
        med, spread = ctx.robust_stats("cosine")
        out.append(max(-3.0, min(8.0, (med - sig.cosine) / spread)))
    else:
        out.append(0.0)
    if len(pair.src) >= 10 and pair.tgt:
        share = len(pair.tgt) / (ctx.english_length(pair) * ctx.length_ratio)
        out.append(max(-1.5, min(3.0, -math.log(max(share, 0.05)))))
    else:
        out.append(0.0)
    return out


@dataclass(frozen=True)
class GarbleModel:
    """A logistic model: ``sigmoid(bias + sum(weights * features))``."""

    bias: float
    weights: tuple[float, ...]

    def score(self, x: Sequence[float]) -> float:
        z = self.bias + sum(w * v for w, v in zip(self.weights, x))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def from_dict(cls, data: dict) -> "GarbleModel":
        if list(data["features"]) != list(FEATURES):
            raise ValueError(f"garble weights are for features {data['features']}, expected {list(FEATURES)}")
        return cls(float(data["bias"]), tuple(float(w) for w in data["weights"]))

    def to_dict(self) -> dict:
        return {"features": list(FEATURES), "bias": self.bias, "weights": list(self.weights)}


@lru_cache(maxsize=1)
def default_model() -> GarbleModel:
    """The shipped garble model (``review/data/garble_weights.json``)."""
    text = (resources.files("review") / "data" / "garble_weights.json").read_text(encoding="utf-8")
    return GarbleModel.from_dict(json.loads(text))


def garble_score(pair: CheckPair, findings: Sequence[Finding], ctx: DocumentContext,
                 model: GarbleModel | None = None) -> float:
    """Probability-like score in [0, 1] that the pair is garbled (higher = worse)."""
    return round((model or default_model()).score(features(pair, findings, ctx)), 4)


def garble_finding(pair: CheckPair, findings: Sequence[Finding], ctx: DocumentContext, score: float,
                   model: GarbleModel | None = None) -> Finding | None:
    """A ``garble`` finding for a pair the garble score alone puts on the worklist, else None.

    Its message names the features that pushed the score up most (weight x value), so that a
    reviewer can see why the pair is there and confirm or dismiss it like any other finding.
    """
    from corpus.records import Span
    from review.records import Category

    if score < GARBLE_FLAG_THRESHOLD or any(not is_informational(f.check) for f in findings):
        return None
    model = model or default_model()
    values = features(pair, findings, ctx)
    drivers = sorted(((w * v, name) for name, w, v in zip(FEATURES, model.weights, values) if w * v > 0),
                     reverse=True)[:3]
    why = "; ".join(f"{FEATURE_LABELS.get(name, name)} (+{c:.2f})" for c, name in drivers) or "the model's bias"
    severity = Severity.MAJOR if score >= GARBLE_MAJOR_SCORE else Severity.MINOR
    spans = (Span.of(pair.tgt, 0, len(pair.tgt)),) if pair.tgt else ()
    return Finding("garble", Category.GARBLED, severity, f"garble score {score:.2f} with no other finding: {why}",
                   spans, ())


# A finding whose flagged text recurs across this many pairs is one systematic issue (a name left in Latin
# everywhere): after the first, its repeats count this much towards priority.
PRIORITY_REPEAT_PAIRS = 3
PRIORITY_REPEAT_SHARE = 0.3
# Reference lists and footnotes keep their original language; they are read last.
PRIORITY_REFERENCE_SHARE = 0.1


def priority(findings: Sequence[Finding], score: float, tgt: str, *, repeated: frozenset[tuple[str, str]] = frozenset(),
             in_references: bool = False, quality: float | None = None) -> float:
    """Review priority, higher = read first: expected error weight per 100 characters of Korean.

    ``repeated`` holds (check, flagged text) pairs that recur across the document; they count less.
    A check's spec may give it a smaller share of priority (names left in Latin are many and plain
    to see); a critical finding always counts in full.
    """
    weight = 0.0
    for f in findings:
        if is_informational(f.check):
            continue
        w = f.severity.weight * (PRIORITY_MINOR_SHARE if f.severity is Severity.MINOR else 1.0)
        spec = CHECKS.get(f.check)
        w *= spec.priority_share if spec is not None and f.severity is not Severity.CRITICAL else 1.0
        if f.tgt_spans and (f.check, f.tgt_spans[0].text) in repeated:
            w *= PRIORITY_REPEAT_SHARE
        weight += w
    weight += PRIORITY_SCORE_WEIGHT * score
    if quality is not None:
        # the quality estimate's expected error weight (MQM points) where the checks saw nothing definite
        weight += PRIORITY_QUALITY_SHARE * -QUALITY_MAJOR_WEIGHT * math.log(max(quality, 1e-6))
    value = 100.0 * weight / max(len(tgt), PRIORITY_LENGTH_FLOOR)
    return round(value * (PRIORITY_REFERENCE_SHARE if in_references else 1.0), 4)


def repeated_findings(all_findings: Sequence[Sequence[Finding]]) -> frozenset[tuple[str, str]]:
    """(check, flagged text) pairs found in at least PRIORITY_REPEAT_PAIRS pairs of a document."""
    from collections import Counter
    counts: Counter = Counter()
    for found in all_findings:
        counts.update({(f.check, f.tgt_spans[0].text) for f in found if f.tgt_spans})
    return frozenset(k for k, n in counts.items() if n >= PRIORITY_REPEAT_PAIRS)


def document_penalty(pairs: Iterable[tuple[str, str, float]]) -> dict[str, float]:
    """Per-document totals from ``(src, tgt, penalty)`` triples: penalty per 100 source (and target) words."""
    total, src_words, tgt_words = 0.0, 0, 0
    for src, tgt, pen in pairs:
        total += pen
        src_words += len(src.split())
        tgt_words += len(tgt.split())
    return {"penalty": total, "source_words": src_words, "target_words": tgt_words,
            "penalty_per_100_source_words": round(100 * total / src_words, 2) if src_words else None,
            "penalty_per_100_target_words": round(100 * total / tgt_words, 2) if tgt_words else None}
