#!/usr/bin/env python3
"""Benchmark the checks and the garble score.

    PYTHONPATH=. python bench/garble_bench.py [--shared ../shared] [--seeds 13 7] [--no-mqm]

1. The garbled-segment benchmark built from NTREX-128 by the shared
   make_garble_bench.py (seeds 13 and 7): AUROC of the garble score per damage
   type and overall, and pairs per second (checks + scores, models loaded).
2. The MQM dev set (research use only; read in place, never copied): for
   untranslated / encoding / omission / addition, the AUROC of ranking
   segments by the summed severity weights of findings whose check name
   contains the word, against segments whose human annotation has that error;
   and the Spearman correlation of the penalty with the human MQM total.
"""
from __future__ import annotations

import argparse
import re
import time

from common import auroc, garble_bench, mqm_rows, shared_dir, spearman

MQM_CATEGORIES = {"untranslated": "untranslated text", "encoding": "encoding", "omission": "omission",
                  "addition": "addition"}


def assess(records):
    from review.assess import assess_pairs
    from review.checks import CheckPair
    from corpus.encoders import load_encoder
    load_encoder("use")._cache.clear()  # time real encoding, not the per-run cache of an earlier benchmark
    pairs = [CheckPair(str(r["id"]), r["src"], r["tgt"]) for r in records]
    start, cpu = time.perf_counter(), time.process_time()
    results = assess_pairs(pairs)
    assess.cpu_seconds = time.process_time() - cpu  # all threads of this process
    return results, time.perf_counter() - start


def _load() -> str:
    import os
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def garble(shared, seed):
    records = garble_bench(shared, seed)
    results, seconds = assess(records)
    by = {}
    for r, a in zip(records, results):
        by.setdefault(r["type"], []).append(a.score)
    clean = by.pop("clean")
    print(f"garble benchmark, NTREX-128 seed {seed}: {len(records)} pairs, "
          f"{len(records) / seconds:.0f} pairs/s wall ({seconds:.1f} s), "
          f"{len(records) / assess.cpu_seconds:.0f} pairs per CPU-second (the machine's load: {_load()})")
    for t in sorted(by):
        print(f"  AUROC {t:<13} n={len(by[t]):4d} {auroc(by[t], clean):.4f}")
    overall = auroc([s for v in by.values() for s in v], clean)
    print(f"  AUROC overall       n={sum(map(len, by.values())):4d} {overall:.4f}")
    # false alarms: the share of clean (untouched reference) pairs each check flags
    clean_found = [a.findings for r, a in zip(records, results) if r["type"] == "clean"]
    from review.checks.registry import is_informational
    rates = {}
    for found in clean_found:
        for name in {f.check for f in found if not is_informational(f.check)}:  # notes are not flags
            rates[name] = rates.get(name, 0) + 1
    # an omission finding on part of the English (the length-based ones span all of it or none)
    span_omissions = sum(any(f.check == "omission" and f.src_spans and f.src_spans[0].text != r["src"]
                             for f in a.findings) for r, a in zip(records, results) if r["type"] == "clean")
    print(f"  clean pairs flagged, by check (of {len(clean_found)}; informational notes left out): "
          + ", ".join(f"{k} {v / len(clean_found):.1%}" for k, v in sorted(rates.items(), key=lambda kv: -kv[1])))
    print(f"  clean pairs with an omission of an English part (coverage): {span_omissions / len(clean_found):.1%}")


def mqm(shared):
    rows = mqm_rows(shared)
    records = [{"id": i, "src": r["en_source"].strip(), "tgt": r["ko_target"].strip()} for i, r in enumerate(rows)]
    results, seconds = assess(records)
    print(f"MQM dev: {len(rows)} segments, {len(rows) / seconds:.0f} pairs/s")
    for word, label in MQM_CATEGORIES.items():
        has = [bool(re.search(r"\(" + re.escape(label) + r"/", r["annotation"])) for r in rows]
        ranked = [sum(f.severity.weight for f in a.findings if word in f.check) for a in results]
        pos = [s for s, h in zip(ranked, has) if h]
        neg = [s for s, h in zip(ranked, has) if not h]
        print(f"  AUROC {word:<13} n={len(pos):4d} {auroc(pos, neg):.4f}")
    totals = [float(r["total"] or 0) for r in rows]
    print(f"  Spearman penalty vs human total: {spearman([a.penalty for a in results], totals):.4f}")
    print(f"  Spearman garble score vs human total: {spearman([a.score for a in results], totals):.4f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--seeds", type=int, nargs="+", default=[13, 7])
    ap.add_argument("--no-mqm", action="store_true")
    a = ap.parse_args()
    shared = shared_dir(a.shared)
    # every model loaded before timing (Kiwi, the encoder, and what the checks and the quality estimate load on
    # first use: the lexicon, the transliteration model, the NIKL list, the weights), by assessing a few pairs
    from review.assess import assess_pairs
    from review.checks import CheckPair
    assess_pairs([CheckPair("w1", "Ivan Maisky came to London in 1932, not in 1933.", "이반 마이스키는 1933년에 런던에 왔다."),
                  CheckPair("w2", "Only he could speak to Stalin.", "그는 Stalin 대통령과 말할 수 있었다.", index=1)])
    for seed in a.seeds:
        garble(shared, seed)
    if not a.no_mqm:
        mqm(shared)


if __name__ == "__main__":
    main()
