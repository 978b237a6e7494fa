"""Manifest throughput: N copies of the bundled Maisky sample reviewed with 1 and 2 workers, then resumed.

Prints, per worker count, the wall time of a fresh run, documents per second, and the time of a rerun
that finds every document done (the cost of resuming).  Also times the XLIFF export and reader on the
sample's review.  Usage (from the repository root):

    PYTHONPATH=. python bench/manifest_bench.py [N_DOCS] [--korean-only]

``--korean-only`` lists the Korean files alone (no English: no sentence encoder is needed).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

from corpus.xliff import read_xliff_units  # noqa: E402
from review.batch import run_manifest  # noqa: E402
from review.jsonl import read_jsonl  # noqa: E402
from review.pipeline import sample_paths  # noqa: E402
from review.records import ReviewedPair  # noqa: E402
from review.exchange import write_xliff  # noqa: E402


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    korean_only = "--korean-only" in sys.argv
    n_docs = int(args[0]) if args else 6
    en, ko = sample_paths()
    work = Path(tempfile.mkdtemp(prefix="mtreview-bench-"))
    try:
        rows = ["source\ttarget\tdoc_id"]
        for k in range(n_docs):
            # Vary each copy so no cache can make later documents free.
            (work / f"d{k}.ko.txt").write_text(ko.read_text(encoding="utf-8") + f"\n\n문서 {k}.\n", encoding="utf-8")
            (work / f"d{k}.en.txt").write_text(en.read_text(encoding="utf-8") + f"\n\nDocument {k}.\n",
                                               encoding="utf-8")
            rows.append(f"{'' if korean_only else f'd{k}.en.txt'}\td{k}.ko.txt\td{k}")
        manifest = work / "manifest.tsv"
        manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
        print(f"{n_docs} documents ({'Korean only' if korean_only else 'English + Korean'}), "
              f"{ko.stat().st_size // 1024} KB of Korean each")
        for workers in (1, 2):
            out = work / f"out{workers}"
            started = time.perf_counter()
            result = run_manifest(manifest, out, workers=workers, progress=False)
            fresh = time.perf_counter() - started
            assert result.count("done") == n_docs, [o.message for o in result.failed]
            started = time.perf_counter()
            again = run_manifest(manifest, out, workers=workers, progress=False)
            resumed = time.perf_counter() - started
            assert again.count("skipped") == n_docs
            print(f"workers={workers}: fresh run {fresh:.2f} s ({n_docs / fresh:.2f} docs/s), "
                  f"rerun with all done {resumed * 1000:.0f} ms")

        _, records = read_jsonl(work / "out1" / "d0" / "segments.jsonl")
        pairs = [ReviewedPair.from_dict(r) for r in records]
        started = time.perf_counter()
        path = write_xliff(work / "review.xlf", None, pairs)
        written = time.perf_counter() - started
        started = time.perf_counter()
        units = read_xliff_units(path)
        read = time.perf_counter() - started
        assert [(s, t) for _, s, t in units] == [(p.src, p.tgt) for p in pairs]
        print(f"XLIFF 2.1 export of {len(pairs)} pairs: {written * 1000:.0f} ms; read back: {read * 1000:.0f} ms "
              f"({path.stat().st_size // 1024} KB), texts identical")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
