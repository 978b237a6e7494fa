"""``mtreview checks``: list the registered checks with their category, default severity and title."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checks", help="list the quality checks (name, category, severity, title)",
                       description="List every registered check; names are what --disable takes and what "
                                   "findings in segments.jsonl carry.")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.checks import CHECKS
    for spec in CHECKS.values():
        print(f"{spec.name:<20} {spec.category.value:<12} {spec.severity.value:<9} {spec.title}")
    return 0
