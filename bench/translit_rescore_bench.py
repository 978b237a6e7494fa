"""Plausibility variants on the dev split: does any rescoring rank the right Hangul first more often?

    PYTHONPATH=. python -m training.translit.clean SHARED/data/names/wd_korean.tsv --out build/translit
    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/translit_rescore_bench.py build/translit/dev.tsv [--model-dir DIR]

Same test as bench/translit_bench.py (each word's reference against 99 near
misses one or two jamo away, random and confusable edits; right = ranked
first) on the dev split, for: the mean log-probability per symbol (what
``TransliterationModel.score`` returns), the sum, the mean renormalised over
the symbols the syllable grammar allows, and the sum combined with the learned
character-cost table of glossary/translit_score.py (log-probability minus
beta times the table's alignment cost).  Choose on dev, never on the held-out file.

Tried and not shipped (noisy-channel scoring): a reverse model, Hangul jamo ->
English letters, same shape, vocabulary and trainer (source and target
swapped; 10 epochs, lr 1e-3, 17 min on 2 cores, dev loss 0.652), scoring
mean log P(hangul|english) + w x mean log P(english|hangul).  Dev (this
test, 764 / 741 words): w = 0.5 was best, random 85.5% -> 86.5%, confusable
79.6% -> 80.8%.  Held-out (bench/translit_bench.py, once): random 88.2% ->
88.2%, confusable 81.3% -> 81.9%, so no clear gain for a second 4.8 MB model.
(8 more epochs at lr 4e-4 moved dev loss only to 0.647.)  These figures are for the first shipped model and
the first cleaning; an ensemble of four forward models trained on the second cleaning did no better on dev
(random 86.6-87.4% alone and in any combination).
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.translit_bench import near_misses  # noqa: E402
from glossary.translit import TransliterationModel  # noqa: E402
from glossary.translit_score import default_scorer, english_letters, hangul_jamo  # noqa: E402


def features(model, table, word: str, cands: list[str]) -> np.ndarray:
    """Per candidate: sum log-prob, grammar-renormalised sum, symbols, table alignment cost."""
    logp, targets = model.forced_logprobs([word] * len(cands), cands)
    rows = []
    for i, t in enumerate(targets):
        lp = logp[i, np.arange(len(t)), t]
        state, masked = 0, 0.0
        for p, tok in enumerate(t):
            row = logp[i, p] + model._allowed[state]
            top = row.max()
            masked += lp[p] - (top + np.log(np.exp(row - top).sum()))
            if tok != model.eos:
                state = model._next_state[model._kind[tok]]
        cost, _ = table.table.align(english_letters(word), hangul_jamo(cands[i]))
        rows.append((lp.sum(), masked, len(t), cost))
    return np.array(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", help="dev.tsv from training.translit.clean")
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args(argv)
    model, table = TransliterationModel.load(args.model_dir), default_scorer()
    refs: dict[str, set[str]] = defaultdict(set)
    with open(args.pairs, encoding="utf-8") as f:
        for line in f:
            en, ko = line.rstrip("\n").split("\t")
            refs[en].add(ko)
    words = sorted(refs)[: args.limit or None]
    rng = random.Random(7)
    for confusable in (False, True):
        feats = []
        for w in words:
            ref = sorted(refs[w])[0]
            others = near_misses(ref, 99, rng, confusable, exclude=refs[w])
            if len(others) == 99:
                feats.append(features(model, table, w, [ref] + others))
        x = np.array(feats)
        variants = {"mean (score)": x[..., 0] / x[..., 2], "sum": x[..., 0], "grammar-renormalised mean": x[..., 1] / x[..., 2]}
        for beta in (0.1, 0.25, 0.5):
            variants[f"sum - {beta} x table cost"] = x[..., 0] - beta * x[..., 3]
            variants[f"mean - {beta} x table cost per unit"] = (x[..., 0] / x[..., 2]
                                                               - beta * x[..., 3] / x[..., 2])
        print(f"{'confusable' if confusable else 'random'} near misses, {len(x)} words:")
        for name, s in variants.items():
            print(f"  {name:38s} right first {(s[:, 0] > s[:, 1:].max(1)).mean():.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
