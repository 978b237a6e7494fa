"""XLIFF 2.1 export: structure, notes, span markers, and the round trip through the XLIFF reader."""
from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from corpus.records import Span
from corpus.xliff import read_xliff_units
from review.cli import main
from review.exchange import XLIFF2_NS, write_xliff
from review.jsonl import read_jsonl
from review.records import Category, Finding, ReviewedPair, Severity

NS = {"x": XLIFF2_NS}


def marked_text(element: ET.Element) -> dict[str, list[str]]:
    """The text each comment marker covers, by its ``ref``: ``<mrk>`` content, or the text between ``<sm>``
    and the ``<em>`` that ends it (checking that markers are well paired and ids unique)."""
    out: dict[str, list[str]] = {}
    open_sm: dict[str, tuple[str, list[str]]] = {}  # sm id -> (ref, pieces)
    seen: set[str] = set()

    def walk(el: ET.Element, collectors: list[list[str]]) -> None:
        def add(text):
            if text:
                for c in collectors:
                    c.append(text)
                for _, pieces in open_sm.values():
                    pieces.append(text)
        add(el.text)
        for child in el:
            name = child.tag.split("}")[1]
            if name in ("mrk", "sm"):
                assert child.get("id") not in seen, child.get("id")
                seen.add(child.get("id"))
            if name == "mrk":
                mine: list[str] = []
                walk(child, [*collectors, mine])
                out.setdefault(child.get("ref"), []).append("".join(mine))
            elif name == "sm":
                open_sm[child.get("id")] = (child.get("ref"), [])
            elif name == "em":
                ref, pieces = open_sm.pop(child.get("startRef"))
                out.setdefault(ref, []).append("".join(pieces))
            else:
                walk(child, collectors)
            add(child.tail)

    walk(element, [])
    assert not open_sm, f"<sm> without <em>: {sorted(open_sm)}"
    return out


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

    # every span is marked: the crossing second span as <sm/>..<em/> (inside the first <mrk>)
    target = units[0].find("x:segment/x:target", NS)
    assert marked_text(target) == {"#n=n1": ["메이스키"], "#n=n2": ["스키와 <같"]}
    marks = target.findall("x:mrk", NS)
    assert [(m.get("type"), m.get("ref"), "".join(m.itertext())) for m in marks] == [("comment", "#n=n1", "메이스키")]
    sm = target.find(".//x:sm", NS)
    assert sm.get("type") == "comment" and target.find(".//x:em", NS).get("startRef") == sm.get("id")
    source = units[0].find("x:segment/x:source", NS)
    assert marked_text(source) == {"#n=n3": ["1884"]}

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


# --- every finding span a marker; decisions; the XLIFF 2 core constraints ------------------------------

INLINE = {"cp", "ph", "pc", "sc", "ec", "mrk", "sm", "em"}
XSD = Path(__file__).resolve().parents[1] / "fixtures" / "xliff" / "xliff_core_2.0.xsd"


def _sample_with_notes():
    import sys
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _report_sample import sample_pairs
    from dataclasses import replace

    return [replace(p, findings=p.findings + (Finding("no-source", Category.ACCURACY, Severity.MINOR,
                                                       "no English source", (Span.of(p.tgt, 0, len(p.tgt)),)),))
            if p.no_source and p.tgt else p for p in sample_pairs()]


def check_core_constraints(root: ET.Element) -> None:
    """The XLIFF 2.1 core rules the export relies on (the schema's, written out): notes before segments,
    inline content made of core inline elements only, marker attributes, unique ids, refs that resolve."""
    for unit in root.iter(f"{{{XLIFF2_NS}}}unit"):
        kinds = [c.tag.split("}")[1] for c in unit]
        assert kinds == sorted(kinds, key=lambda k: k != "notes") and set(kinds) <= {"notes", "segment", "ignorable"}
        note_ids = {n.get("id") for n in unit.iter(f"{{{XLIFF2_NS}}}note")}
        for n in unit.iter(f"{{{XLIFF2_NS}}}note"):
            core = {k for k in n.attrib if not k.startswith("{")}
            assert core <= {"id", "category", "priority", "appliesTo"}
            assert n.get("priority") in {str(k) for k in range(1, 11)}
        marker_ids = []
        for side in ("source", "target"):
            for el in unit.iter(f"{{{XLIFF2_NS}}}{side}"):
                for inline in el.iter():
                    if inline is el:
                        continue
                    name = inline.tag.split("}")[1]
                    assert name in INLINE, name
                    if name in ("mrk", "sm"):
                        assert set(inline.attrib) == {"id", "type", "ref"} and inline.get("type") == "comment"
                        assert inline.get("ref").removeprefix("#n=") in note_ids
                        marker_ids.append(inline.get("id"))
                    if name == "em":
                        assert set(inline.attrib) == {"startRef"}
        assert len(marker_ids) == len(set(marker_ids))


