"""``mtreview glossary suggest``: propose standard Hangul spellings for English names.

Plugged into the ``glossary`` command by ``review.cli.glossary_cmd``:
``add_parser(subparsers)`` adds the ``suggest`` subcommand to the subparsers
it is given.
"""
from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    p = sub.add_parser(
        "suggest", help="propose Hangul spellings for English names",
        description="Print the most likely Hangul spellings of each English name with their scores "
                    "(mean log-probability per jamo under the shipped transliteration model; "
                    "0 is certain, higher is better).")
    p.add_argument("names", nargs="+", metavar="NAME", help="an English name (quote names with spaces)")
    p.add_argument("-k", type=int, default=5, metavar="N", help="candidates per name (default: 5)")
    p.add_argument("--json", action="store_true",
                   help='one JSON object per name and line: {"name": ..., "candidates": [{"korean": ..., "score": ...}]}')
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from corpus.errors import MtreviewError
    from glossary.translit import default_model

    if args.k < 1:
        raise MtreviewError(f"-k must be at least 1, got {args.k}")
    results = default_model().suggest_many(args.names, k=args.k)
    out = sys.stdout
    for name, candidates in results:
        if args.json:
            out.write(json.dumps({"name": name, "candidates": [{"korean": ko, "score": round(score, 4)}
                                                              for ko, score in candidates]},
                                 ensure_ascii=False) + "\n")
        else:
            out.write(f"{name}\n")
            for ko, score in candidates:
                out.write(f"  {ko}\t{score:.3f}\n")
    return 0
