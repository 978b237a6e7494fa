"""Round trips of the corpus and review records through their JSON form."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus.document import build_document
from corpus.records import Bead, Document, Span
from review.records import Category, Finding, ReviewedPair, Severity

texts = st.text(alphabet=st.sampled_from(list("ab 마이스키.[1]\n가나다 Maisky!?")), min_size=1, max_size=200)


@settings(deadline=None)  # segmentation may load Kiwi on the first example (corpus/segment.py)
@given(texts)
def test_document_round_trip_and_offsets(text):
    doc = build_document(text, "ko", "d")
    back = Document.from_dict(json.loads(json.dumps(doc.to_dict(), ensure_ascii=False)))
    assert back == doc
    for seg in doc.segments:
        assert doc.text[seg.start:seg.end] == seg.text
    assert [s.index for s in doc.segments] == list(range(len(doc.segments)))


@given(st.lists(st.integers(0, 50), max_size=3), st.lists(st.integers(0, 50), max_size=3),
       st.floats(0, 1, allow_nan=False))
def test_bead_round_trip(src, tgt, score):
    bead = Bead(tuple(src), tuple(tgt), round(score, 4))
    assert Bead.from_dict(json.loads(json.dumps(bead.to_dict()))) == bead
    assert bead.kind == f"{len(src)}-{len(tgt)}"


def test_bead_vecalign_format():
    assert Bead((0, 1), (0,), 0.8734).vecalign() == "[0, 1]:[0]:0.873"
    assert Bead((), (3,), 0.0).vecalign() == "[]:[3]:0.000"


def _finding() -> Finding:
    tgt = "마이스키 대통령에게 말했습니다."
    return Finding("unsupported-title", Category.ACCURACY, Severity.MAJOR,
                   "title not in the source", (Span.of(tgt, 5, 8),), (Span.of("told Maisky", 5, 11),),
                   "마이스키")


def test_finding_round_trip():
    f = _finding()
    assert f.tgt_spans[0].text == "대통령"
    assert Finding.from_dict(json.loads(json.dumps(f.to_dict(), ensure_ascii=False))) == f


def test_reviewed_pair_round_trip():
    pair = ReviewedPair("d:0", "d", 0, (0,), (0, 1), "told Maisky", "마이스키 대통령에게 말했습니다.",
                        src_start=0, tgt_start=10, paragraph=2, align_score=0.9, score=0.5, penalty=5.0,
                        priority=3.2, findings=(_finding(),))
    assert ReviewedPair.from_dict(json.loads(json.dumps(pair.to_dict(), ensure_ascii=False))) == pair


def test_from_dict_rejects_unknown_and_missing_keys():
    with pytest.raises(ValueError, match="unknown key"):
        Bead.from_dict({"src": [0], "tgt": [0], "score": 1.0, "extra": 1})
    with pytest.raises(ValueError, match="missing key"):
        Span.from_dict({"start": 0, "end": 1})


def test_span_must_fit_its_text():
    with pytest.raises(ValueError):
        Span(0, 3, "ab")


def test_severity_weights():
    assert [s.weight for s in Severity] == [1, 5, 25]
