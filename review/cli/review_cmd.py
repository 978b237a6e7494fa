"""``mtreview review``: the main job."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus.errors import InputError
from review.pipeline import DEFAULT_OUT_DIR, ReviewConfig, run_review


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "review", help="review a translation (the bundled Maisky sample when no files are given)",
        description="Read, segment, align and check an English source and its Korean translation, "
                    "and write segments.jsonl, report.html, worklist.csv and worklist.jsonl into the output "
                    "folder. SOURCE may be a .tsv or .jsonl bitext on its own; with no files, the bundled "
                    "Maisky sample is reviewed.")
    p.add_argument("source", nargs="?", help="English source (.txt), or a .tsv/.jsonl bitext")
    p.add_argument("target", nargs="?", help="Korean translation (.txt)")
    p.add_argument("--out", default=DEFAULT_OUT_DIR, help=f"output folder (default: ./{DEFAULT_OUT_DIR}/)")
    p.add_argument("--encoding", help="input encoding (default: detect UTF-8/UTF-16/CP949)")
    p.add_argument("--doc-id", help="document id (default: from the file name)")
    p.add_argument("--reference", metavar="FILE",
                   help="a reference or post-edited Korean file: per-pair chrF and TER in the report and "
                        "worklist, corpus chrF/BLEU in the summary (sacrebleu)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    out.add_argument("--json", action="store_true", help="print a machine-readable summary (JSON) on stdout")
    p.add_argument("--fail-on", choices=("minor", "major", "critical"), metavar="SEVERITY",
                   help="exit with status 3 when any finding is at or above SEVERITY (minor, major, critical)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.report.reference import read_reference_jsonl
    from review.report.terminal import EXIT_FAIL_ON, findings_at_or_above, format_summary, summary_dict

    if args.reference is not None and not Path(args.reference).is_file():
        raise InputError(args.reference, "reference file not found")
    config = ReviewConfig(source=args.source, target=args.target, out_dir=args.out,
                          encoding=args.encoding, doc_id=args.doc_id, reference=args.reference)
    if not args.quiet and not args.json:
        print(f"mtreview: reviewing {args.target or args.source or 'the bundled Maisky sample'} ...",
              file=sys.stderr, flush=True)
    result = run_review(config)
    reference = read_reference_jsonl(result.files["reference"]) if "reference" in result.files else None
    if args.json:
        print(json.dumps(summary_dict(result.doc_id, result.pairs, result.files, reference), ensure_ascii=False,
                         indent=2))
    elif not args.quiet:
        print(format_summary(result.doc_id, result.pairs, result.files, reference,
                             result.n_source_segments, result.n_target_segments))
    if args.fail_on:
        n = findings_at_or_above(result.pairs, args.fail_on)
        if n:
            if not args.quiet:
                print(f"mtreview: {n} finding(s) at or above {args.fail_on}: exit status {EXIT_FAIL_ON}",
                      file=sys.stderr)
            return EXIT_FAIL_ON
    return 0
