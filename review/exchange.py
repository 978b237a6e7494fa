"""Exchange formats for CAT tools: the reviewed document as XLIFF 2.1, findings as notes.

One ``<unit>`` per aligned pair, holding one ``<segment>`` with the English
``<source>`` and the Korean ``<target>`` (left out when the pair has no Korean).
Each finding becomes a unit-level ``<note>`` (XLIFF 2.1 core)::

    <note id="n1" category="mtreview:CHECK" priority="3" appliesTo="target">message (suggestion: ...)</note>

``priority`` is XLIFF's 1 (highest) to 10: critical 1, major 3, minor 6.  Every
span a finding points at is marked in the text by a comment annotation,
``<mrk id="mt1" type="comment" ref="#n=n1">span</mrk>``, so a CAT tool can
highlight it: spans that nest become nested ``<mrk>``, a span crossing another
becomes ``<sm id=.. type="comment" ref="#n=n1"/>...<em startRef=../>`` (which may
overlap anything), an insertion point an empty ``<mrk>``.  With the reviewer's
decisions (``mtreview serve``) each decided note carries ``mtr:decision``
(confirmed / false_alarm), ``mtr:decided`` and ``mtr:note`` in the namespace
``urn:mtreview:review:1`` and says it in words; a segment whose every finding is
decided is ``state="reviewed"``.  Characters XML 1.0 cannot hold are written as
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
from review.checks.registry import is_informational
from review.decisions import Decisions, finding_fingerprints
from review.records import ReviewedPair, Severity

XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"
MTREVIEW_NS = "urn:mtreview:review:1"
"""Our attributes on XLIFF notes (XLIFF 2 core allows attributes of other namespaces there)."""
DECISION_WORDS = {"confirmed": "confirmed", "false_alarm": "false alarm"}
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


def _fill(element: ET.Element, text: str, marks: list[tuple[int, int, str]], prefix: str) -> None:
    """Write ``text`` into ``element`` with a comment marker for every span ``(start, end, note_id)``.

    Spans that nest become nested ``<mrk>``; a span that crosses another (starts inside it and ends
    after it) becomes a ``<sm/>``...``<em/>`` pair, which XLIFF 2 allows to overlap anything.  A
    zero-width span (an insertion point) is an empty ``<mrk>``.
    """
    order = sorted(range(len(marks)), key=lambda k: (marks[k][0], -marks[k][1], k))
    kinds: dict[int, str] = {}
    stack: list[int] = []  # ends of the open <mrk> spans, innermost last
    for k in order:
        start, end, _ = marks[k]
        while stack and stack[-1] <= start:
            stack.pop()
        if start == end:
            kinds[k] = "zero"
        elif not stack or end <= stack[-1]:
            kinds[k] = "mrk"
            stack.append(end)
        else:
            kinds[k] = "sm"
    ids = {k: f"{prefix}{n}" for n, k in enumerate(order, start=1)}
    cuts = sorted({0, len(text)} | {m[0] for m in marks} | {m[1] for m in marks})
    open_elements: list[tuple[ET.Element, int]] = [(element, len(text) + 1)]  # (element, end)
    starts: dict[int, list[int]] = {}
    for k in order:
        starts.setdefault(marks[k][0], []).append(k)
    sm_ends: dict[int, list[int]] = {}
    for k in order:
        if kinds[k] == "sm":
            sm_ends.setdefault(marks[k][1], []).append(k)
    for a, b in zip(cuts, cuts[1:] + [None]):
        while len(open_elements) > 1 and open_elements[-1][1] == a:  # close the markers ending here
            open_elements.pop()
        for k in sm_ends.get(a, ()):
            ET.SubElement(open_elements[-1][0], "em", {"startRef": ids[k]})
        for k in starts.get(a, ()):
            _, end, note_id = marks[k]
            attrs = {"id": ids[k], "type": "comment", "ref": f"#n={note_id}"}
            if kinds[k] == "zero":
                ET.SubElement(open_elements[-1][0], "mrk", attrs)
            elif kinds[k] == "mrk":
                open_elements.append((ET.SubElement(open_elements[-1][0], "mrk", attrs), end))
            else:
                ET.SubElement(open_elements[-1][0], "sm", attrs)
        if b is None:
            break
        _append_text(open_elements[-1][0], text[a:b])


def _placed(spans: list[tuple[Span, str]], text: str) -> list[tuple[int, int, str]]:
    """Every span that can be found in ``text`` (at its offsets, else at the first occurrence of its text)."""
    placed = []
    for span, note_id in spans:
        if 0 <= span.start <= span.end <= len(text) and text[span.start:span.end] == span.text:
            placed.append((span.start, span.end, note_id))
        elif span.text and span.text in text:
            at = text.index(span.text)
            placed.append((at, at + len(span.text), note_id))
    return placed


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
                trg_lang: str = "ko", decisions: "Decisions | None" = None) -> ET.Element:
    """The XLIFF 2.1 document as an element tree (see the module docstring)."""
    pairs = list(pairs)
    root = ET.Element("xliff", {"xmlns": XLIFF2_NS, "version": "2.1", "srcLang": src_lang, "trgLang": trg_lang})
    if decisions:
        root.set("xmlns:mtr", MTREVIEW_NS)
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
        decided_all = bool(pair.findings) and decisions is not None
        if pair.findings:
            notes = ET.SubElement(unit, "notes")
            fingerprints = finding_fingerprints(pair) if decisions else []
            for k, finding in enumerate(pair.findings, start=1):
                note_id = f"n{k}"
                attrs = {"id": note_id, "category": f"mtreview:{finding.check}",
                         "priority": str(NOTE_PRIORITY[finding.severity])}
                if finding.tgt_spans or finding.src_spans:
                    attrs["appliesTo"] = "target" if finding.tgt_spans else "source"
                text = note_text(finding.message, finding.suggestion)
                decision = decisions.findings.get(fingerprints[k - 1]) if decisions else None
                if decision is not None:  # the reviewer's decision (mtreview serve), in our namespace and in words
                    if decision.verdict:
                        attrs["mtr:decision"] = decision.verdict
                    attrs["mtr:decided"] = decision.updated_at
                    if decision.note:
                        attrs["mtr:note"] = decision.note
                    text += f" [reviewer: {DECISION_WORDS.get(decision.verdict or '', 'note')}" + \
                        (f": {decision.note}" if decision.note else "") + "]"
                if not is_informational(finding.check) and (decision is None or not decision.verdict):
                    decided_all = False
                note = ET.SubElement(notes, "note", attrs)
                _append_text(note, text)
                tgt_marks += [(s, note_id) for s in finding.tgt_spans]
                src_marks += [(s, note_id) for s in finding.src_spans]
        state = ("reviewed" if decided_all else "translated") if pair.tgt else "initial"
        segment = ET.SubElement(unit, "segment", {"id": "s1", "state": state})
        source = ET.SubElement(segment, "source", _space_attrs(pair.src))
        _fill(source, pair.src, _placed(src_marks, pair.src), "ms")
        if pair.tgt:
            target = ET.SubElement(segment, "target", _space_attrs(pair.tgt))
            _fill(target, pair.tgt, _placed(tgt_marks, pair.tgt), "mt")
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
                srcLang: str = "en", trgLang: str = "ko",  # noqa: N803 - XLIFF's attribute names
                decisions: "Decisions | None" = None) -> Path:
    """Write the reviewed pairs as XLIFF 2.1 to ``path`` atomically; returns the path.

    ``decisions`` (``mtreview serve``'s, see :func:`review.decisions.load_decisions`) are written into the notes."""
    root = build_xliff(header, pairs, srcLang, trgLang, decisions)
    path = Path(path)
    with atomic_write(path) as fh:
        fh.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        fh.write(ET.tostring(root, encoding="unicode"))
        fh.write("\n")
    return path
