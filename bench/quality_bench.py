#!/usr/bin/env python3
"""Benchmark the learned quality estimate (``review.quality``) and the penalty against human judgements.

    PYTHONPATH=. python bench/quality_bench.py [--shared ../shared] [--weights FILE] [--seed 7]

1. MQM dev (research use only; read in place, never copied, never trained on): Spearman of -quality and of
   the penalty with the human MQM total; the same per word (error density); AUROC of -quality for
   segments with a major accuracy error.  The quality model is fitted on synthetic errors only, so these
   figures are held-out figures; the one exposure exponent chosen on dev is also reported by 5-fold
   cross-validation (chosen on four folds, measured on the fifth).
2. MQM dev segments joined four by four (consecutive, same corpus) into paragraphs, one record each, as
   ``mtreview score`` sees a file of paragraphs: Spearman of -quality with the paragraphs' mean human total,
   the paragraph judged whole against judged from its aligned sentences (``review.assess.sentence_qualities``,
   what ``score`` does).
3. NTREX-128 held-out documents (never used to fit): the same synthetic damages as training, with another
   seed: AUROC of -quality for damaged against clean pairs, overall and per damage kind, and the share of
   clean pairs whose quality falls below 0.5.
"""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
import re
import sys
import time
from pathlib import Path

from common import ROOT, auroc, mqm_rows, shared_dir, spearman

sys.path.insert(0, str(ROOT))


def assess(pairs, model=None):
    from review.checks import build_context, run_checks, select_checks
    from review.quality import default_quality_model, exposure, quality_features
    from review.scoring import penalty
    model = model or default_quality_model()
    ctx = build_context(pairs)
    found = run_checks(ctx, select_checks())
    x = [quality_features(p, f, ctx) for p, f in zip(ctx.pairs, found)]
    n = [exposure(p) for p in ctx.pairs]
    return x, n, [penalty(f) for f in found]


def mqm(shared, model):
    from review.checks import CheckPair
    rows = mqm_rows(shared)
    pairs = [CheckPair(str(i), r["en_source"].strip(), r["ko_target"].strip()) for i, r in enumerate(rows)]
    start = time.perf_counter()
    x, n, pen = assess(pairs, model)
    seconds = time.perf_counter() - start
    totals = [float(r["total"] or 0) for r in rows]
    words = [max(3, len(p.src.split())) for p in pairs]
    quality = [model.quality(xi, ni, pi) for xi, ni, pi in zip(x, n, pen)]   # as review.quality.estimate_quality
    rate = [model.expected_weight(xi, 1.0) for xi in x]
    major_acc = [bool(re.search(r"Accuracy:[^\n]*/major\)", r["annotation"])) for r in rows]
    print(f"MQM dev: {len(rows)} segments ({seconds:.1f} s)")
    print(f"  Spearman -quality vs human total:      {spearman([-q for q in quality], totals):.4f}"
          f" (the rate model alone, without the findings' weight: "
          f"{spearman([-model.quality(xi, ni) for xi, ni in zip(x, n)], totals):.4f})")
    print(f"  Spearman penalty vs human total:       {spearman(pen, totals):.4f}")
    print(f"  Spearman error rate vs total per word: {spearman(rate, [t / w for t, w in zip(totals, words)]):.4f}")
    print(f"  Spearman English length vs total (what length alone gives): {spearman(words, totals):.4f}")
    pos = [-q for q, m in zip(quality, major_acc) if m]
    neg = [-q for q, m in zip(quality, major_acc) if not m]
    print(f"  AUROC -quality, major accuracy error (n={len(pos)}): {auroc(pos, neg):.4f}")
    # the exposure exponent by 5-fold cross-validation on dev: choose on 4 folds, measure on the 5th
    powers = (0.5, 0.75, 1.0, 1.25)
    # what -log(quality) ranks by, with each exponent: the expected weight plus the findings' weight
    expected = {pw: [replace(model, power=pw).expected_weight(xi, ni) + pi for xi, ni, pi in zip(x, n, pen)]
                for pw in powers}
    folds = [list(range(k, len(rows), 5)) for k in range(5)]
    held = [0.0] * len(rows)
    for k, test in enumerate(folds):
        train = [i for j, f in enumerate(folds) if j != k for i in f]
        best = max(powers, key=lambda pw: spearman([expected[pw][i] for i in train], [totals[i] for i in train]))
        for i in test:
            held[i] = expected[best][i]
    print(f"  Spearman with the exposure exponent chosen by 5-fold CV (held-out folds): {spearman(held, totals):.4f}"
          f" (shipped exponent {model.power})")


