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
        description="Print the standard Hangul spellings of each English name, best first: the NIKL usage "
                    "list's (source: nikl) when it has the name or every word of it, then the shipped "
                    "transliteration model's (source: model; nikl+model when only some words are in the list). "
                    "Scores are the model's mean log-probability per jamo (0 is certain, higher is better).")
    p.add_argument("names", nargs="+", metavar="NAME", help="an English name (quote names with spaces)")
    p.add_argument("-k", type=int, default=5, metavar="N", help="candidates per name (default: 5)")
    p.add_argument("--no-lookup", action="store_true", help="ask the transliteration model alone, not the NIKL list")
    p.add_argument("--json", action="store_true",
                   help='one JSON object per name and line: {"name": ..., "source": ..., '
                        '"candidates": [{"korean": ..., "score": ..., "source": ...}]}')
    p.set_defaults(run=run)
    return p


def run(args: argparse.Namespace) -> int:
    from corpus.errors import MtreviewError
    from glossary.translit import default_model
    from glossary.translit.nikl import default_table
    from glossary.translit.standard import suggest_standard

    if args.k < 1:
        raise MtreviewError(f"-k must be at least 1, got {args.k}")
    model = default_model()
    for name in args.names:          # every name is checked before any is answered
        model.check_name(name)
    table = None if args.no_lookup else default_table()
    out = sys.stdout
    for name in args.names:
        candidates = suggest_standard(name, args.k, lookup=not args.no_lookup, model=model, table=table)
        if args.json:
            out.write(json.dumps({"name": name, "source": candidates[0].source,
                                  "candidates": [c.to_dict() for c in candidates]}, ensure_ascii=False) + "\n")
        else:
            out.write(f"{name}\n")
            for c in candidates:
                out.write(f"  {c.korean}\t{c.score:.3f}\t{c.source}\n")
    return 0
