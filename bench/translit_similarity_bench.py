"""Top-1 accuracy of the transliteration similarity at picking the right Hangul name.

For each held-out English name (rows of wd_korean.tsv that training/translit/learn_translit.py
never trained on), score its true Hangul label against 100 Hangul labels of other
random held-out names; a hit is when the true one scores highest (ties count as misses).

    PYTHONPATH=. python bench/translit_similarity_bench.py [SHARED/data/names/wd_korean.tsv] [--n 1000]

(the default is wd_korean.tsv in the shared data folder: --shared, $MTREVIEW_SHARED or ../shared)
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import shared_dir  # noqa: E402
from glossary.translit_score import LearnedTranslitScorer, default_scorer  # noqa: E402
from training.translit.learn_translit import read_pairs  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv", nargs="?", help="wd_korean.tsv (default: in the shared data folder)")
    ap.add_argument("--shared", help="the shared data folder (default: $MTREVIEW_SHARED or ../shared)")
    ap.add_argument("--n", type=int, default=1000, help="held-out names to test")
    ap.add_argument("--distractors", type=int, default=100)
    ap.add_argument("--table", help="cost table JSON (default: the shipped one)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--untrained", action="store_true",
                    help="score with the hand-written seed romanisation table instead (baseline)")
    args = ap.parse_args(argv)
    if args.tsv is None:
        args.tsv = str(shared_dir(args.shared) / "data" / "names" / "wd_korean.tsv")
    if not Path(args.tsv).exists():
        print(f"{args.tsv}: not found", file=sys.stderr)
        return 1
    if args.untrained:
        from training.translit.learn_translit import seed_table
        scorer = LearnedTranslitScorer(seed_table())
    else:
        scorer = LearnedTranslitScorer.load(args.table) if args.table else default_scorer()
    rows = read_pairs(args.tsv, held_out=True)
    # one label per English name, so a "distractor" is never a second right answer
    seen, held = set(), []
    for en, ko in rows:
        if en not in seen:
            seen.add(en)
            held.append((en, ko))
    rng = random.Random(args.seed)
    tests = rng.sample(held, min(args.n, len(held)))
    t0 = time.time()
    hits = 0
    for en, ko in tests:
        others = []
        while len(others) < args.distractors:
            oen, oko = rng.choice(held)
            if oen != en and oko != ko:
                others.append(oko)
        right = scorer.score(en, ko)
        if all(scorer.score(en, o) < right for o in others):
            hits += 1
    n = len(tests)
    print(f"held-out rows: {len(rows)}  tested names: {n}  distractors each: {args.distractors}")
    print(f"top-1 accuracy: {hits / n:.3f} ({hits}/{n})  [{time.time() - t0:.0f} s]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
