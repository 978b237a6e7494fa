"""``mtreview review``: the main job."""
from __future__ import annotations

import argparse

from review.pipeline import DEFAULT_OUT_DIR, ReviewConfig, run_review


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="review a translation (the bundled Maisky sample when no files are given)",
        description="Read, segment, align and check an English source and its Korean translation, "
                    "and write segments.jsonl into the output folder. SOURCE may be a .tsv or .jsonl "
                    "bitext on its own; with no files, the bundled Maisky sample is reviewed.")
    p.add_argument("source", nargs="?", help="English source (.txt), or a .tsv/.jsonl bitext")
    p.add_argument("target", nargs="?", help="Korean translation (.txt)")
    p.add_argument("--out", default=DEFAULT_OUT_DIR, help=f"output folder (default: ./{DEFAULT_OUT_DIR}/)")
    p.add_argument("--encoding", help="input encoding (default: detect UTF-8/UTF-16/CP949)")
    p.add_argument("--doc-id", help="document id (default: from the file name)")
    p.add_argument("--encoder", default="use",
                   help="sentence encoder for alignment: 'use' (default) or 'hf:/path/to/local/model'")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    config = ReviewConfig(source=args.source, target=args.target, out_dir=args.out,
                          encoding=args.encoding, doc_id=args.doc_id, encoder=args.encoder)
    result = run_review(config)
    n_no_source = sum(1 for p in result.pairs if p.no_source or not p.src_idx)
    print(f"{result.doc_id}: {result.n_source_segments} English and {result.n_target_segments} Korean segments, "
          f"{len(result.pairs)} aligned pairs ({n_no_source} without English)")
    for name, path in result.files.items():
        print(f"  {name}: {path}")
    return 0
