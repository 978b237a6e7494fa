"""Helpers the benchmark scripts share: where the shared data lies, the garble bench, AUROC, Spearman."""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

# One BLAS thread: numpy's OpenBLAS threads busy-wait and slow the sentence encoder down (see review/cli).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shared_dir(given: str | None = None) -> Path:
    """The shared data folder: --shared, $MTREVIEW_SHARED, ../shared beside the project, or /work/shared."""
    for cand in (given, os.environ.get("MTREVIEW_SHARED"), ROOT.parent / "shared", "/work/shared"):
        if cand and (Path(cand) / "bench" / "make_garble_bench.py").exists():
            return Path(cand)
    sys.exit("shared data not found: pass --shared PATH or set MTREVIEW_SHARED")


def garble_bench(shared: Path, seed: int) -> list[dict]:
    """Records of the garbled-segment benchmark built from NTREX-128 with ``seed``."""
    nt = shared / "data" / "ntrex128"
    out = subprocess.run([sys.executable, str(shared / "bench" / "make_garble_bench.py"),
                          "--en", str(nt / "newstest2019-src.eng.txt"), "--ko", str(nt / "newstest2019-ref.kor.txt"),
                          "--seed", str(seed)], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def mqm_rows(shared: Path) -> list[dict]:
    """The MQM dev rows (research use only: evaluation, never copied into the project)."""
    csv.field_size_limit(10 ** 9)
    with open(shared / "data" / "mqm-dev" / "en-ko-mqm.dev.tsv", encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def average_ranks(values):
    """1-based ranks of ``values``, ties sharing their average rank."""
    import numpy as np
    values = np.asarray(values, dtype=float)
    order = values.argsort(kind="mergesort")
    ranks = np.empty(len(values))
    sorted_vals = values[order]
    i = 0
    while i < len(values):
        j = i
        while j < len(values) and sorted_vals[j] == sorted_vals[i]:
            j += 1
        ranks[order[i:j]] = (i + j + 1) / 2
        i = j
    return ranks


def auroc(pos: list[float], neg: list[float]) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    import numpy as np
    if not pos or not neg:
        return float("nan")
    ranks = average_ranks(np.concatenate([pos, neg]))
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def spearman(x: list[float], y: list[float]) -> float:
    import numpy as np
    return float(np.corrcoef(average_ranks(x), average_ranks(y))[0, 1])


def fit_logistic(x, y, l2=0.3, iters=50, nonnegative=True):
    """Logistic regression by Newton's method with an L2 penalty (not on the intercept); returns
    [intercept, weights...].  ``nonnegative`` keeps the weights >= 0 (features that all mean 'worse')."""
    import numpy as np
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = np.full(xb.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-xb @ w))
        grad = xb.T @ (p - y) + reg * w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(reg + 1e-6)
        w -= np.linalg.solve(hess, grad)
        if nonnegative:
            w[1:] = np.maximum(w[1:], 0.0)
    return w
