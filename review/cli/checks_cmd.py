"""``mtreview checks``: list the registered checks with their category, default severity, needs and title."""
from __future__ import annotations

import argparse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("checks", help="list the quality checks (name, category, severity, needs, title)",
                       description="List every registered check; names are what --disable takes and what "
                                   "findings in segments.jsonl carry.")
    p.add_argument("--profile", metavar="FILE",
                   help="show the effective settings of this house-style profile (TOML): severity per check, "
                        "style choices, allow-lists, thresholds")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from review.checks.registry import NEEDS
    if args.profile:
        from review.profile import describe, load_profile
        print(f"effective settings with {args.profile} (* = set by the profile):")
        print(describe(load_profile(args.profile)))
        return 0
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
