"""``mtreview worklist OUT_DIR...``: one retranslation queue ranked across many review outputs."""
from __future__ import annotations

import argparse
import json
import shutil


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "worklist", help="merge review outputs into one retranslation queue ranked by priority",
        description="Read the segments.jsonl of each review output folder and rank every pair worth fixing "
                    "(an actionable finding, or a garble score of 0.5 or more) by priority across all "
                    "documents, with a summary per document (penalty per 100 words, share of pairs flagged).")
    p.add_argument("out_dirs", nargs="+", metavar="OUT_DIR", help="review output folders")
    p.add_argument("--output", "-o", metavar="FILE",
                   help="write the queue here (.csv, or .jsonl) and the per-document summary beside it "
                        "(FILE's name with .documents before the suffix)")
    p.add_argument("--by", choices=("pair", "paragraph"), default="pair",
                   help="one row per aligned pair (default) or per Korean paragraph")
    p.add_argument("--top", type=int, default=20, metavar="N", help="queue rows to print (default 20)")
    p.add_argument("--json", action="store_true", help="print the summary and the whole queue as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.report.worklist import format_merged, merge_outputs, write_merged

    merged = merge_outputs(args.out_dirs, by=args.by)
    files = write_merged(args.output, merged) if args.output else {}
    if args.json:
        print(json.dumps({**merged.to_dict(), "files": {k: str(v) for k, v in files.items()}},
                         ensure_ascii=False, indent=2))
    else:
        print(format_merged(merged, top=args.top, files=files,
                            width=shutil.get_terminal_size((100, 24)).columns))
    return 0
