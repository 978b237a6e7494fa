"""Read and write the term base as TBX: TBX v3 (ISO 30042:2019) and TBX v2 (``<martif>``, ISO 30042:2008,
what most CAT tools export), both in the TBX-Basic dialect.

Reading takes either version: a v2 ``termEntry``/``langSet``/``tig`` (or ``ntig``/``termGrp``) is read as
the v3 ``conceptEntry``/``langSec``/``termSec``; languages other than English and Korean, and data
categories mtreview does not use, are skipped in a v2 file (a CAT tool's export holds many).

Written output keeps to TBX-Basic's values: ``partOfSpeech`` is one of noun, verb, adjective, adverb,
other; a proper noun (the term base's ``properNoun``) is written as ``noun`` with the term-level
``<note>proper noun</note>``, which reading turns back into ``properNoun``.

Layout written (v3; v2 is the same with martif/martifHeader/termEntry/langSet/tig)::

    <tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="en">
      <tbxHeader><fileDesc><sourceDesc><p>title</p></sourceDesc></fileDesc></tbxHeader>
      <text><body>
        <conceptEntry id="maisky">
          <descrip type="subjectField">person</descrip>      (entry type)
          <note>...</note>                                   (entry note)
          <admin type="source">...</admin>                   (provenance)
          <langSec xml:lang="ko"><termSec>
            <term>마이스키</term>
            <termNote type="partOfSpeech">noun</termNote>
            <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote>
            <note>proper noun</note>
          </termSec></langSec>
        </conceptEntry>
      </body></text>
    </tbx>

Reading uses expat directly so every error can name the line of the element at fault.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from corpus.atomic import atomic_write
from corpus.errors import InputError
from corpus.textio import read_input_bytes
from corpus.xmlsafe import check_depth, decode_xml, refuse_entities
from glossary.termbase import Entry, EntryType, LANGS, Status, Term, TermBase, slug

TBX_NS = "urn:iso:std:iso:30042:ed-2"
XML_NS = "http://www.w3.org/XML/1998/namespace"
STATUS_TO_TBX = {Status.PREFERRED: "preferredTerm-admn-sts", Status.ADMITTED: "admittedTerm-admn-sts",
                 Status.DEPRECATED: "deprecatedTerm-admn-sts"}
TBX_TO_STATUS = {v: k for k, v in STATUS_TO_TBX.items()}
# TBX-Basic's other status value; we read it as deprecated.
TBX_TO_STATUS["supersededTerm-admn-sts"] = Status.DEPRECATED
PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "properNoun", "other")
TBX_BASIC_PARTS_OF_SPEECH = ("noun", "verb", "adjective", "adverb", "other")
PROPER_NOUN_NOTE = "proper noun"
"""The term-level note that marks a TBX-Basic ``noun`` as the term base's ``properNoun``."""


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
    # decoded here, as for XLIFF/TMX: an unknown or non-text encoding in the declaration is an InputError,
    # not a LookupError from inside expat
    text = decode_xml(read_input_bytes(path), str(path))
    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
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
        parser.Parse(text.encode("utf-8"), True)
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


def _read_term(ts: _Node, lang: str, path: Path, lenient: bool = False) -> Term:
    terms = ts.find_all("term")
    if len(terms) != 1 or not terms[0].text.strip():
        raise InputError(path, f"{'tig' if lenient else 'termSec'} needs exactly one non-empty <term>", line=ts.line)
    status, pos, notes = Status.PREFERRED, "properNoun", []
    proper = False
    for child in ts.children:
        if child.tag == "termNote":
            kind = child.attrib.get("type")
            if kind == "administrativeStatus":
                status = _status(child, path)
            elif kind == "partOfSpeech":
                pos = child.text.strip()
                if lenient and pos.lower() in ("propernoun", "proper noun", "noun", "verb", "adjective", "adverb",
                                               "other"):
                    pos = {"propernoun": "properNoun", "proper noun": "properNoun"}.get(pos.lower(), pos.lower())
                elif lenient:
                    pos = "other"
                if pos not in PARTS_OF_SPEECH:
                    raise InputError(path, f"unknown partOfSpeech {pos!r}", line=child.line)
        elif child.tag == "note":
            if child.text.strip() == PROPER_NOUN_NOTE:
                proper = True
            else:
                notes.append(child.text.strip())
    if proper and pos == "noun":
        pos = "properNoun"
    try:
        return Term(terms[0].text.strip(), lang, status, pos, "; ".join(n for n in notes if n))
    except ValueError as e:
        raise InputError(path, str(e), line=ts.line) from None


def _v2_term_secs(lang_set: _Node) -> list[_Node]:
    """A v2 ``langSet``'s terms as v3-shaped ``termSec`` nodes: ``tig`` as is, ``ntig`` with its ``termGrp``
    opened (its term and termNotes) beside the ntig's own notes."""
    out = []
    for child in lang_set.children:
        if child.tag == "tig":
            out.append(child)
        elif child.tag == "ntig":
            parts = [c for g in child.find_all("termGrp") for c in g.children] + \
                [c for c in child.children if c.tag != "termGrp"]
            out.append(_Node("termSec", child.attrib, child.line, children=parts))
    return out


