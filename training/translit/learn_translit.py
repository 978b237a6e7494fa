"""Learn glossary/data/translit_costs.json from wd_korean.tsv by hard EM.

    PYTHONPATH=. python -m training.translit.learn_translit SHARED/data/names/wd_korean.tsv

Rows whose English name hashes into the held-out part (see ``is_held_out``) are
never read here; ``bench/translit_similarity_bench.py`` tests on exactly those.
Start: a seed romanisation (costs 1 for a listed spelling, 9 otherwise); each
round aligns every training token pair by the cheapest path, counts the
operations and sets cost = -log P(letters | jamo), P(unspoken letter).
"""
from __future__ import annotations

import argparse
import hashlib
import json
import math
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

from corpus.atomic import atomic_write
from glossary.translit_score import CostTable, english_letters, hangul_jamo

SEED = {
    "ㄱ": "g k c q gh ck", "ㄲ": "kk k g", "ㄴ": "n nn kn", "ㄷ": "d t dd", "ㄸ": "tt t", "ㄹ": "r l ll rr",
    "ㅁ": "m mm", "ㅂ": "b v p bb", "ㅃ": "pp p", "ㅅ": "s c ss z th", "ㅆ": "ss s", "ŋ": "ng n",
    "ㅈ": "j g z dj dg ts", "ㅉ": "zz tz ts", "ㅊ": "ch c ts tz cz z tch", "ㅋ": "k c ch q ck kh",
    "ㅌ": "t th tt", "ㅍ": "p f ph ff v", "ㅎ": "h wh kh",
    "ㅏ": "a o u", "ㅐ": "a ae ai", "ㅑ": "ya ia ja", "ㅒ": "ya", "ㅓ": "e o u er ea", "ㅔ": "e a ai ay",
    "ㅕ": "ye ie e", "ㅖ": "ye e", "ㅗ": "o au aw", "ㅘ": "wa oa ua", "ㅙ": "wa", "ㅚ": "oe wo",
    "ㅛ": "yo io", "ㅜ": "u oo ou w", "ㅝ": "wo uo wa", "ㅞ": "we ue", "ㅟ": "wi ui we", "ㅠ": "yu u iu eu",
    "ㅡ": " e u", "ㅢ": "ui", "ㅣ": "i e y ee ie ea",
}
HELD_OUT_PERCENT = 10


def is_held_out(english: str) -> bool:
    """The stable 10% of English names kept out of training for the benchmark."""
    return int(hashlib.md5(english.encode("utf-8")).hexdigest(), 16) % 100 < HELD_OUT_PERCENT


def read_pairs(path: str | Path, held_out: bool) -> list[tuple[str, str]]:
    """(english, hangul) rows of ``path`` that are in (or out of) the held-out part."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            en, ko = parts
            if is_held_out(en) == held_out:
                rows.append((en, ko))
    return rows


def token_pairs(rows: list[tuple[str, str]]) -> list[tuple[str, tuple[str, ...]]]:
    """Token-by-token pairs from rows with equal token counts and all-Hangul Korean."""
    out = []
    for en, ko in rows:
        et, kt = en.split(), ko.split()
        if len(et) != len(kt):
            continue
        for e, k in zip(et, kt):
            letters, jamo = english_letters(e), hangul_jamo(k)
            if not letters or not jamo or len(letters) > 16 or not all("\uac00" <= c <= "\ud7a3" for c in k):
                continue
            out.append((letters, jamo))
    return out


def seed_table() -> CostTable:
    sub = {j: {s if s != "_" else "": 1.0 for s in spellings.split(" ")} for j, spellings in SEED.items()}
    sub["ㅡ"][""] = 0.5
    for j in sub:
        sub[j].setdefault("", 4.0)
    ins = {ch: 3.0 for ch in "abcdefghijklmnopqrstuvwxyz"}
    for ch in "ehwy":
        ins[ch] = 2.0
    return CostTable(sub, ins)


def reestimate(table: CostTable, pairs, smoothing: float = 0.5) -> tuple[CostTable, float]:
    sub_counts: dict[str, Counter] = defaultdict(Counter)
    ins_counts: Counter = Counter()
    letter_total: Counter = Counter()
    total_cost = 0.0
    for letters, jamo in pairs:
        cost, ops = table.align(letters, jamo, want_path=True)
        if cost == float("inf") or cost / max(len(letters), len(jamo)) > 4.0:
            continue  # a translation, not a transliteration: do not learn from it
        total_cost += cost
        letter_total.update(letters)
        for op in ops:
            if op[0] == "sub":
                sub_counts[op[1]][op[2]] += 1
            else:
                ins_counts[op[1]] += 1
    sub: dict[str, dict[str, float]] = {}
    for j, counts in sub_counts.items():
        total = sum(counts.values()) + smoothing * (len(counts) + 1)
        sub[j] = {piece: round(-math.log((n + smoothing) / total), 3) for piece, n in counts.items()
                  if n >= 2 or piece == ""}
        sub[j].setdefault("", round(-math.log(smoothing / total), 3))
    ins = {ch: round(-math.log((ins_counts[ch] + smoothing) / (letter_total[ch] + 2 * smoothing)), 3)
           for ch in "abcdefghijklmnopqrstuvwxyz"}
    return CostTable(sub, ins), total_cost / max(1, len(pairs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tsv")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "data" / "translit_costs.json"))
    ap.add_argument("--pairs", type=int, default=20000, help="training token pairs per round")
    ap.add_argument("--rounds", type=int, default=4)
    args = ap.parse_args(argv)
    pairs = token_pairs(read_pairs(args.tsv, held_out=False))
    random.Random(13).shuffle(pairs)
    pairs = pairs[:args.pairs]
    print(f"training token pairs: {len(pairs)}", file=sys.stderr)
    table = seed_table()
    for r in range(args.rounds):
        table, mean_cost = reestimate(table, pairs)
        print(f"round {r + 1}: mean alignment cost {mean_cost:.3f}", file=sys.stderr)
    with atomic_write(args.out) as fh:
        json.dump(table.to_json(), fh, ensure_ascii=False, sort_keys=True, indent=0)
        fh.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
