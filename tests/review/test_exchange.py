"""XLIFF 2.1 export: structure, notes, span markers, and the round trip through the XLIFF reader."""
from __future__ import annotations

import xml.etree.ElementTree as ET

from corpus.records import Span
from corpus.xliff import read_xliff_units
from review.cli import main
from review.exchange import XLIFF2_NS, write_xliff
from review.jsonl import read_jsonl
from review.records import Category, Finding, ReviewedPair, Severity

NS = {"x": XLIFF2_NS}


def _pairs() -> list[ReviewedPair]:
    tgt0 = "마이스키는 메이스키와 <같다> & 다르다."
    name = Finding("name-variant", Category.TERMINOLOGY, Severity.MAJOR, "inconsistent spelling of Maisky",
                   tgt_spans=(Span.of(tgt0, 6, 10),), suggestion="마이스키")
    overlap = Finding("garble", Category.GARBLED, Severity.MINOR, "odd phrase",
                      tgt_spans=(Span.of(tgt0, 8, 14),))
    number = Finding("number", Category.ACCURACY, Severity.CRITICAL, "1884 missing",
                     src_spans=(Span.of("Maisky was born in 1884.", 19, 23),))
    return [
        ReviewedPair("maisky:0", "maisky", 0, (0,), (0,), "Maisky was born in 1884.", tgt0,
                     findings=(name, overlap, number)),
        ReviewedPair("maisky:1", "maisky", 1, (1,), (), "He left.", "",
                     findings=(Finding("omission", Category.ACCURACY, Severity.MAJOR, "not translated"),)),
        ReviewedPair("maisky:2", "maisky", 2, (), (1,), "", "출처 없음\x07 제어 문자.", no_source=True),
        # a hard-wrapped paragraph keeps its line break: finding offsets index this exact text
        ReviewedPair("maisky:3", "maisky", 3, (2,), (2,), "Reviews  and\n  notes", "온라인 리뷰\n  • 메이스키"),
    ]


def test_xliff21_structure_notes_and_markers(tmp_path):
    path = write_xliff(tmp_path / "review.xlf", {"mtreview": "0.1.0"}, _pairs())
    root = ET.parse(path).getroot()
    assert root.tag == f"{{{XLIFF2_NS}}}xliff"
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "en", "ko")
    units = root.findall("x:file/x:unit", NS)
    assert [u.get("name") for u in units] == ["maisky:0", "maisky:1", "maisky:2", "maisky:3"]
    assert len({u.get("id") for u in units}) == 4

    notes = units[0].findall("x:notes/x:note", NS)
    assert [(n.get("category"), n.get("priority"), n.get("appliesTo")) for n in notes] == [
        ("mtreview:name-variant", "3", "target"), ("mtreview:garble", "6", "target"),
        ("mtreview:number", "1", "source")]
    assert notes[0].text == "inconsistent spelling of Maisky (suggestion: 마이스키)"
    # segment precedes nothing but notes: notes come first in a unit (XLIFF 2.1 core order)
    assert [child.tag.split("}")[1] for child in units[0]] == ["notes", "segment"]

    # exact spans are marked; the overlapping second span keeps its note but gets no marker
    target = units[0].find("x:segment/x:target", NS)
    marks = target.findall("x:mrk", NS)
    assert [(m.get("type"), m.get("ref"), m.text) for m in marks] == [("comment", "#n=n1", "메이스키")]
    source_marks = units[0].findall("x:segment/x:source/x:mrk", NS)
    assert [(m.get("ref"), m.text) for m in source_marks] == [("#n=n3", "1884")]

    # a pair without Korean has no <target> and is not yet translated
    segment = units[1].find("x:segment", NS)
    assert segment.get("state") == "initial" and segment.find("x:target", NS) is None
    # a control character is written as <cp>, so the file stays well-formed XML 1.0
    assert units[2].find("x:segment/x:target/x:cp", NS).get("hex") == "0007"
    # only text with line breaks or runs of spaces is marked xml:space="preserve"
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert [u.find("x:segment/x:target", NS).get(space) for u in (units[0], units[3])] == [None, "preserve"]


def test_round_trip_through_the_reader(tmp_path):
    pairs = _pairs()
    path = write_xliff(tmp_path / "review.xlf", None, pairs)
    rows = read_xliff_units(path)
    assert [(src, tgt) for _, src, tgt in rows] == [(p.src, p.tgt) for p in pairs]


def test_write_is_atomic_and_replaces(tmp_path):
    path = tmp_path / "review.xlf"
    path.write_text("old", encoding="utf-8")
    write_xliff(path, None, _pairs()[:1])
    assert path.read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<xliff')
    assert [p.name for p in tmp_path.iterdir()] == ["review.xlf"]


def test_review_xliff_flag_writes_review_xlf(tmp_path, capsys):
    ko = tmp_path / "doc.ko.txt"
    ko.write_text("마이스키는 태어났다.\n\n그는 런던에 갔다.", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", str(ko), "--xliff", "--out", str(out)]) == 0
    assert "review.xlf" in capsys.readouterr().out
    _, records = read_jsonl(out / "segments.jsonl")
    rows = read_xliff_units(out / "review.xlf")
    assert [tgt for _, _, tgt in rows] == [r["tgt"] for r in records] == ["마이스키는 태어났다.", "그는 런던에 갔다."]
    assert all(src == "" for _, src, _ in rows)
