#!/usr/bin/env python3
"""Speed of ``mtreview score`` on NTREX-128 (1997 clean English-Korean news pairs), models loaded first.

    PYTHONPATH=. python bench/score_speed.py [--shared ../shared] [--repeat 2] [--profile]

Writes the pairs as score input, loads Kiwi and USE, then times ``score_records`` (what the ``score``
command runs) and prints pairs per second of wall time and per CPU-second (all threads), with the
machine's load average (other jobs on the two cores slow the wall figure down).  ``--profile`` prints
the main thread's cProfile top functions (the encoder's and Kiwi's worker threads are not in it).
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from common import shared_dir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--profile", action="store_true")
    a = ap.parse_args()
    nt = shared_dir(a.shared) / "data" / "ntrex128"
    en = (nt / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ko = (nt / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    from corpus.encoders import load_encoder
    from review.assess import score_records
    from review.checks.context import load_kiwi
    load_kiwi().analyze("모델을 불러옵니다."), load_encoder("use").encode(["load the model"])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ntrex.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for i, (s, t) in enumerate(zip(en, ko)):
                f.write(json.dumps({"id": i, "src": s, "tgt": t}, ensure_ascii=False) + "\n")
        for _ in range(a.repeat):
            load_encoder("use")._cache.clear()  # time real encoding
            start, cpu = time.perf_counter(), time.process_time()
            if a.profile:
                import cProfile
                import pstats
                prof = cProfile.Profile()
                records = prof.runcall(score_records, path)
            else:
                records = score_records(path)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(f"NTREX-128 score: {len(records)} pairs in {wall:.2f} s = {len(records) / wall:.0f} pairs/s wall, "
                  f"{len(records) / cpu:.0f} pairs per CPU-second (load {' '.join(f'{x:.1f}' for x in os.getloadavg())})")
        if a.profile:
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
