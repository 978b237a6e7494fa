#!/usr/bin/env python3
"""Recall of hand-annotated Maisky errors when reading pairs in priority order, up to a share of the text.

    PYTHONPATH=. python bench/maisky_recall.py [--budget 0.25] [--annotation bench/maisky_annotation.tsv]

Reviews the bundled Maisky Korean (no English: most of the source is missing, so the ranking rests on the
Korean), sorts the pairs by priority, reads them until ``budget`` of the Korean characters are read and counts
the annotated major/critical errors whose span overlaps a pair read.  The baseline ranks pairs by their
number of Latin letters.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import ROOT


def load_annotation(path: Path, text: str) -> list[tuple[int, int, str]]:
    """(start, end, note) of each annotated error; spans must occur exactly once in the text."""
    rows = []
    raw = path.read_text(encoding="utf-8")
    lines = [line for line in raw.split("\n") if line and not line.startswith("#")]
    body = "\n".join(lines[1:])
    # a span may contain a newline (a heading followed by a caption): rows end with "\tseverity\tnote"
    import re
    for m in re.finditer(r"(.+?)\t(major|critical)\t([^\n]*)", body, re.S):
        span = m.group(1).strip("\n")
        count = text.count(span)
        if count != 1:
            raise SystemExit(f"{path}: span {span!r} occurs {count} times in the sample (must be once)")
        start = text.index(span)
        rows.append((start, start + len(span), m.group(3)))
    return rows


def recall(pairs, errors, key, budget):
    total_chars = sum(len(p.tgt) for p in pairs)
    read, seen = 0, set()
    for p in sorted(pairs, key=key, reverse=True):
        if read >= budget * total_chars:
            break
        read += len(p.tgt)
        start, end = p.tgt_start, p.tgt_start + len(p.tgt)
        for i, (a, b, _) in enumerate(errors):
            if a < end and start < b:
                seen.add(i)
    return len(seen) / len(errors), seen


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=float, default=0.25)
    ap.add_argument("--annotation", default=str(ROOT / "bench" / "maisky_annotation.tsv"))
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    from corpus.readers import read_bitext
    from review.pipeline import ReviewConfig, review_bitext, sample_paths
    from corpus.encoders import load_encoder
    from review.checks.context import load_kiwi
    load_kiwi().analyze("모델을 불러옵니다."), load_encoder("use").encode(["load the model"])  # models load before the timing
    _, ko = sample_paths()
    bitext = read_bitext(str(ko))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as out:
        result = review_bitext(bitext, ReviewConfig(out_dir=out))
    seconds = time.perf_counter() - start
    pairs = [p for p in result.pairs if p.tgt and p.tgt_start is not None]
    errors = load_annotation(Path(a.annotation), bitext.target.text)
    ours, seen = recall(pairs, errors, lambda p: p.priority, a.budget)
    latin, _ = recall(pairs, errors, lambda p: sum(c.isascii() and c.isalpha() for c in p.tgt), a.budget)
    print(f"Maisky: {len(pairs)} pairs reviewed (all checks and scores) in {seconds:.1f} s; "
          f"{len(errors)} annotated major/critical errors; reading {a.budget:.0%} of the characters")
    print(f"  recall, priority order:      {ours:.3f}")
    print(f"  recall, Latin-letter order:  {latin:.3f}")
    if a.verbose:
        for i, (_, _, note) in enumerate(errors):
            print(("  seen   " if i in seen else "  missed ") + note)


if __name__ == "__main__":
    main()
