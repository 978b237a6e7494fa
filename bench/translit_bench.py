"""Benchmark the shipped English->Hangul transliteration model.

    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/translit_bench.py [--heldout bench/data/translit_heldout.tsv]

Prints:
- top-1 / top-5 exact match on the held-out single words (an English word
  counts as right when a candidate equals any of its Korean references; the
  held-out words never occur in training, see training/translit/clean.py);
- the plausibility ranking test: for each held-out word, its reference against
  99 near misses one or two jamo away (vowel, initial and final consonant
  substitutions, a final added or dropped), right = ranked first; reported for
  random near misses and for a harder set built only from confusable vowels
  and consonants (ㅏ/ㅐ/ㅔ, ㅓ/ㅗ, ㅜ/ㅡ, ㄹ/ㄴ, ㅅ/ㅆ/ㅈ/ㅊ...);
- load time and milliseconds per name (wall and CPU);
- where the references fall on the plausibility scale (percentiles), against
  ``glossary.translit.PLAUSIBLE_MIN``, the threshold of the checks' veto.

bench/data/translit_heldout.tsv is the fixed held-out split written by
``python -m training.translit.clean`` from Wikidata labels (CC0, see data/names/SOURCE.txt in the
shared data folder).
"""
from __future__ import annotations

import argparse
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary.translit.text import FINALS, INITIALS, VOWELS, hangul_to_jamo, jamo_to_hangul  # noqa: E402

HELDOUT = Path(__file__).resolve().parent / "data" / "translit_heldout.tsv"
# Confusable groups as MT and careless spellers mix them up (conjoining jamo).
_CONFUSABLE = [
    "ᅡᅢᅣᅦᅤᅨ", "ᅥᅩᅧᅭ", "ᅮᅳᅲᅱᅴᅵ", "ᅪᅫᅬᅯᅰ",                    # vowels
    "ᄅᄂ", "ᄉᄊᄌᄎᄍ", "ᄀᄏᄁ", "ᄃᄐᄄ", "ᄇᄑᄈ", "ᄋᄒ",   # initials
    "ᆫᆯᆼᆷ", "ᆺᆨᆸᆮ",                                         # finals
]


def _syllables(word: str) -> list[list[str]]:
    """Hangul word -> list of [initial, vowel, final-or-''] jamo."""
    out = []
    for syl in word:
        j = hangul_to_jamo(syl)
        out.append([j[0], j[1], j[2] if len(j) > 2 else ""])
    return out


def _compose(sylls: list[list[str]]) -> str:
    return jamo_to_hangul("".join("".join(s) for s in sylls))


def one_jamo_edits(word: str, confusable_only: bool) -> set[str]:
    sylls = _syllables(word)
    out = set()
    groups = {ch: g for g in _CONFUSABLE for ch in g}
    for i, (ini, vow, fin) in enumerate(sylls):
        for slot, current, options in ((0, ini, INITIALS), (1, vow, VOWELS), (2, fin, FINALS + [""])):
            if confusable_only:
                options = [o for o in groups.get(current, "")] + ([""] if slot == 2 and current else [])
                if slot == 2 and not current:
                    options = list("ᆫᆯᆼ")   # an added final n/l/ng
            for o in options:
                if o != current:
                    new = [list(s) for s in sylls]
                    new[i][slot] = o
                    out.add(_compose(new))
    out.discard(word)
    return out


