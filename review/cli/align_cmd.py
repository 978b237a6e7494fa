"""``mtreview align``: sentence alignment on its own.

Two forms:

* ``mtreview align --input BENCH.jsonl --output PRED.jsonl``: every record's ``src`` and ``tgt``
  segment lists aligned, written as ``alignment`` beads (the benchmark format);
* ``mtreview align SOURCE TARGET``: two text files, beads printed in Vecalign's format
  (``[0, 1]:[0]:0.873``), one per line.
"""
from __future__ import annotations

import argparse
import sys

from corpus.encoders import DEFAULT_ENCODER


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "align", help="align English and Korean segments (a JSONL benchmark file, or two text files)",
        description="Align English segments with their Korean translation: 1-1, 1-2, 2-1, 2-2, 1-3, 3-1 beads, "
                    "and 1-0 (omission) and 0-1 (addition) beads. With --input/--output, align each record of a "
                    "JSONL file ({id, src: [...], tgt: [...]}); with SOURCE and TARGET, align two text files "
                    "and print Vecalign-style beads.")
    p.add_argument("source", nargs="?", help="English text file")
    p.add_argument("target", nargs="?", help="Korean text file")
    p.add_argument("--input", help="JSONL records with id, src (list of English segments), tgt (list of Korean)")
    p.add_argument("--output", help="JSONL predictions to write (with --input)")
    p.add_argument("--encoder", default=DEFAULT_ENCODER,
                   help="sentence encoder: 'use' (default, multilingual USE v3) or 'hf:/path/to/local/model'")
    p.add_argument("--encoding", help="input encoding of the text files (default: detect)")
    p.set_defaults(run=run, parser=p)


def run(args: argparse.Namespace) -> int:
    from review.align_files import align_jsonl, align_text_files

    if args.input or args.output:
        if not (args.input and args.output) or args.source or args.target:
            args.parser.error("--input and --output go together, without SOURCE/TARGET")
        result = align_jsonl(args.input, args.output, args.encoder)
        for problem in result.problems:
            print(f"Warning: {problem}", file=sys.stderr)
        print(f"{result.n_records} records aligned with {result.encoder} -> {result.output}", file=sys.stderr)
        return 0
    if not (args.source and args.target):
        args.parser.error("give SOURCE and TARGET text files, or --input and --output")
    for bead in align_text_files(args.source, args.target, args.encoder, args.encoding):
        print(bead.vecalign())
    return 0
