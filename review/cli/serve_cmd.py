"""``mtreview serve OUT_DIR``: decide on findings and glossary proposals in a local web app."""
from __future__ import annotations

import argparse
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve", help="review findings and name proposals in a local web app (decisions kept in SQLite)",
        description="Start a local web app over a review output folder: mark each finding as confirmed or a "
                    "false alarm, add notes, accept or reject glossary proposals. Decisions are saved in "
                    "OUT_DIR/decisions.sqlite, keyed by the segment's text, so they survive a rerun of review; "
                    "the worklist leaves false alarms out; accepted proposals are written to the glossary.")
    p.add_argument("out_dir", metavar="OUT_DIR", help="a review output folder (with segments.jsonl)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, loopback)")
    p.add_argument("--port", type=port_number, default=8765, help="port (default: 8765; 0 picks a free one)")
    p.add_argument("--glossary", metavar="FILE",
                   help="the glossary (TBX, or CSV/TSV) accepted proposals are written to (created if absent; "
                        "default: the one the review used)")
    p.add_argument("--profile", metavar="FILE",
                   help="the house-style profile (TOML) a false alarm widened to 'ignore everywhere' is written to "
                        "(created if absent; default: the one the review used)")
    p.add_argument("--allow-remote", action="store_true",
                   help="allow a non-loopback --host (there is no login: anyone who reaches it can change decisions)")
    p.add_argument("--quiet", "-q", action="store_true", help="do not log each request")
    p.set_defaults(run=run)


def port_number(text: str) -> int:
    """A TCP port for argparse: 0 (any free port) to 65535."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0 to 65535)")
    return port


def run(args: argparse.Namespace) -> int:
    from review.serve import serve

    serve(args.out_dir, host=args.host, port=args.port, glossary=args.glossary, allow_remote=args.allow_remote,
          quiet=args.quiet, announce=lambda line: print(line, file=sys.stderr, flush=True), profile=args.profile)
    return 0
