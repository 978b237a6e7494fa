"""``mtreview segment``: print one sentence per line."""
from __future__ import annotations

import argparse
import sys

from corpus.document import build_document
from corpus.errors import MtreviewError
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
        if sys.stdin.isatty():  # reading a terminal would wait for typing that never comes
            raise MtreviewError("no FILE given and standard input is a terminal: give a file or pipe text in")
        text, _ = decode_bytes(sys.stdin.buffer.read(), "<stdin>", args.encoding)
        text = normalise_newlines(text)
    doc = build_document(text, args.lang)
    for i, p in enumerate(doc.paragraphs):  # written as it goes: a reader that stops early stops the work
        sys.stdout.write(("\n" if i else "") + "".join(s.text + "\n" for s in p.segments))
    return 0
