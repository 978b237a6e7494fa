"""A learned quality estimate per pair: ``quality`` in [0, 1], higher = better translation.

``quality`` is the estimated probability that a careful reviewer finds no error worth a major point in
the pair.  It comes from an error-rate model: the expected MQM-like error weight of a pair is its
exposure (English words; Korean words where there is no English) times a rate that depends on
length-free evidence (how far the pair's cross-lingual cosine and length fall from the document's
typical pairs, how fluent Kiwi finds the Korean, how much of the English the Korean covers word by
word, and what the checks found).  Then ``quality = exp(-(expected + found) / MAJOR_WEIGHT)``, where
``found`` is the MQM weight of the checks' own findings: a long sentence at the same error rate is more
likely to hold an error than a short one, as reviewers find, and a pair the checks flag is less likely clean.

The weights are learned offline on synthetic errors made from clean human translations
(``training/qe``): words and clauses dropped, wrong-sense substitutions, negation flips, number and name
changes, additions, English runs, local reordering and detached output; never on MQM data.  They ship as
JSON (``review/data/quality_weights.json``); the model runs on plain Python and numpy.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Sequence

from review.checks.context import CheckPair, DocumentContext
from review.records import Finding
from review.scoring import FEATURES as GARBLE_FEATURES
from review.scoring import features as garble_features
from review.scoring import penalty

# The length-free evidence the rate model reads, in order: the garble model's inputs, then these.
EXTRA_FEATURES = ("cosine_low", "length_off", "lm_low", "gap_weight", "no_source")
QUALITY_FEATURES = tuple(GARBLE_FEATURES) + EXTRA_FEATURES
MAJOR_WEIGHT = 5.0          # MQM weight of one major error: quality is P(no major-error's worth of weight)
REFERENCE_WORDS = 20.0      # a typical sentence's English words: the length at which ``power`` changes nothing


def quality_features(pair: CheckPair, findings: Sequence[Finding], ctx: DocumentContext) -> list[float]:
    """The rate model's inputs for one pair, in :data:`QUALITY_FEATURES` order (all length-free)."""
    out = garble_features(pair, findings, ctx)
    sig = ctx.signal(pair)
    # absolute cosine as well as the document-relative one: a document of poor pairs drags its median down
    out.append(max(0.0, 0.6 - sig.cosine) if sig.cosine is not None else 0.0)
    if len(pair.src) >= 10 and pair.tgt:
        share = len(pair.tgt) / (ctx.english_length(pair) * ctx.length_ratio)
        out.append(min(3.0, abs(math.log(max(share, 0.05)))))
    else:
        out.append(0.0)
    if ctx.has_lm and sig.tokens:
        med, spread = ctx.robust_stats("lm_per_token")
        per_token = sig.lm_score / max(1, len(sig.tokens))
        out.append(max(0.0, min(8.0, (med - per_token) / spread)))
    else:
        out.append(0.0)
    out.append(math.log1p(sum(getattr(g, "weight", 1.0) for g in sig.gaps)))
    out.append(0.0 if pair.src.strip() else 1.0)
    return out


def exposure(pair: CheckPair) -> float:
    """How much text can hold errors: English words, or Korean eojeols where there is no English."""
    n = len(pair.src.split()) if pair.src.strip() else len(pair.tgt.split())
    return float(max(1, n))


@dataclass(frozen=True)
class QualityModel:
    """``rate = exp(bias + weights . (x - mean) / scale)`` per word; the expected weight of a pair of ``n`` words
    is ``rate * REFERENCE_WORDS * (n / REFERENCE_WORDS) ** power``.

    The rate is fitted with errors growing linearly with length (as the synthetic errors do).  The shipped
    ``power`` below 1 makes ``quality`` judge mostly per word, as reviewers and neural metrics do, while a
    long sentence is still less likely to be error-free; a pair of ``REFERENCE_WORDS`` words is judged the
    same whatever the power.
    """

    bias: float
    weights: tuple[float, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    power: float = 1.0
    provenance: str = ""

    def expected_weight(self, x: Sequence[float], n: float) -> float:
        z = self.bias + sum(w * (v - m) / s for w, v, m, s in zip(self.weights, x, self.mean, self.scale))
        return REFERENCE_WORDS * (n / REFERENCE_WORDS) ** self.power * math.exp(max(-30.0, min(30.0, z)))

    def quality(self, x: Sequence[float], n: float, found: float = 0.0) -> float:
        """P(no major error's worth of weight): the rate model's expected weight plus ``found``, the MQM
        weight the checks found in the pair (see :func:`estimate_quality`)."""
        return math.exp(-(self.expected_weight(x, n) + found) / MAJOR_WEIGHT)

    @classmethod
    def from_dict(cls, data: dict) -> "QualityModel":
        if list(data["features"]) != list(QUALITY_FEATURES):
            raise ValueError(f"quality weights are for features {data['features']}, expected {list(QUALITY_FEATURES)}")
        return cls(float(data["bias"]), tuple(map(float, data["weights"])), tuple(map(float, data["mean"])),
                   tuple(map(float, data["scale"])), float(data.get("power", 1.0)), str(data.get("provenance", "")))

    def to_dict(self) -> dict:
        return {"features": list(QUALITY_FEATURES), "bias": self.bias, "weights": list(self.weights),
                "mean": list(self.mean), "scale": list(self.scale), "power": self.power,
                "provenance": self.provenance}


@lru_cache(maxsize=1)
def default_quality_model() -> QualityModel:
    """The shipped model (``review/data/quality_weights.json``)."""
    text = (resources.files("review") / "data" / "quality_weights.json").read_text(encoding="utf-8")
    return QualityModel.from_dict(json.loads(text))


def estimate_quality(pair: CheckPair, findings: Sequence[Finding], ctx: DocumentContext,
                     model: QualityModel | None = None) -> float:
    """``quality`` in [0, 1] for one pair, higher = better (see the module docstring).

    The weight of the checks' own findings (their MQM penalty: a major finding is one major error) is added
    to what the rate model expects.  The model reads the findings among its features, but it learnt them on
    synthetic errors; real MT errors are found by the checks more often than the model credits.  Measured
    with ``bench/quality_bench.py``: on the synthetic damages of held-out NTREX documents AUROC 0.797 ->
    0.808, and on MQM dev (never fitted to) Spearman with the human total 0.431 -> 0.505 (0.512 with the
    weights refitted since on the current checks).
    """
    if not pair.tgt.strip():
        return 0.0 if pair.src.strip() else 1.0
    x = quality_features(pair, findings, ctx)
    return round((model or default_quality_model()).quality(x, exposure(pair), penalty(findings)), 4)
