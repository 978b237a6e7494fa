"""``mtreview checks``: list the registered checks with their category, default severity, needs and title."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checks", help="list the quality checks (name, category, severity, needs, title)",
                       description="List every registered check; names are what --disable takes and what "
                                   "findings in segments.jsonl carry.")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.checks.registry import NEEDS
    print(format_checks())
    print("\nneeds:")
    for need, meaning in NEEDS.items():
        print(f"  {need:<9} {meaning}")
    return 0


def format_checks() -> str:
    """One line per registered check: name, category, default severity, what it needs, title."""
    from review.checks import CHECKS
    rows = [(s.name, s.category.value, s.severity.value + (" (info)" if s.informational else ""),
             ",".join(sorted(s.needs)) or "-", s.title) for s in CHECKS.values()]
    header = ("check", "category", "severity", "needs", "title")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r[:4], widths)) + "  " + r[4] for r in [header, *rows])