def near_misses(word: str, n: int, rng: random.Random, confusable_only: bool, exclude: set[str]) -> list[str]:
    ones = sorted(one_jamo_edits(word, confusable_only) - exclude)
    twos: set[str] = set()
    for _ in range(6 * n):
        if not ones:
            break
        twos |= one_jamo_edits(rng.choice(ones), confusable_only) if len(twos) < 4 * n else set()
    twos = sorted(twos - exclude - set(ones) - {word})
    pool = rng.sample(ones, min(len(ones), n // 2))
    pool += rng.sample(twos, min(len(twos), n - len(pool)))
    if len(pool) < n:
        rest = sorted(set(ones) - set(pool))
        pool += rng.sample(rest, min(len(rest), n - len(pool)))
    return pool[:n]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--heldout", default=str(HELDOUT))
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--limit", type=int, default=0, help="use only the first N held-out words")
    ap.add_argument("--rank-words", type=int, default=500, help="held-out words for the ranking test")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from glossary.translit import TransliterationModel
    model = TransliterationModel.load(args.model_dir)
    load_s = time.perf_counter() - t0

    refs: dict[str, set[str]] = defaultdict(set)
    with open(args.heldout, encoding="utf-8") as f:
        for line in f:
            en, ko = line.rstrip("\n").split("\t")
            refs[en].add(ko)
    words = sorted(refs)
    if args.limit:
        words = words[:args.limit]

    top1 = top5 = 0
    wall = cpu = 0.0
    misses = []
    for w in words:
        t, c = time.perf_counter(), time.process_time()
        cands = [ko for ko, _ in model.suggest(w, k=5)]
        wall += time.perf_counter() - t
        cpu += time.process_time() - c
        top1 += bool(cands) and cands[0] in refs[w]
        top5 += any(ko in refs[w] for ko in cands)
        if not cands or cands[0] not in refs[w]:
            misses.append((w, sorted(refs[w]), cands[:3]))
    n = len(words)
    print(f"held-out words: {n} (pairs file {args.heldout})")
    print(f"top-1 exact match: {top1 / n:.1%}   ({top1}/{n})")
    print(f"top-5 exact match: {top5 / n:.1%}   ({top5}/{n})")
    print(f"load time: {load_s * 1000:.0f} ms")
    print(f"suggest (k=5) per name: {wall / n * 1000:.1f} ms wall, {cpu / n * 1000:.1f} ms CPU")

    # Whole names: two held-out words as first and family name, searched together.
    pair_rng = random.Random(args.seed + 1)
    names = [f"{a.title()} {b.title()}" for a, b in zip(pair_rng.sample(words, min(200, n)),
                                                         pair_rng.sample(words, min(200, n)))]
    t, c = time.perf_counter(), time.process_time()
    for name in names:
        model.suggest(name, k=5)
    print(f"suggest (k=5) per two-word name: {(time.perf_counter() - t) / len(names) * 1000:.1f} ms wall, "
          f"{(time.process_time() - c) / len(names) * 1000:.1f} ms CPU")

    # where real spellings fall on the plausibility scale (glossary.translit.PLAUSIBLE_MIN sits near the 1st)
    import numpy as np
    from glossary.translit import PLAUSIBLE_MIN
    pairs = [(w, ko) for w in words for ko in sorted(refs[w])]
    ref_scores = np.array([lp / ln for lp, ln in model.word_logprobs([w for w, _ in pairs], [k for _, k in pairs])])
    pct = np.percentile(ref_scores, [1, 2, 5, 50])
    print(f"plausibility of the reference spellings (mean log-prob per jamo): 1st percentile {pct[0]:.2f}, "
          f"2nd {pct[1]:.2f}, 5th {pct[2]:.2f}, median {pct[3]:.2f}; below PLAUSIBLE_MIN ({PLAUSIBLE_MIN}): "
          f"{(ref_scores < PLAUSIBLE_MIN).mean():.1%}")

    rng = random.Random(args.seed)
    rank_words = rng.sample(words, min(args.rank_words, n))
    for confusable in (False, True):
        first = total = beaten_by_top1 = 0
        for w in rank_words:
            ref = sorted(refs[w])[0]
            others = near_misses(ref, 99, rng, confusable, exclude=refs[w])
            if len(others) < 99:
                continue
            scored = model.word_logprobs([w] * 100, [ref] + others)
            means = [lp / ln for lp, ln in scored]
            total += 1
            if means[0] > max(means[1:]):
                first += 1
            else:
                winner = others[max(range(99), key=lambda i: means[i + 1])]
                beaten_by_top1 += winner == model.suggest(w, k=1)[0][0]
        label = "confusable" if confusable else "random"
        print(f"plausibility ranking ({label} near misses, 1-2 jamo): right spelling first "
              f"{first / max(total, 1):.1%} ({first}/{total}); of the {total - first} misses, "
              f"{beaten_by_top1} lost to the model's own top-1 suggestion")
    print("sample top-1 misses (english, references, top-3):")
    for m in misses[:12]:
        print("  ", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
