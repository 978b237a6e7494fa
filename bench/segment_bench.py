"""Sentence segmentation benchmark: boundary precision/recall on NTREX-128, and the Maisky sample.

NTREX-128 (newstest2019) gives one sentence per line, grouped into documents.  The lines
of each document are joined into one paragraph, either with a space or with nothing at
all (the glued form machine-translated Korean shows: "...했습니다.그의"), and the
segmenter must find the line boundaries again.  A line that itself holds two sentences
makes a "false" boundary that is really right, so precision is a lower bound.  Headlines
end without punctuation and no segmenter can find their end inside a paragraph, so
recall is also given over the boundaries after a line ending in . ! ? (and closing quotes).
A third Korean form drops the period after each line's last Hangul syllable ("...했다 그는"), so the
splitter must find sentences closed by their final ending alone; its recall in brackets is over those
boundaries, and its precision shows whether reading final endings (Kiwi) cuts inside sentences.

    PYTHONPATH=. python bench/segment_bench.py [NTREX_DIR] [MAISKY_KO]

(NTREX_DIR defaults to data/ntrex128 in the shared data folder: $MTREVIEW_SHARED or ../shared)
"""
from __future__ import annotations

import re
import sys
import time
from itertools import groupby
from pathlib import Path

from common import shared_dir  # (puts the project root on sys.path)
from corpus.document import build_document
from corpus.segment import split_sentences

NTREX = Path(sys.argv[1]) if len(sys.argv) > 1 else shared_dir() / "data" / "ntrex128"
MAISKY = Path(sys.argv[2] if len(sys.argv) > 2 else "review/data/sample/maisky.ko.txt")


def read_lines(path: Path) -> list[str]:
    return [line.rstrip("\r") for line in path.read_text(encoding="utf-8").split("\n")]


_TERMINATED = re.compile(r"[.!?…][\"'”’)\]]*\s*$")


_HANGUL_PERIOD = re.compile(r"(?<=[가-힣])\.$")


def score(docs: list[list[str]], lang: str, glue: str, drop_period: bool = False
          ) -> tuple[int, int, int, int, int, float]:
    """(found, predicted, reference, found after terminated lines, terminated lines, seconds).

    With ``drop_period``, a line's final period after Hangul is removed and the "terminated" lines are those
    that lost it."""
    found = predicted = reference = found_term = n_term = 0
    elapsed = 0.0
    for lines in docs:
        text, gold, term = "", set(), set()
        if drop_period:
            dropped = [bool(_HANGUL_PERIOD.search(line)) for line in lines]
            lines = [_HANGUL_PERIOD.sub("", line) for line in lines]
        for k, line in enumerate(lines):
            if k:
                text += glue
                gold.add(len(text))
                if dropped[k - 1] if drop_period else _TERMINATED.search(lines[k - 1]):
                    term.add(len(text))
            text += line
        t0 = time.perf_counter()
        spans = split_sentences(text, lang)
        elapsed += time.perf_counter() - t0
        # a boundary is where a span starts (after the first); compare modulo the glue whitespace
        starts = {s for s, _ in spans[1:]}
        predicted += len(starts)
        reference += len(gold)
        found += len(starts & gold)
        found_term += len(starts & term)
        n_term += len(term)
    return found, predicted, reference, found_term, n_term, elapsed


def main() -> int:
    if not NTREX.is_dir():
        print(f"NTREX-128 not found at {NTREX}; skipping that part")
    else:
        ids = read_lines(NTREX / "DOCUMENT_IDS.tsv")
        for lang, name in (("en", "newstest2019-src.eng.txt"), ("ko", "newstest2019-ref.kor.txt")):
            lines = read_lines(NTREX / name)
            docs = [[lines[i] for i, _ in group]
                    for _, group in groupby(enumerate(ids[:len(lines)]), key=lambda p: p[1])]
            docs = [[x for x in d if x.strip()] for d in docs]
            for glue_name, glue, drop in (("space", " ", False), ("glued", "", False), ("space", " ", True)):
                if lang == "en" and (glue_name == "glued" or drop):
                    continue
                f, p, r, ft, nt, t = score(docs, lang, glue, drop)
                after = "after a dropped period" if drop else "after . ! ?"
                print(f"NTREX-128 {lang} joined with {glue_name:5s}{', periods dropped' if drop else ''}: "
                      f"{len(docs)} documents, {r} line boundaries, recall {f / r:.3f} ({after}: {ft / nt:.3f} "
                      f"of {nt}), precision {f / p:.3f} (lower bound), {t * 1000:.0f} ms")
    if MAISKY.is_file():
        text = MAISKY.read_text(encoding="utf-8")
        t0 = time.perf_counter()
        doc = build_document(text, "ko")
        t = time.perf_counter() - t0
        n = sum(len(p.segments) for p in doc.paragraphs)
        print(f"Maisky ko: {len(text)} characters, {len(doc.paragraphs)} paragraphs, {n} segments, "
              f"{t * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
