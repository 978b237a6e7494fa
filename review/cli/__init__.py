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

# Two malloc arenas, not one per thread: a review's threads would otherwise keep what each once freed
# (corpus/allocator.py: about 50 MB of peak memory on a 2,000-sentence document).  Before any thread starts.
from corpus.allocator import limit_arenas  # noqa: E402

limit_arenas()

import argparse
import errno
import importlib
import sys

from corpus.errors import MtreviewError
from corpus.limits import find_surrogate
from review import __version__

# Modules under review.cli that define a subcommand, in the order --help lists them.
COMMAND_MODULES = ("review_cmd", "segment_cmd", "align_cmd", "glossary_cmd", "score_cmd", "checks_cmd",
                   "worklist_cmd", "compare_cmd", "serve_cmd")

EXIT_BROKEN_PIPE = 141
"""As a shell reports a command killed by SIGPIPE (128 + 13)."""


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
        _refuse_undecodable_arguments(args)
        status = int(args.run(args) or 0)
        sys.stdout.flush()  # a full disk or closed pipe on standard output is reported here, not at exit
        return status
    except MtreviewError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`mtreview segment ... | head -1`): say so once, without a traceback
        _silence_stdout()
        print("mtreview: standard output was closed before everything was written (broken pipe)",
              file=sys.stderr)
        return EXIT_BROKEN_PIPE
    except OSError as e:  # the file system refused a write or read: full disk, permissions, /dev/full
        where = f"{os.fsdecode(e.filename)}: " if e.filename else ("standard output: " if _stdout_failed(e) else "")
        print(f"Error: {where}{e.strerror or e}", file=sys.stderr)
        _silence_stdout()
        return 1


def _refuse_undecodable_arguments(args: argparse.Namespace) -> None:
    """Arguments that are not UTF-8 (Python holds their bytes as lone surrogates) are refused with a message,
    unless they name an existing file (a legacy file name is still a file)."""
    for name, value in vars(args).items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str) and find_surrogate(v) is not None and not os.path.lexists(v):
                shown = v.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                raise MtreviewError(f"argument {name.replace('_', '-')} '{shown}' is not valid UTF-8 "
                                    "(is the terminal set to another encoding?)")


def _stdout_failed(error: OSError) -> bool:
    return error.errno in (errno.ENOSPC, errno.EPIPE, errno.EIO, errno.EBADF)


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's final flush cannot fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass
