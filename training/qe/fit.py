#!/usr/bin/env python3
"""Fit the quality estimate's error-rate model on synthetic errors; write review/data/quality_weights.json.

    PYTHONPATH=. python training/qe/fit.py [--shared ../shared] [--extra build/parallel/train.tsv ...]
                                           [--out review/data/quality_weights.json]

Clean pairs: the NTREX-128 documents of the training split (a hash of the document id; the other
documents stay held out for the benches) and any extra ``English<TAB>Korean`` files given (e.g. the
parallel corpus of ``training/lexicon``).  Each pair is damaged at random by ``training.qe.synth`` (a third
stay clean); pairs are grouped into documents of ``DOC_SIZE`` so that the document-relative signals are
what they are at review time.  Features come from the review's own checks and signals
(``review.quality.quality_features``).  The model is a Poisson regression of the damage weight on the
features with the pair's exposure as offset, fitted by Newton's method with an L2 penalty.

At use time (``review.quality.estimate_quality``) the MQM weight of the pair's own findings is added to the
expected weight this model gives; a refit that modelled that sum directly (the findings' weight as a second
offset) is the natural next step.

MQM data is never used here.
"""
from __future__ import annotations

import argparse
import zlib
import json
import os
import random
import sys
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DOC_SIZE = 60
L2 = 1.0


def ntrex_split(doc_id: str) -> str:
    """'train' or 'heldout' for an NTREX document, stable across runs and machines.

    The same rule as the lexicon's corpus recipe (training/lexicon): a document whose CRC-32 is even is
    held out, so that no held-out document has taught the lexicon or the quality model anything.
    """
    return "heldout" if zlib.crc32(doc_id.encode("utf-8")) % 2 == 0 else "train"


def ntrex_pairs(shared: Path, split: str) -> list[tuple[str, str, str]]:
    """(doc id, English, Korean) of the NTREX-128 sentences whose document is in ``split``."""
    nt = shared / "data" / "ntrex128"
    en = (nt / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ko = (nt / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    docs = (nt / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    return [(d, e.strip(), k.strip()) for d, e, k in zip(docs, en, ko) if ntrex_split(d) == split and e.strip() and k.strip()]


def tsv_pairs(path: Path, limit: int | None = None) -> list[tuple[str, str, str]]:
    """(document, English, Korean) rows: ``English<TAB>Korean`` or the lexicon corpus's
    ``source<TAB>document<TAB>English<TAB>Korean``."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            doc = parts[1] if len(parts) >= 4 else path.stem
            if len(parts) >= 4 and parts[0] == "ntrex128":
                continue  # NTREX comes from the shared folder, with its own split
            if len(parts) >= 2 and parts[-2].strip() and parts[-1].strip():
                out.append((doc, parts[-2].strip(), parts[-1].strip()))
    if limit and len(out) > limit:
        out = random.Random(7).sample(out, limit)
    return out


def featurise(damages) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Feature matrix, labels (damage weight) and exposures of the damaged pairs, document by document."""
    from review.checks import CheckPair, build_context, run_checks, select_checks
    from review.quality import exposure, quality_features

    checks = select_checks()
    xs, ys, ns = [], [], []
    for b in range(0, len(damages), DOC_SIZE):
        chunk = damages[b:b + DOC_SIZE]
        cps = [CheckPair(str(i), d.src, d.tgt) for i, d in enumerate(chunk)]
        ctx = build_context(cps)
        found = run_checks(ctx, checks)
        for pair, f, d in zip(ctx.pairs, found, chunk):
            xs.append(quality_features(pair, f, ctx))
            ys.append(d.weight)
            ns.append(exposure(pair))
        print(f"  featurised {min(b + DOC_SIZE, len(damages))}/{len(damages)}", file=sys.stderr, flush=True)
    return np.array(xs, float), np.array(ys, float), np.array(ns, float)


def fit_poisson(x: np.ndarray, y: np.ndarray, log_exposure: np.ndarray, l2: float = L2, iters: int = 40):
    """Poisson regression with offset by Newton's method; returns (bias, weights) on standardised x."""
    n, d = x.shape
    xb = np.hstack([np.ones((n, 1)), x])
    beta = np.zeros(d + 1)
    beta[0] = np.log(max(y.sum(), 1e-6) / np.exp(log_exposure).sum())
    reg = np.full(d + 1, l2)
    reg[0] = 0.0
    for _ in range(iters):
        eta = np.clip(xb @ beta + log_exposure, -30, 30)
        mu = np.exp(eta)
        grad = xb.T @ (y - mu) - reg * beta
        hess = (xb * mu[:, None]).T @ xb + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        beta += step
        if np.abs(step).max() < 1e-6:
            break
    return float(beta[0]), beta[1:]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", default=None)
    ap.add_argument("--extra", nargs="*", default=[], help="extra English<TAB>Korean training files")
    ap.add_argument("--extra-limit", type=int, default=6000, help="pairs drawn from each extra file")
    ap.add_argument("--copies", type=int, default=3, help="damaged copies of each NTREX pair")
    ap.add_argument("--power", type=float, default=0.5,
                    help="the shipped exposure exponent (the rate is always fitted with errors linear in length)")
    ap.add_argument("--out", default=str(ROOT / "review" / "data" / "quality_weights.json"))
    ap.add_argument("--cache", default=str(ROOT / "build" / "qe" / "features.npz"))
    ap.add_argument("--seed", type=int, default=13)
    a = ap.parse_args()

    sys.path.insert(0, str(ROOT / "bench"))
    from common import shared_dir
    from review.checks.context import load_kiwi
    from review.quality import QUALITY_FEATURES, QualityModel
    from training.qe.synth import Damager

    shared = shared_dir(a.shared)
    base = ntrex_pairs(shared, "train") * a.copies
    for path in a.extra:
        base += tsv_pairs(Path(path), a.extra_limit)
    rng = random.Random(a.seed)
    rng.shuffle(base)
    damager = Damager(load_kiwi(), [k for _, _, k in base], seed=a.seed)
    damages = [damager.damage(e, k) for _, e, k in base]
    print(f"{len(damages)} training pairs, {sum(d.weight == 0 for d in damages)} clean", file=sys.stderr)
    x, y, n = featurise(damages)
    Path(a.cache).parent.mkdir(parents=True, exist_ok=True)
    np.savez(a.cache, x=x, y=y, n=n)
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-6] = 1.0
    bias, w = fit_poisson((x - mean) / scale, y, np.log(n))
    model = QualityModel(bias, tuple(w.round(5)), tuple(mean.round(5)), tuple(scale.round(5)), a.power,
                         provenance=f"training/qe/fit.py: {len(damages)} synthetic pairs from NTREX-128 train documents"
                                    + (f" and {', '.join(Path(p).name for p in a.extra)}" if a.extra else "")
                                    + f", seed {a.seed}")
    Path(a.out).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    for name, weight in zip(QUALITY_FEATURES, w):
        print(f"  {name:18s} {weight:+.3f}")
    print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
