"""The ``mtreview`` command line: one subcommand per library entry point.

Each subcommand lives in its own module with ``add_parser(subparsers)`` and a
``run(args) -> int``.  The CLI only parses arguments, makes one library call
and prints; :class:`~corpus.errors.MtreviewError` becomes ``Error: ...`` and
exit status 1.  Library code never calls ``sys.exit``.
"""
from __future__ import annotations

import os

# numpy's OpenBLAS starts one busy-waiting thread per core; on a small shared machine that makes the
# sentence encoder several times slower (measured: 3.7 vs 16-27 ms of CPU per pair on 2 loaded cores).
# mtreview batches its own work, so one BLAS thread is faster.  Set before anything imports numpy.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import importlib
import sys

from corpus.errors import MtreviewError
from review import __version__

# Modules under review.cli that define a subcommand, in the order --help lists them.
COMMAND_MODULES = ("review_cmd", "segment_cmd", "align_cmd", "glossary_cmd", "score_cmd", "checks_cmd",
                   "worklist_cmd", "compare_cmd", "serve_cmd")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mtreview",
        description="Review Korean machine translation against its English source.")
    parser.add_argument("--version", action="version", version=f"mtreview {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        module = importlib.import_module(f"review.cli.{name}")
        module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        return int(args.run(args) or 0)
    except MtreviewError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