def ntrex_heldout(shared, model, seed):
    from review.checks import CheckPair
    from review.checks.context import load_kiwi
    from training.qe.fit import ntrex_pairs
    from training.qe.synth import Damager
    base = ntrex_pairs(shared, "heldout")
    damager = Damager(load_kiwi(), [k for _, _, k in base], seed=seed)
    damaged = [damager.damage(e, k) for _, e, k in base]
    pairs = [CheckPair(str(i), d.src, d.tgt) for i, d in enumerate(damaged)]
    x, n, pen = assess(pairs, model)
    quality = [model.quality(xi, ni, pi) for xi, ni, pi in zip(x, n, pen)]
    clean = [-q for q, d in zip(quality, damaged) if d.weight == 0]
    bad = [-q for q, d in zip(quality, damaged) if d.weight > 0]
    print(f"NTREX-128 held-out documents, synthetic damages (seed {seed}): {len(clean)} clean, {len(bad)} damaged")
    print(f"  AUROC -quality damaged vs clean: {auroc(bad, clean):.4f}")
    kinds = sorted({d.kinds[0] for d in damaged if len(d.kinds) == 1})
    for kind in kinds:
        only = [-q for q, d in zip(quality, damaged) if d.kinds == (kind,)]
        print(f"    {kind:16s} n={len(only):4d} AUROC {auroc(only, clean):.4f}")
    print(f"  Spearman -quality vs damage weight: {spearman([-q for q in quality], [d.weight for d in damaged]):.4f}")
    low = sum(q > -0.5 for q in clean)
    print(f"  clean pairs with quality < 0.5: {low / max(1, len(clean)):.1%}")


def paragraphs(shared):
    """Section 2 of the module docstring."""
    from review.assess import assess_pairs
    from review.checks import CheckPair
    rows = mqm_rows(shared)
    blocks, current = [], []
    for i, r in enumerate(rows):
        if current and (r["corpus"] != rows[current[0]]["corpus"] or len(current) == 4):
            blocks.append(current)
            current = []
        current.append(i)
    blocks.append(current)
    pairs = [CheckPair(str(k), " ".join(rows[i]["en_source"].strip() for i in b),
                       " ".join(rows[i]["ko_target"].strip() for i in b)) for k, b in enumerate(blocks)]
    human = [sum(float(rows[i]["total"] or 0) for i in b) / len(b) for b in blocks]
    start = time.perf_counter()
    whole = [a.quality for a in assess_pairs(pairs)]
    middle = time.perf_counter()
    by_sentences = [a.quality for a in assess_pairs(pairs, by_sentences=True)]
    end = time.perf_counter()
    print(f"MQM dev as {len(pairs)} paragraphs of up to 4 segments: Spearman(-quality, mean human total) "
          f"judged whole {spearman([-q for q in whole], human):.4f} ({middle - start:.1f} s), "
          f"from the sentences {spearman([-q for q in by_sentences], human):.4f} ({end - middle:.1f} s)")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--weights", help="a quality_weights.json other than the shipped one")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--no-ntrex", action="store_true")
    a = ap.parse_args()
    from review.quality import QualityModel, default_quality_model
    model = QualityModel.from_dict(json.loads(Path(a.weights).read_text())) if a.weights else default_quality_model()
    shared = shared_dir(a.shared)
    mqm(shared, model)
    if a.weights is None:   # (the paragraph figures use the shipped model, through the review's own code)
        paragraphs(shared)
    if not a.no_ntrex:
        ntrex_heldout(shared, model, a.seed)


if __name__ == "__main__":
    main()
