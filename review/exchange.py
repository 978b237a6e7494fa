"""Exchange formats for CAT tools: the reviewed document as XLIFF 2.1, findings as notes.

One ``<unit>`` per aligned pair, holding one ``<segment>`` with the English
``<source>`` and the Korean ``<target>`` (left out when the pair has no Korean).
Each finding becomes a unit-level ``<note>`` (XLIFF 2.1 core)::

    <note id="n1" category="mtreview:CHECK" priority="3" appliesTo="target">message (suggestion: ...)</note>

``priority`` is XLIFF's 1 (highest) to 10: critical 1, major 3, minor 6.  The
exact span a finding points at is marked in the text by a comment annotation,
``<mrk id="m1" type="comment" ref="#n=n1">span</mrk>``, so a CAT tool can
highlight it; overlapping spans keep their note but only the first gets a
marker (XLIFF markers must nest).  Characters XML 1.0 cannot hold are written as
``<cp hex="..."/>``.  Reading the file back with :mod:`corpus.xliff` gives the
same source and target texts.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any, Iterable

from corpus.atomic import atomic_write
from corpus.records import Span
from review.records import ReviewedPair, Severity

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
NOTE_PRIORITY = {Severity.CRITICAL: 1, Severity.MAJOR: 3, Severity.MINOR: 6}

# Characters XML 1.0 cannot contain; XLIFF 2 writes them as <cp hex="..."/>.
_INVALID_XML_CHAR = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_LOOSE_SPACE = re.compile(r"\s\s|[^\S ]")
_NOT_NMTOKEN = re.compile(r"[^\w.:-]")
_STRUCTURAL = frozenset({"xliff", "file", "unit", "notes", "segment"})


def note_text(message: str, suggestion: str | None) -> str:
    return f"{message} (suggestion: {suggestion})" if suggestion else message


def _append_text(parent: ET.Element, text: str) -> None:
    """Append ``text`` at the end of ``parent``'s content, invalid XML characters as ``<cp>``."""
    pos = 0
    for m in _INVALID_XML_CHAR.finditer(text):
        _append_plain(parent, text[pos:m.start()])
        ET.SubElement(parent, "cp", {"hex": f"{ord(m.group()):04X}"})
        pos = m.end()
    _append_plain(parent, text[pos:])


def _append_plain(parent: ET.Element, text: str) -> None:
    if not text:
        return
    if len(parent):
        last = parent[-1]
        last.tail = (last.tail or "") + text
    else:
        parent.text = (parent.text or "") + text


def _fill(element: ET.Element, text: str, marks: list[tuple[int, int, str, str]]) -> None:
    """Write ``text`` into ``element`` with comment markers ``(start, end, mrk_id, note_id)``."""
    pos = 0
    for start, end, mrk_id, note_id in marks:
        _append_text(element, text[pos:start])
        mrk = ET.SubElement(element, "mrk", {"id": mrk_id, "type": "comment", "ref": f"#n={note_id}"})
        _append_text(mrk, text[start:end])
        pos = end
    _append_text(element, text[pos:])


def _non_overlapping(spans: list[tuple[Span, str]], text: str) -> list[tuple[Span, str]]:
    """The spans that fit ``text`` and do not overlap an earlier kept one (sorted by start)."""
    kept: list[tuple[Span, str]] = []
    end = -1
    for span, note_id in sorted(spans, key=lambda s: (s[0].start, -s[0].end)):
        if span.end <= span.start or span.end > len(text) or text[span.start:span.end] != span.text:
            continue
        if span.start >= end:
            kept.append((span, note_id))
            end = span.end
    return kept


def _space_attrs(text: str) -> dict[str, str]:
    """``xml:space="preserve"`` where the text has line breaks, runs of spaces or outer whitespace,
    so that a reader keeps it exactly (the offsets of findings index it)."""
    if _LOOSE_SPACE.search(text) or text != text.strip():
        return {"xml:space": "preserve"}
    return {}


def _unit_id(pair: ReviewedPair, used: set[str]) -> str:
    base = _NOT_NMTOKEN.sub("_", pair.id) or f"u{pair.position}"
    if not (base[0].isalpha() or base[0] == "_"):
        base = "u" + base
    unit_id, k = base, 1
    while unit_id in used:
        k += 1
        unit_id = f"{base}_{k}"
    used.add(unit_id)
    return unit_id


def build_xliff(header: dict[str, Any] | None, pairs: Iterable[ReviewedPair], src_lang: str = "en",
                trg_lang: str = "ko") -> ET.Element:
    """The XLIFF 2.1 document as an element tree (see the module docstring)."""
    pairs = list(pairs)
    root = ET.Element("xliff", {"xmlns": XLIFF2_NS, "version": "2.1", "srcLang": src_lang, "trgLang": trg_lang})
    doc_id = pairs[0].doc_id if pairs else "doc"
    file_el = ET.SubElement(root, "file", {"id": "f1", "original": doc_id})
    if header:
        notes = ET.SubElement(file_el, "notes")
        note = ET.SubElement(notes, "note", {"id": "run", "category": "mtreview:run"})
        note.text = f"mtreview {header.get('mtreview', '')}".strip()
    used: set[str] = set()
    for pair in pairs:
        unit = ET.SubElement(file_el, "unit", {"id": _unit_id(pair, used), "name": pair.id})
        src_marks: list[tuple[Span, str]] = []
        tgt_marks: list[tuple[Span, str]] = []
        if pair.findings:
            notes = ET.SubElement(unit, "notes")
            for k, finding in enumerate(pair.findings, start=1):
                note_id = f"n{k}"
                attrs = {"id": note_id, "category": f"mtreview:{finding.check}",
                         "priority": str(NOTE_PRIORITY[finding.severity])}
                if finding.tgt_spans or finding.src_spans:
                    attrs["appliesTo"] = "target" if finding.tgt_spans else "source"
                note = ET.SubElement(notes, "note", attrs)
                _append_text(note, note_text(finding.message, finding.suggestion))
                tgt_marks += [(s, note_id) for s in finding.tgt_spans]
                src_marks += [(s, note_id) for s in finding.src_spans]
        segment = ET.SubElement(unit, "segment", {"id": "s1", "state": "translated" if pair.tgt else "initial"})
        source = ET.SubElement(segment, "source", _space_attrs(pair.src))
        _fill(source, pair.src, [(s.start, s.end, f"ms{i}", n)
                                 for i, (s, n) in enumerate(_non_overlapping(src_marks, pair.src), start=1)])
        if pair.tgt:
            target = ET.SubElement(segment, "target", _space_attrs(pair.tgt))
            _fill(target, pair.tgt, [(s.start, s.end, f"mt{i}", n)
                                     for i, (s, n) in enumerate(_non_overlapping(tgt_marks, pair.tgt), start=1)])
    _indent(root)
    return root


def _indent(element: ET.Element, level: int = 0) -> None:
    """Indent the structure only: whitespace inside source, target and note text is content."""
    if element.tag not in _STRUCTURAL or not len(element):
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in element:
        child.tail = inner
        _indent(child, level + 1)
    element[-1].tail = "\n" + "  " * level


def write_xliff(path: str | Path, header: dict[str, Any] | None, pairs: Iterable[ReviewedPair],
                srcLang: str = "en", trgLang: str = "ko") -> Path:  # noqa: N803 - XLIFF's attribute names
    """Write the reviewed pairs as XLIFF 2.1 to ``path`` atomically; returns the path."""
    root = build_xliff(header, pairs, srcLang, trgLang)
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(ET.tostring(root, encoding="unicode"))
        fh.write("\n")
    return path