def _read_entry(ce: _Node, path: Path, v2: bool = False) -> Entry | None:
    eid = ce.attrib.get("id")
    if not eid and v2:  # optional in TBX v2: made from the first term
        first = next((t.text.strip() for ls in ce.find_all("langSet") for ts in _v2_term_secs(ls)
                      for t in ts.find_all("term") if t.text.strip()), "")
        eid = f"e{ce.line}-{slug(first)}"  # the line keeps generated ids apart
    if not eid:
        raise InputError(path, "conceptEntry without an id attribute", line=ce.line)
    if v2 and not re.fullmatch(r"[A-Za-z_][\w.-]*", eid):
        eid = f"e{ce.line}-{slug(eid)}"
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
        elif child.tag in ("langSec", "langSet") and (child.tag == "langSet") == v2:
            lang = child.attrib.get("lang", "").replace("_", "-").split("-")[0].lower()
            if lang not in LANGS:
                if v2:  # a CAT tool's multilingual export: the other languages are not ours
                    continue
                raise InputError(path, f"entry {eid}: langSec xml:lang {child.attrib.get('lang')!r} "
                                       f"is not one of {LANGS}", line=child.line)
            for ts in (_v2_term_secs(child) if v2 else child.find_all("termSec")):
                (english if lang == "en" else korean).append(_read_term(ts, lang, path, lenient=v2))
    if v2 and not korean:
        return None  # nothing in Korean: not an entry for this term base
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
    if root.tag not in ("tbx", "martif"):
        raise InputError(path, f"root element is <{root.tag}>, expected <tbx> (TBX v3) or <martif> (TBX v2)",
                         line=root.line)
    v2 = root.tag == "martif"
    texts = root.find_all("text")
    bodies = texts[0].find_all("body") if texts else []
    if not bodies:
        raise InputError(path, "no <text><body> in the TBX file", line=root.line)
    title = "mtreview glossary"
    for header in root.find_all("martifHeader" if v2 else "tbxHeader"):
        for fd in header.find_all("fileDesc"):
            for sd in fd.find_all("sourceDesc"):
                for p in sd.find_all("p"):
                    title = p.text.strip() or title
    entries, seen = [], {}
    for ce in bodies[0].children:
        if ce.tag != ("termEntry" if v2 else "conceptEntry"):
            raise InputError(path, f"unexpected <{ce.tag}> in <body>", line=ce.line)
        entry = _read_entry(ce, path, v2)
        if entry is None:
            continue
        if entry.id in seen:
            raise InputError(path, f"entry id {entry.id} used twice (first on line {seen[entry.id]})", line=ce.line)
        seen[entry.id] = ce.line
        entries.append(entry)
    return TermBase(entries, title=title)


TBX_VERSIONS = ("v3", "v2")

_V2 = {"root": "martif", "header": "martifHeader", "entry": "termEntry", "lang": "langSet", "term": "tig"}
_V3 = {"root": "tbx", "header": "tbxHeader", "entry": "conceptEntry", "lang": "langSec", "term": "termSec"}


def to_element(tb: TermBase, version: str = "v3") -> ET.Element:
    """The term base as a TBX-Basic element tree, ``version`` "v3" (``<tbx>``) or "v2" (``<martif>``)."""
    if version not in TBX_VERSIONS:
        raise ValueError(f"TBX version {version!r}: expected one of {TBX_VERSIONS}")
    names = _V2 if version == "v2" else _V3
    if version == "v2":
        root = ET.Element("martif", {"type": "TBX-Basic", f"{{{XML_NS}}}lang": "en"})
    else:
        root = ET.Element("tbx", {"xmlns": TBX_NS, "type": "TBX-Basic", "style": "dca", f"{{{XML_NS}}}lang": "en"})
    file_desc = ET.SubElement(ET.SubElement(root, names["header"]), "fileDesc")
    ET.SubElement(ET.SubElement(file_desc, "sourceDesc"), "p").text = tb.title
    if version == "v2":
        ET.SubElement(ET.SubElement(root.find(names["header"]), "encodingDesc"), "p",
                      {"type": "XCSURI"}).text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    for entry in tb:
        ce = ET.SubElement(body, names["entry"], {"id": entry.id})
        ET.SubElement(ce, "descrip", {"type": "subjectField"}).text = entry.type.value
        if entry.note:
            ET.SubElement(ce, "note").text = entry.note
        if entry.provenance:
            ET.SubElement(ce, "admin", {"type": "source"}).text = entry.provenance
        for lang, terms in (("en", entry.english), ("ko", entry.korean)):
            if not terms:
                continue
            ls = ET.SubElement(ce, names["lang"], {f"{{{XML_NS}}}lang": lang})
            for t in terms:
                ts = ET.SubElement(ls, names["term"])
                ET.SubElement(ts, "term").text = t.text
                proper = t.part_of_speech == "properNoun"
                ET.SubElement(ts, "termNote", {"type": "partOfSpeech"}).text = "noun" if proper \
                    else t.part_of_speech
                ET.SubElement(ts, "termNote", {"type": "administrativeStatus"}).text = STATUS_TO_TBX[t.status]
                if proper:
                    ET.SubElement(ts, "note").text = PROPER_NOUN_NOTE
                if t.note:
                    ET.SubElement(ts, "note").text = t.note
    ET.indent(root, space="  ")
    return root


def tbx_string(tb: TermBase, version: str = "v3") -> str:
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(to_element(tb, version), encoding="unicode") + "\n"


def write_tbx(tb: TermBase, path: str | Path, version: str = "v3") -> None:
    """Write atomically; the previous file is kept as ``path~``.  ``version``: "v3" (``<tbx>``, the default)
    or "v2" (``<martif>``, for CAT tools that read only TBX v2)."""
    text = tbx_string(tb, version)
    with atomic_write(path, backup=True) as fh:
        fh.write(text)
