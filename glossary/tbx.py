"""Read and write the term base as TBX (ISO 30042:2019, TBX-Basic style).

Layout written::

    <tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
      <tbxHeader><fileDesc><sourceDesc><p>title</p></sourceDesc></fileDesc></tbxHeader>
      <text><body>
        <conceptEntry id="maisky">
          <descrip type="subjectField">person</descrip>      (entry type)
          <note>...</note>                                   (entry note)
          <admin type="source">...</admin>                   (provenance)
          <langSec xml:lang="ko"><termSec>
            <term>마이스키</term>
            <termNote type="partOfSpeech">properNoun</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <note>...</note>
          </termSec></langSec>
        </conceptEntry>
      </body></text>
    </tbx>

Reading uses expat directly so every error can name the line of the element at fault.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from corpus.atomic import atomic_write
from corpus.errors import InputError
from corpus.textio import read_input_bytes
from corpus.xmlsafe import check_depth, refuse_entities
from glossary.termbase import Entry, EntryType, LANGS, Status, Term, TermBase

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
STATUS_TO_TBX = {Status.PREFERRED: "preferredTerm-admn-sts", Status.ADMITTED: "admittedTerm-admn-sts",
                 Status.DEPRECATED: "deprecatedTerm-admn-sts"}
TBX_TO_STATUS = {v: k for k, v in STATUS_TO_TBX.items()}
# TBX-Basic's other status value; we read it as deprecated.
TBX_TO_STATUS["supersededTerm-admn-sts"] = Status.DEPRECATED
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")


@dataclass
class _Node:
    tag: str
    attrib: dict[str, str]
    line: int
    text: str = ""
    children: list["_Node"] = field(default_factory=list)

    def find_all(self, tag: str) -> list["_Node"]:
        return [c for c in self.children if c.tag == tag]


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _parse(path: Path) -> _Node:
    data = read_input_bytes(path)
    parser = expat.ParserCreate(namespace_separator=" ")
    refuse_entities(parser, str(path))  # as for XLIFF/TMX: no entity expansion, no external files
    stack: list[_Node] = []
    texts: list[list[str]] = []  # the text pieces of each open element, joined once at its end
    root: list[_Node] = []

    def start(name, attrs):
        check_depth(len(stack) + 1, str(path), parser)
        node = _Node(_local(name), {_local(k): v for k, v in attrs.items()}, parser.CurrentLineNumber)
        if stack:
            stack[-1].children.append(node)
        else:
            root.append(node)
        stack.append(node)
        texts.append([])

    def end(name):
        stack.pop().text = "".join(texts.pop())

    def chars(text):
        if texts:
            texts[-1].append(text)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as e:
        raise InputError(path, f"not well-formed XML: {expat.ErrorString(e.code)} (column {e.offset + 1})",
                         line=e.lineno) from None
    return root[0]


def _status(node: _Node, path: Path) -> Status:
    value = node.text.strip()
    if value not in TBX_TO_STATUS:
        raise InputError(path, f"unknown administrativeStatus {value!r} (expected one of "
                               f"{', '.join(STATUS_TO_TBX.values())})", line=node.line)
    return TBX_TO_STATUS[value]


def _read_term(ts: _Node, lang: str, path: Path) -> Term:
    terms = ts.find_all("term")
    if len(terms) != 1 or not terms[0].text.strip():
        raise InputError(path, "termSec needs exactly one non-empty <term>", line=ts.line)
    status, pos, notes = Status.PREFERRED, "properNoun", []
    for child in ts.children:
        if child.tag == "termNote":
            kind = child.attrib.get("type")
            if kind == "administrativeStatus":
                status = _status(child, path)
            elif kind == "partOfSpeech":
                pos = child.text.strip()
                if pos not in PARTS_OF_SPEECH:
                    raise InputError(path, f"unknown partOfSpeech {pos!r}", line=child.line)
        elif child.tag == "note":
            notes.append(child.text.strip())
    try:
        return Term(terms[0].text.strip(), lang, status, pos, "; ".join(n for n in notes if n))
    except ValueError as e:
        raise InputError(path, str(e), line=ts.line) from None


def _read_entry(ce: _Node, path: Path) -> Entry:
    eid = ce.attrib.get("id")
    if not eid:
        raise InputError(path, "conceptEntry without an id attribute", line=ce.line)
    etype, notes, sources = EntryType.TERM, [], []
    english: list[Term] = []
    korean: list[Term] = []
    for child in ce.children:
        if child.tag == "descrip" and child.attrib.get("type") == "subjectField":
            try:
                etype = EntryType(child.text.strip())
            except ValueError:
                raise InputError(path, f"entry {eid}: unknown type {child.text.strip()!r} (expected one of "
                                       f"{', '.join(t.value for t in EntryType)})", line=child.line) from None
        elif child.tag == "note":
            notes.append(child.text.strip())
        elif child.tag == "admin" and child.attrib.get("type") == "source":
            sources.append(child.text.strip())
        elif child.tag == "langSec":
            lang = child.attrib.get("lang", "").split("-")[0].lower()
            if lang not in LANGS:
                raise InputError(path, f"entry {eid}: langSec xml:lang {child.attrib.get('lang')!r} "
                                       f"is not one of {LANGS}", line=child.line)
            for ts in child.find_all("termSec"):
                (english if lang == "en" else korean).append(_read_term(ts, lang, path))
    try:
        entry = Entry(eid, etype, tuple(english), tuple(korean), "; ".join(notes), "; ".join(sources))
    except ValueError as e:
        raise InputError(path, str(e), line=ce.line) from None
    problems = entry.problems()
    if problems:
        raise InputError(path, "; ".join(problems), line=ce.line)
    return entry


def read_tbx(path: str | Path) -> TermBase:
    """Read a TBX file; any problem raises :class:`InputError` with the line."""
    path = Path(path)
    if not path.exists():
        raise InputError(path, "no such glossary file (create one with `mtreview glossary init`)")
    root = _parse(path)
    if root.tag != "tbx":
        raise InputError(path, f"root element is <{root.tag}>, expected <tbx>", line=root.line)
    texts = root.find_all("text")
    bodies = texts[0].find_all("body") if texts else []
    if not bodies:
        raise InputError(path, "no <text><body> in the TBX file", line=root.line)
    title = "mtreview glossary"
    for header in root.find_all("tbxHeader"):
        for fd in header.find_all("fileDesc"):
            for sd in fd.find_all("sourceDesc"):
                for p in sd.find_all("p"):
                    title = p.text.strip() or title
    entries, seen = [], {}
    for ce in bodies[0].children:
        if ce.tag != "conceptEntry":
            raise InputError(path, f"unexpected <{ce.tag}> in <body>", line=ce.line)
        entry = _read_entry(ce, path)
        if entry.id in seen:
            raise InputError(path, f"entry id {entry.id} used twice (first on line {seen[entry.id]})", line=ce.line)
        seen[entry.id] = ce.line
        entries.append(entry)
    return TermBase(entries, title=title)


def to_element(tb: TermBase) -> ET.Element:
    root = ET.Element("tbx", {"xmlns": TBX_NS, "type": "TBX-Basic", "style": "dca", f"{{{XML_NS}}}lang": "en"})
    header = ET.SubElement(ET.SubElement(ET.SubElement(root, "tbxHeader"), "fileDesc"), "sourceDesc")
    ET.SubElement(header, "p").text = tb.title
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in tb:
        ce = ET.SubElement(body, "conceptEntry", {"id": entry.id})
        ET.SubElement(ce, "descrip", {"type": "subjectField"}).text = entry.type.value
        if entry.note:
            ET.SubElement(ce, "note").text = entry.note
        if entry.provenance:
            ET.SubElement(ce, "admin", {"type": "source"}).text = entry.provenance
        for lang, terms in (("en", entry.english), ("ko", entry.korean)):
            if not terms:
                continue
            ls = ET.SubElement(ce, "langSec", {f"{{{XML_NS}}}lang": lang})
            for t in terms:
                ts = ET.SubElement(ls, "termSec")
                ET.SubElement(ts, "term").text = t.text
                ET.SubElement(ts, "termNote", {"type": "partOfSpeech"}).text = t.part_of_speech
                ET.SubElement(ts, "termNote", {"type": "administrativeStatus"}).text = STATUS_TO_TBX[t.status]
                if t.note:
                    ET.SubElement(ts, "note").text = t.note
    ET.indent(root, space="  ")
    return root


def tbx_string(tb: TermBase) -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(to_element(tb), encoding="unicode") + "\n"


def write_tbx(tb: TermBase, path: str | Path) -> None:
    """Write atomically; the previous file is kept as ``path~``."""
    text = tbx_string(tb)
    with atomic_write(path, backup=True) as fh:
        fh.write(text)
