"""Safe XML parsing for the exchange formats (XLIFF, TMX), with line numbers.

The files come from outside (CAT tools, vendors), so entity declarations are
refused outright: no internal entity can expand (billion laughs) and no
external entity or DTD is ever fetched (XXE).  A plain ``<!DOCTYPE tmx SYSTEM
"tmx14.dtd">``, which many TMX exports carry, is accepted and ignored.

The tree is built from :mod:`xml.parsers.expat` events into ordinary
:class:`xml.etree.ElementTree.Element` objects, so callers use the usual
ElementTree API; :meth:`XmlTree.line_of` gives the line where an element starts,
for error messages.
"""
from __future__ import annotations

import codecs
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from corpus.errors import InputError
from corpus.limits import MAX_XML_DEPTH, text_codec
from corpus.textio import ENCODING_ALIASES, read_input_bytes

XML_NS = "http://www.w3.org/XML/1998/namespace"
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")


@dataclass
class XmlTree:
    """A parsed XML file: its root element and where each element starts."""

    path: str
    root: ET.Element
    _lines: dict[int, int] = field(default_factory=dict, repr=False)

    def line_of(self, element: ET.Element) -> int | None:
        return self._lines.get(id(element))


def local_name(tag: str) -> str:
    """``{urn:...}unit`` -> ``unit``."""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    """``{urn:...}unit`` -> ``urn:...`` ("" when the tag has no namespace)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def decode_xml(data: bytes, path: str, encoding: str | None = None) -> str:
    """Bytes to text: ``encoding`` if given, else a BOM, else the XML declaration, else UTF-8."""
    if encoding:
        enc = ENCODING_ALIASES.get(encoding.lower(), encoding)
    elif data.startswith(codecs.BOM_UTF8):
        enc = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        enc = "utf-16"
    else:
        m = _DECLARED_ENCODING.match(data)
        enc = m.group(1).decode("ascii") if m else "utf-8"
        enc = ENCODING_ALIASES.get(enc.lower(), enc)
        if enc.lower().replace("_", "-") in ("utf-8", "utf8"):
            enc = "utf-8"
    text_codec(enc, path)
    try:
        return data.decode(enc)
    except UnicodeDecodeError as e:
        line = data[: e.start].decode(enc, errors="replace").count("\n") + 1
        raise InputError(path, f"undecodable bytes {data[e.start:e.start + 4]!r} as {enc}",
                         line=line, offset=e.start) from None


def check_depth(depth: int, name: str, parser: expat.XMLParserType) -> None:
    """Refuse elements nested deeper than :data:`~corpus.limits.MAX_XML_DEPTH` (recursion bombs)."""
    if depth > MAX_XML_DEPTH:
        raise InputError(name, f"elements nested more than {MAX_XML_DEPTH} deep (column "
                               f"{parser.CurrentColumnNumber + 1})", line=parser.CurrentLineNumber)


def refuse_entities(parser: expat.XMLParserType, name: str) -> None:
    """Make ``parser`` refuse entity declarations, external entities and undefined entities (see above)."""
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse_entity(entity_name: str, *_args: object) -> None:
        raise InputError(name, f"entity declaration {entity_name!r} refused: XML entities are not allowed "
                               "in review input (they can expand without bound or read other files)",
                         line=parser.CurrentLineNumber)

    def refuse_external(*_args: object) -> int:
        raise InputError(name, "external entity reference refused", line=parser.CurrentLineNumber)

    def refuse_skipped(entity_name: str, is_parameter: bool) -> None:
        # With an external DTD that is (deliberately) never read, expat skips its entities silently.
        raise InputError(name, f"entity &{entity_name}; is not defined in the file (external DTDs are not read; "
                               "write the character itself or a numeric reference)", line=parser.CurrentLineNumber)

    parser.EntityDeclHandler = refuse_entity
    parser.UnparsedEntityDeclHandler = refuse_entity
    parser.ExternalEntityRefHandler = refuse_external
    parser.SkippedEntityHandler = refuse_skipped


def parse_xml(path: str | Path, encoding: str | None = None) -> XmlTree:
    """Parse an XML file safely; any problem is an :class:`InputError` naming file, line and problem."""
    name = str(path)
    data = read_input_bytes(path)
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise InputError(name, "the file is empty")
    text = decode_xml(data, name, encoding)

    # The text is already decoded: expat reads it as UTF-8 whatever the declaration says.
    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator="}")
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}

    def qualify(name: str) -> str:
        return "{" + name if "}" in name else name

    depth = 0

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        check_depth(depth, name, parser)
        element = builder.start(qualify(tag), {qualify(k): v for k, v in attrs.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def end(tag: str) -> None:
        nonlocal depth
        depth -= 1
        builder.end(qualify(tag))

    refuse_entities(parser, name)
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = builder.data
    parser.buffer_text = True
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as e:
        problem = expat.ErrorString(e.code)
        raise InputError(name, f"malformed XML: {problem} (column {e.offset + 1})", line=e.lineno) from None
    root = builder.close()
    return XmlTree(name, root, lines)


def read_head(path: str | Path, size: int) -> bytes | None:
    """The first ``size`` bytes of a regular file, or ``None`` (not a regular file, or unreadable).

    A FIFO can be read once only, and opening one may wait for a writer: only regular files are sniffed.
    """
    if not Path(path).is_file():
        return None
    try:
        with open(path, "rb") as fh:
            return fh.read(size)
    except OSError:
        return None


def sniff_root(path: str | Path) -> str | None:
    """The local name of the root element (``xliff``, ``tmx``...), from the first 4 KB; ``None`` if unsure."""
    head = read_head(path, 4096)
    if head is None:
        return None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    # Skip the declaration, comments, processing instructions and DOCTYPE.
    body = re.sub(rb"<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>", b"", head, flags=re.S)
    m = re.search(rb"<([A-Za-z_][\w.:-]*)", body)
    if not m:
        return None
    return m.group(1).decode("ascii", errors="ignore").split(":")[-1].lower()
