#!/usr/bin/env python3
"""Alignment benchmark on NTREX-128 English-Korean, built from the shared data.

Builds the benchmark with ``make_align_bench.py`` (seeds 7 and 13 by default, plus the whole
corpus as one document with ``--one-doc``) into a temporary folder, aligns each file with
``mtreview``'s aligner, scores it with ``score_align.py`` (strict and lax P/R/F1, recall per
bead type) and prints, per file: segments per second, the time of embedding every segment
once versus the whole alignment (embedding included), and the peak memory of the process
that aligned it (each file is aligned in a fresh process, so the figure is its own).

    PYTHONPATH=. python bench/align_bench.py [--shared ../shared] [--seeds 7 13] [--no-one-doc]
                                             [--encoder use|hf:/path] [--keep DIR] [--long 20000]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _find_shared() -> Path:
    """``../shared`` from the project root, or from a folder above it (a worktree sits deeper)."""
    for folder in ROOT.parents:
        if (folder / "shared" / "bench" / "make_align_bench.py").exists():
            return folder / "shared"
    return ROOT.parent / "shared"


DEFAULT_SHARED = _find_shared()


def build(shared: Path, out: Path, seed: int | None, one_doc: bool) -> Path:
    data = shared / "data" / "ntrex128"
    args = [sys.executable, str(shared / "bench" / "make_align_bench.py"),
            "--en", str(data / "newstest2019-src.eng.txt"), "--ko", str(data / "newstest2019-ref.kor.txt")]
    if one_doc:
        args.append("--one-doc")
        name = "ntrex-onedoc.jsonl"
    else:
        args += ["--docids", str(data / "DOCUMENT_IDS.tsv"), "--seed", str(seed)]
        name = f"ntrex-seed{seed}.jsonl"
    path = out / name
    with open(path, "w", encoding="utf-8") as fh:
        subprocess.run(args, stdout=fh, check=True)
    return path


def run_one(gold: Path, pred: Path, encoder_name: str) -> dict:
    """Align one benchmark file in this process; return timings and peak memory."""
    from corpus.align import align_segments
    from corpus.encoders import CachedEncoder, load_encoder
    from corpus.records import Bead
    from glossary.align_hints import name_hints  # as mtreview align / review use them

    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines() if line.strip()]
    n_segments = sum(len(r["src"]) + len(r["tgt"]) for r in records)
    inner = load_encoder(encoder_name).inner
    start = time.perf_counter()
    for r in records:  # the reference cost: every segment embedded once, no cache
        inner.encode(r["src"])
        inner.encode(r["tgt"])
    embed_s = time.perf_counter() - start
    encoder = CachedEncoder(inner)  # a fresh cache: the alignment pays for its own embeddings
    start = time.perf_counter()
    out = []
    for r in records:
        beads: list[Bead] = align_segments(r["src"], r["tgt"], encoder, hints=name_hints)
        out.append({"id": r["id"], "alignment": [b.to_list() for b in beads]})
    total_s = time.perf_counter() - start
    with open(pred, "w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"documents": len(records), "segments": n_segments, "embed_s": embed_s, "total_s": total_s,
            "peak_mb": peak_kb / 1024.0, "encoder": encoder.name}


def run_long(n: int) -> dict:
    """A synthetic n x n document (random unit vectors, noisy copies): time and memory at scale."""
    import numpy as np

    from corpus.align import align_vectors

    rng = np.random.default_rng(0)
    src = rng.normal(size=(n, 512)).astype(np.float32)
    src /= np.linalg.norm(src, axis=1, keepdims=True)
    tgt = src + 0.8 * rng.normal(size=(n, 512)).astype(np.float32) / np.sqrt(512)
    tgt /= np.linalg.norm(tgt, axis=1, keepdims=True)
    before_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    start = time.perf_counter()
    beads = align_vectors(src, tgt, ["word " * 10] * n, ["단어 " * 6] * n)
    seconds = time.perf_counter() - start
    diagonal = sum(1 for b in beads if len(b.src) == 1 and b.src == b.tgt)
    return {"n": n, "seconds": seconds, "diagonal": diagonal, "inputs_mb": before_mb,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help=f"shared data folder (default {DEFAULT_SHARED})")
    ap.add_argument("--seeds", type=int, nargs="*", default=[7, 13])
    ap.add_argument("--no-one-doc", action="store_true", help="skip the whole-corpus-as-one-document run")
    ap.add_argument("--encoder", default="use")
    ap.add_argument("--keep", type=Path, help="write benchmark and prediction files here instead of a temp folder")
    ap.add_argument("--long", type=int, metavar="N",
                    help="also align a synthetic N x N document (e.g. 20000) and report its time and memory")
    ap.add_argument("--run", nargs=2, type=Path, metavar=("GOLD", "PRED"), help=argparse.SUPPRESS)
    ap.add_argument("--run-long", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.run_long:
        print(json.dumps(run_long(args.run_long)))
        return 0
    if args.run:  # child mode: one file, its own process, its own peak memory
        print(json.dumps(run_one(args.run[0], args.run[1], args.encoder)))
        return 0
    if not (args.shared / "bench" / "make_align_bench.py").exists():
        print(f"no benchmark generator under {args.shared}/bench (use --shared)", file=sys.stderr)
        return 2
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.keep or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        jobs = [build(args.shared, out, seed, False) for seed in args.seeds]
        if not args.no_one_doc:
            jobs.append(build(args.shared, out, None, True))
        summary = []
        for gold in jobs:
            pred = gold.with_suffix(".pred.jsonl")
            child = subprocess.run([sys.executable, __file__, "--run", str(gold), str(pred), "--encoder", args.encoder],
                                   env=env, capture_output=True, text=True)
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            stats = json.loads(child.stdout.strip().splitlines()[-1])
            scored = subprocess.run([sys.executable, str(args.shared / "bench" / "score_align.py"), str(gold), str(pred)],
                                    capture_output=True, text=True, check=True).stdout
            print(f"== {gold.name}: {stats['documents']} documents, {stats['segments']} segments, "
                  f"encoder {stats['encoder']}")
            print(scored.rstrip())
            print(f"time: embedding every segment once {stats['embed_s']:.1f} s; alignment, embedding included, "
                  f"{stats['total_s']:.1f} s ({stats['total_s'] / stats['embed_s']:.2f}x embedding); "
                  f"{stats['segments'] / stats['total_s']:.0f} segments/s")
            print(f"peak memory of the aligning process: {stats['peak_mb']:.0f} MB")
            strict = re.search(r"strict P=\S+ R=\S+ F1=(\S+)", scored)
            summary.append((gold.name, strict.group(1) if strict else "?", stats))
        if args.long:
            child = subprocess.run([sys.executable, __file__, "--run-long", str(args.long)], env=env,
                                   capture_output=True, text=True)
            if child.returncode != 0:
                print(child.stderr, file=sys.stderr)
                return 1
            long = json.loads(child.stdout.strip().splitlines()[-1])
            print(f"== synthetic {long['n']} x {long['n']} document: {long['seconds']:.1f} s, "
                  f"{long['diagonal']}/{long['n']} 1-1 beads on the diagonal, peak memory {long['peak_mb']:.0f} MB "
                  f"({long['inputs_mb']:.0f} MB before aligning: interpreter, libraries, the input vectors)")
        print("\n== summary")
        for name, f1, stats in summary:
            print(f"{name:24s} strict F1 {f1}  {stats['total_s'] / stats['embed_s']:.2f}x embedding  "
                  f"{stats['peak_mb']:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