def test_every_finding_span_is_a_marker_and_decisions_are_written(tmp_path):
    from review.decisions import DECISIONS_FILE, DecisionStore, load_decisions

    pairs = _sample_with_notes()
    store = DecisionStore(tmp_path / DECISIONS_FILE)
    rep = next(p for p in pairs if any(f.check == "repetition" for f in p.findings))
    for k, f in enumerate(rep.findings):
        store.set_finding(rep, k, verdict="false_alarm" if f.check == "repetition" else "confirmed",
                          note="refrain" if f.check == "repetition" else None)
    path = write_xliff(tmp_path / "review.xlf", {"mtreview": "test"}, pairs, decisions=load_decisions(tmp_path))
    root = ET.parse(path).getroot()
    check_core_constraints(root)
    units = {u.get("name"): u for u in root.iter(f"{{{XLIFF2_NS}}}unit")}
    n_spans = n_marked = 0
    for p in pairs:
        unit = units[p.id]
        segment = unit.find("x:segment", NS)
        marked = {side: marked_text(el) for side in ("source", "target")
                  if (el := segment.find(f"x:{side}", NS)) is not None}
        for k, f in enumerate(p.findings, start=1):
            for side, spans in (("target", f.tgt_spans), ("source", f.src_spans)):
                for s in spans:
                    n_spans += 1
                    assert s.text in marked[side].get(f"#n=n{k}", []), (p.id, f.check, s.text)
                    n_marked += 1
    assert n_spans == n_marked > 150  # the no-source notes and the overlapping term findings included
    # the decisions: in our namespace, in words, and the segment is reviewed once all its findings are decided
    mtr = "{urn:mtreview:review:1}"
    notes = units[rep.id].findall("x:notes/x:note", NS)
    rep_note = next(n for n in notes if n.get("category") == "mtreview:repetition")
    assert rep_note.get(mtr + "decision") == "false_alarm" and rep_note.get(mtr + "note") == "refrain"
    assert rep_note.text.endswith("[reviewer: false alarm: refrain]")
    assert units[rep.id].find("x:segment", NS).get("state") == "reviewed"
    other = next(p for p in pairs if p.id != rep.id and any(f.check != "no-source" for f in p.findings))
    assert units[other.id].find("x:segment", NS).get("state") == "translated"
    # the texts read back unchanged
    assert [(s, t) for _, s, t in read_xliff_units(path)] == [(p.src, p.tgt) for p in pairs]


def _core_schema():
    """OASIS's XLIFF 2 core schema as an lxml validator, or a skip when its files are not in this checkout
    (tests/fixtures/xliff/README.md says why and how to add them)."""
    if not (XSD.is_file() and (XSD.parent / "xml.xsd").is_file()):
        pytest.skip(f"{XSD.name} and xml.xsd are not in {XSD.parent} (see the README there)")
    etree = pytest.importorskip("lxml.etree")
    # the schema imports xml.xsd by a relative schemaLocation: no network is touched
    return etree, etree.XMLSchema(etree.parse(str(XSD), etree.XMLParser(no_network=True)))


def _schema_errors(etree, schema, xml: bytes) -> list[str]:
    ok = schema.validate(etree.fromstring(xml, etree.XMLParser(no_network=True)))
    return [] if ok else [f"line {e.line}: {e.message}" for e in schema.error_log]


def test_export_validates_against_the_xliff2_core_schema(tmp_path):
    """The Maisky sample with its findings (nested markers, insertion points, whole-segment notes) and the
    reviewer's decisions (our namespace's attributes on notes) validates against xliff_core_2.0.xsd."""
    from review.decisions import DECISIONS_FILE, DecisionStore, load_decisions

    etree, schema = _core_schema()
    pairs = _sample_with_notes()
    store = DecisionStore(tmp_path / DECISIONS_FILE)
    rep = next(p for p in pairs if any(f.check == "repetition" for f in p.findings))
    for k, _ in enumerate(rep.findings):
        store.set_finding(rep, k, verdict="confirmed", note="seen")
    for decisions in (None, load_decisions(tmp_path)):
        path = write_xliff(tmp_path / "review.xlf", {"mtreview": "test"}, pairs, decisions=decisions)
        xml = path.read_bytes()
        assert xml.count(b"<mrk ") > 150 and (decisions is None or b"mtr:decision=" in xml)
        assert _schema_errors(etree, schema, xml) == []


@pytest.mark.parametrize("break_it, expected", [
    (lambda x: x.replace(b'<mrk id="', b'<mrk xid="', 1), "mrk"),           # a marker without its id
    (lambda x: x.replace(b'state="translated"', b'state="done"', 1), "state"),  # not a segment state
    (lambda x: x.replace(b"<source>", b'<source note="x">', 1), "note"),    # no such attribute on <source>
    (lambda x: x.replace(b'priority="3"', b'priority="11"', 1), "priority"),  # note priority is 1 to 10
    (lambda x: x.replace(b"</notes>", b"</notes><notes><note>late</note></notes>", 1), "notes"),  # notes twice
])
def test_schema_validation_fails_on_a_broken_export(tmp_path, break_it, expected):
    """The validation is no rubber stamp: each of these breaks of a real export is caught, by name."""
    etree, schema = _core_schema()
    xml = write_xliff(tmp_path / "review.xlf", {"mtreview": "test"}, _sample_with_notes()).read_bytes()
    broken = break_it(xml)
    assert broken != xml
    errors = _schema_errors(etree, schema, broken)
    assert errors and expected in errors[0], errors


@pytest.mark.slow
def test_review_of_the_maisky_sample_writes_a_schema_valid_xliff(tmp_path):
    """End to end: `mtreview review --xliff` on the bundled Maisky sample, every finding with a span marked."""
    etree, schema = _core_schema()
    out = tmp_path / "out"
    assert main(["review", "--xliff", "--no-models", "--quiet", "--out", str(out)]) == 0
    xml = (out / "review.xlf").read_bytes()
    assert _schema_errors(etree, schema, xml) == []
    _, records = read_jsonl(out / "segments.jsonl")
    n_spans = sum(len(f.get("tgt_spans") or ()) + len(f.get("src_spans") or ())
                  for r in records for f in r.get("findings") or ())
    assert n_spans > 500 and xml.count(b"<mrk ") + xml.count(b"<sm ") >= n_spans
