"""Issue 17, long inputs: a one-line paragraph of thousands of sentences is neither copied per sentence pair
(a 5 MB paragraph reached 23 GB) nor scanned once per pair (quadratic time)."""
from __future__ import annotations

import time

from corpus.document import build_document
from corpus.readers import Bitext
from corpus.records import Bead
from review.checks.context import CheckPair
from review.checks.structure import unbalanced_brackets
from review.pipeline import _paragraph_of, mark_no_source, pairs_from_beads

SENTENCE = '그는 "런던에서" 일했습니다. '
N = 4000


def _one_line_bitext() -> Bitext:
    target = build_document((SENTENCE * N).strip() + "\n", "ko", "long")
    return Bitext("long", None, target)


def test_document_segments_are_built_once():
    doc = _one_line_bitext().target
    assert len(doc.segments) == N
    assert doc.segments is doc.segments


def test_pairs_of_one_paragraph_share_one_paragraph_string():
    bitext = _one_line_bitext()
    started = time.monotonic()
    pairs = mark_no_source(bitext, pairs_from_beads(bitext, [Bead((), (s.index,), 0.0)
                                                             for s in bitext.target.segments]))
    texts: dict[int, str] = {}
    contexts = [_paragraph_of(bitext.target, p, texts) for p in pairs]
    assert time.monotonic() - started < 10  # was quadratic: Document.segments rebuilt for every pair
    assert len({id(text) for text, _ in contexts}) == 1  # one string, not N copies of the paragraph
    text, offset = contexts[-1]
    assert text.startswith(pairs[-1].tgt, offset)


def test_unbalanced_brackets_scans_a_long_paragraph_once():
    bitext = _one_line_bitext()
    paragraph = bitext.target.text[:bitext.target.paragraphs[0].end] + ' "열린'
    offsets = [s.start for s in bitext.target.segments]
    pairs = [CheckPair(f"p{k}", "", s.text, k, True, paragraph, offsets[k])
             for k, s in enumerate(bitext.target.segments)]
    started = time.monotonic()
    flagged = [k for k, p in enumerate(pairs) if unbalanced_brackets(p, None)]
    assert time.monotonic() - started < 10  # N scans of the whole paragraph took minutes
    assert flagged == []  # the quotation left open is after the last pair, and every pair's own is balanced
