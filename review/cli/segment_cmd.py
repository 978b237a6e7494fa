"""``mtreview segment``: print one sentence per line."""
from __future__ import annotations

import argparse
import sys

from corpus.document import build_document
from corpus.textio import decode_bytes, normalise_newlines, read_text


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("segment", help="split a file into sentences, one per line",
                       description="Print one sentence per line, with an empty line between paragraphs.")
    p.add_argument("file", nargs="?", help="input file (default: standard input)")
    p.add_argument("--lang", choices=("en", "ko"), required=True, help="language of the text")
    p.add_argument("--encoding", help="input encoding (default: detect)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.file and args.file != "-":
        text, _ = read_text(args.file, args.encoding)
    else:
        text, _ = decode_bytes(sys.stdin.buffer.read(), "<stdin>", args.encoding)
        text = normalise_newlines(text)
    doc = build_document(text, args.lang)
    out = []
    for p in doc.paragraphs:
        out.extend(s.text for s in p.segments)
        out.append("")
    sys.stdout.write("\n".join(out[:-1]) + "\n" if out else "")
    return 0
