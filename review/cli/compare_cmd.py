"""``mtreview compare OLD NEW``: what a retranslation changed and whether its findings went away."""
from __future__ import annotations

import argparse
import json
import shutil


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "compare", help="compare two review outputs of the same document (before and after a retranslation)",
        description="Match the pairs of two review output folders and show, per pair, the character diff of "
                    "the Korean and whether each finding was fixed, is still there, or is new.")
    p.add_argument("old", metavar="OLD_OUT", help="the earlier review output folder")
    p.add_argument("new", metavar="NEW_OUT", help="the later review output folder")
    p.add_argument("--all", action="store_true", help="list unchanged pairs too")
    p.add_argument("--json", action="store_true", help="print the comparison as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.report.compare import compare_outputs, format_comparison

    comparison = compare_outputs(args.old, args.new)
    if args.json:
        print(json.dumps(comparison.to_dict(everything=args.all), ensure_ascii=False, indent=2))
    else:
        print(format_comparison(comparison, everything=args.all,
                                width=shutil.get_terminal_size((100, 24)).columns))
    return 0
