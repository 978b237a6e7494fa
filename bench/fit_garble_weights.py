#!/usr/bin/env python3
"""Fit the garble score's logistic weights on the NTREX-128 garble benchmark (seed 13) and save them.

    PYTHONPATH=. python bench/fit_garble_weights.py [--shared ../shared] [--seed 13] [--check-seed 7]

Writes review/data/garble_weights.json and prints the AUROC of the fitted model
on the fitting seed and on a second seed (a different damage draw).
"""
from __future__ import annotations

import argparse
import json

import numpy as np

from common import ROOT, auroc, fit_logistic, garble_bench, shared_dir


def feature_matrix(records):
    from review.checks import CheckPair, build_context, run_checks
    from review.scoring import features
    pairs = [CheckPair(r["id"], r["src"], r["tgt"]) for r in records]
    ctx = build_context(pairs)
    found = run_checks(ctx)
    return np.array([features(p, f, ctx) for p, f in zip(ctx.pairs, found)])


def report(name, records, scores):
    by = {}
    for r, s in zip(records, scores):
        by.setdefault(r["type"], []).append(s)
    clean = by.pop("clean")
    parts = [f"{t} {auroc(v, clean):.3f}" for t, v in sorted(by.items())]
    overall = auroc([s for v in by.values() for s in v], clean)
    print(f"{name}: overall {overall:.4f} | " + ", ".join(parts))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--check-seed", type=int, default=7)
    ap.add_argument("--l2", type=float, default=0.3)
    a = ap.parse_args()
    from review.scoring import FEATURES, GarbleModel
    shared = shared_dir(a.shared)
    train = garble_bench(shared, a.seed)
    x = feature_matrix(train)
    y = np.array([r["label"] for r in train], dtype=float)
    w = fit_logistic(x, y, a.l2)
    model = GarbleModel(round(float(w[0]), 4), tuple(round(float(v), 4) for v in w[1:]))
    for name, value in zip(FEATURES, model.weights):
        print(f"  {name:16s} {value:7.3f}")
    print(f"  {'bias':16s} {model.bias:7.3f}")
    report(f"seed {a.seed} (fit)", train, [model.score(v) for v in x])
    check = garble_bench(shared, a.check_seed)
    xc = feature_matrix(check)
    report(f"seed {a.check_seed} (check)", check, [model.score(v) for v in xc])
    path = ROOT / "review" / "data" / "garble_weights.json"
    data = model.to_dict()
    data["fitted_on"] = f"make_garble_bench.py on NTREX-128, seed {a.seed}, L2 {a.l2}"
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
