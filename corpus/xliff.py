"""XLIFF 1.2 and 2.x as review input: one translation unit = one paragraph on both sides.

XLIFF 1.2 (also SDLXLIFF): ``file/body/(group)/trans-unit`` with ``source`` and
``target``; ``seg-source`` stands in when a unit has no ``source``.  XLIFF 2.x:
``file/(group)/unit`` made of ``segment`` (``source``, ``target``) and
``ignorable`` parts, joined in order.  Where the file segments a unit into
sentences (1.2 ``seg-source`` with ``<mrk mtype="seg">``, or several 2.x
``segment``s), its segments become the document's sentences.

Inline markup is flattened to the text a reader sees: paired codes that wrap
text (``<g>``, ``<pc>``, ``<mrk>``, TMX ``<hi>``) keep their text; placeholders
and native codes (``<x/>``, ``<ph>``, ``<bpt>``/``<ept>``, ``<it>``, ``<sc/>``,
``<ec/>``...) are dropped, since their content is markup, not words.  A unit
without a target becomes an empty Korean paragraph (the checks report it).
Units marked ``translate="no"`` are left out.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

from corpus.errors import InputError
from corpus.limits import LimitError, char_from_code_point
from corpus.readers import Bitext, doc_id_for, rows_to_bitext
from corpus.records import InlineCode
from corpus.xmlsafe import XML_NS, XmlTree, local_name, namespace, parse_xml

XLIFF12_NS = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF2_NS = "urn:oasis:names:tc:xliff:document:2.0"  # XLIFF 2.0, 2.1 and 2.2 share it

# Inline elements whose content is markup (native codes, placeholders), not text.
_DROP_12 = frozenset({"x", "bx", "ex", "ph", "bpt", "ept", "it", "sub"})
_DROP_2 = frozenset({"ph", "sc", "ec", "sm", "em"})
# SDL Trados track changes: deleted text is not part of the translation.
_DELETED_MRK_TYPES = frozenset({"x-sdl-deleted"})

_SPACE_RUN = re.compile(r"\s*\n\s*")
XML_SPACE = f"{{{XML_NS}}}space"


CodeSpec = Callable[[ET.Element], "tuple[str, str] | None"]
"""For an inline element: ``(kind, id)`` when it is a code to keep (kind ``open``, ``close``,
``standalone``, or ``pair`` for a code that wraps text, e.g. ``<g>``/``<pc>``), else ``None``."""

_SENTINEL_BASE = 0xF0000  # Supplementary Private Use Area-A: marks where a code was, until the text is cleaned


def flatten_inline(element: ET.Element, drop: frozenset[str],
                   convert: Callable[[ET.Element], str | None] | None = None,
                   code_of: CodeSpec | None = None, codes: list[tuple[str, str, str]] | None = None) -> str:
    """The text of ``element`` with inline markup flattened (see the module docstring).

    ``convert`` may return the text for an element (e.g. XLIFF 2 ``<cp hex=.../>``),
    or ``None`` to fall back on the default handling.  With ``code_of`` and ``codes``, every
    inline code leaves a sentinel character where it stood and its ``(kind, id, element name)``
    in ``codes``; :func:`take_codes` turns them into offsets once the text is final.
    """
    parts: list[str] = [element.text or ""]
    for child in element:
        name = local_name(child.tag)
        special = convert(child) if convert else None
        code = code_of(child) if code_of is not None and codes is not None and special is None else None
        if special is not None:
            parts.append(special)
        elif code is not None:
            kind, code_id = code
            if kind == "pair":
                codes.append(("open", code_id, name))
                parts.append(chr(_SENTINEL_BASE + len(codes) - 1))
                parts.append(flatten_inline(child, drop, convert, code_of, codes))
                codes.append(("close", code_id, name))
            else:
                codes.append((kind, code_id, name))
            parts.append(chr(_SENTINEL_BASE + len(codes) - 1))
        elif name not in drop:
            parts.append(flatten_inline(child, drop, convert, code_of, codes))
        parts.append(child.tail or "")
    return "".join(parts)


def take_codes(text: str, codes: list[tuple[str, str, str]]) -> tuple[str, list[InlineCode]]:
    """``text`` without the sentinels :func:`flatten_inline` left, and the codes at their offsets in it."""
    out: list[str] = []
    found: list[InlineCode] = []
    pos = 0
    for c in text:
        k = ord(c) - _SENTINEL_BASE
        if 0 <= k < len(codes):
            kind, code_id, name = codes[k]
            found.append(InlineCode(kind, code_id, pos, name))
        else:
            out.append(c)
            pos += 1
    return "".join(out), found


def code_12(element: ET.Element) -> tuple[str, str] | None:
    """XLIFF 1.2 codes: ``<g>`` wraps text; ``<x/>``, ``<ph>`` stand alone; ``<bx/>``/``<bpt>`` open and
    ``<ex/>``/``<ept>`` close (paired by ``rid``, else ``id``); ``<it pos=open|close>``."""
    name = local_name(element.tag)
    ident = element.get("rid") or element.get("id") or "?"
    if name == "g":
        return "pair", ident
    if name in ("x", "ph"):
        return "standalone", element.get("id") or "?"
    if name in ("bx", "bpt"):
        return "open", ident
    if name in ("ex", "ept"):
        return "close", ident
    if name == "it":
        return ("close" if element.get("pos") == "close" else "open"), element.get("id") or "?"
    return None


def code_2(element: ET.Element) -> tuple[str, str] | None:
    """XLIFF 2 codes: ``<pc>`` wraps text, ``<ph/>`` stands alone, ``<sc/>`` opens, ``<ec/>`` closes
    (``startRef``); annotations (``<mrk>``, ``<sm/>``, ``<em/>``) are not codes."""
    name = local_name(element.tag)
    if name == "pc":
        return "pair", element.get("id") or "?"
    if name == "ph":
        return "standalone", element.get("id") or "?"
    if name == "sc":
        return "open", element.get("id") or "?"
    if name == "ec":
        return "close", element.get("startRef") or element.get("id") or "?"
    return None


def clean_unit_text(text: str, preserve: bool = False) -> str:
    """One unit is one paragraph: line breaks inside it become single spaces, unless the file
    says ``xml:space="preserve"`` (then the text is kept exactly as written)."""
    return text if preserve else _SPACE_RUN.sub(" ", text).strip()


def _preserved(*elements: ET.Element | None) -> bool:
    """Whether ``xml:space="preserve"`` is set on any of ``elements`` (an element and its ancestors)."""
    return any(e is not None and e.get(XML_SPACE) == "preserve" for e in elements)


def _convert_12(element: ET.Element) -> str | None:
    if local_name(element.tag) == "mrk" and element.get("mtype") in _DELETED_MRK_TYPES:
        return ""
    return None


def _converter_2(tree: XmlTree) -> Callable[[ET.Element], str | None]:
    """XLIFF 2 ``<cp hex="..."/>``: the character it stands for; one beyond Unicode or a surrogate is an error."""
    def convert(element: ET.Element) -> str | None:
        if local_name(element.tag) != "cp":
            return None
        try:
            return char_from_code_point(element.get("hex", ""))
        except LimitError as e:
            raise InputError(tree.path, f"<cp hex={element.get('hex', '')[:20]!r}/>: {e}",
                             line=tree.line_of(element)) from None
    return convert


def _children(element: ET.Element, name: str, ns: str) -> list[ET.Element]:
    return [c for c in element if local_name(c.tag) == name and namespace(c.tag) == ns]


def _check_lang(tree: XmlTree, element: ET.Element, attr: str, expected: str, what: str) -> None:
    value = element.get(attr)
    if value and not value.lower().startswith(expected):
        raise InputError(tree.path, f"{attr}={value!r}: mtreview reviews {what} (language code {expected!r})",
                         line=tree.line_of(element))


Row = tuple[tuple[str, str, str], tuple[list[str] | None, list[str] | None],
            tuple[list[InlineCode], list[InlineCode]]]
"""``((unit_id, english, korean), (english sentences, korean sentences), (english codes, korean codes))``;
sentences ``None`` where the file does not segment the unit; codes at their offsets in the unit's text."""


def _units_12(tree: XmlTree, ns: str) -> list[Row]:
    rows: list[Row] = []
    files = _children(tree.root, "file", ns)
    if not files:
        raise InputError(tree.path, "no <file> element in this XLIFF", line=tree.line_of(tree.root))
    for file_no, file_el in enumerate(files, start=1):
        _check_lang(tree, file_el, "source-language", "en", "translations from English")
        _check_lang(tree, file_el, "target-language", "ko", "Korean translations")
        prefix = f"{file_el.get('original') or file_no}#" if len(files) > 1 else ""
        for n, unit in enumerate((u for u in file_el.iter(f"{{{ns}}}trans-unit" if ns else "trans-unit")),
                                 start=1):
            if unit.get("translate", "yes").lower() == "no":
                continue
            sources = _children(unit, "source", ns) or _children(unit, "seg-source", ns)
            if not sources:
                raise InputError(tree.path, f"trans-unit {unit.get('id', n)!r} has no <source>",
                                 line=tree.line_of(unit))
            targets = _children(unit, "target", ns)
            keep_src = _preserved(tree.root, file_el, unit, sources[0])
            keep_tgt = bool(targets) and _preserved(tree.root, file_el, unit, targets[0])
            src_raw: list[tuple[str, str, str]] = []
            tgt_raw: list[tuple[str, str, str]] = []
            src, src_codes = take_codes(clean_unit_text(
                flatten_inline(sources[0], _DROP_12, _convert_12, code_12, src_raw), keep_src), src_raw)
            tgt, tgt_codes = take_codes(clean_unit_text(
                flatten_inline(targets[0], _DROP_12, _convert_12, code_12, tgt_raw), keep_tgt), tgt_raw) \
                if targets else ("", [])
            seg_source = _children(unit, "seg-source", ns)
            sentences = (_seg_marks(seg_source[0], keep_src), _seg_marks(targets[0], keep_tgt) if targets else None) \
                if seg_source else (None, None)
            rows.append(((prefix + unit.get("id", str(n)), src, tgt), sentences, (src_codes, tgt_codes)))
    return rows


def _seg_marks(element: ET.Element, preserve: bool) -> list[str] | None:
    """The texts of the ``<mrk mtype="seg">`` segments inside ``element`` (XLIFF 1.2 segmentation)."""
    marks = [m for m in element.iter() if local_name(m.tag) == "mrk" and m.get("mtype") == "seg"]
    return [clean_unit_text(flatten_inline(m, _DROP_12, _convert_12), preserve) for m in marks] or None


def _join_parts(parts: list[tuple[str, bool]]) -> str:
    """Join a unit's segment and ignorable texts; two segments with nothing between get a space."""
    out = ""
    prev_segment = False
    for text, is_segment in parts:
        if is_segment and prev_segment and out and text and not out[-1].isspace() and not text[0].isspace():
            out += " "
        out += text
        prev_segment = is_segment
    return out


def _units_2(tree: XmlTree, ns: str) -> list[Row]:
    _check_lang(tree, tree.root, "srcLang", "en", "translations from English")
    _check_lang(tree, tree.root, "trgLang", "ko", "Korean translations")
    rows: list[Row] = []
    _convert_2 = _converter_2(tree)
    files = _children(tree.root, "file", ns)
    if not files:
        raise InputError(tree.path, "no <file> element in this XLIFF", line=tree.line_of(tree.root))
    for file_no, file_el in enumerate(files, start=1):
        prefix = f"{file_el.get('id') or file_no}#" if len(files) > 1 else ""
        for n, unit in enumerate(file_el.iter(f"{{{ns}}}unit"), start=1):
            if unit.get("translate", "yes").lower() == "no":
                continue
            src_parts: list[tuple[str, bool]] = []
            tgt_parts: list[tuple[str, bool]] = []
            src_raw: list[tuple[str, str, str]] = []
            tgt_raw: list[tuple[str, str, str]] = []
            n_segments = 0
            keep_src = keep_tgt = _preserved(tree.root, file_el, unit)
            for part in unit:
                kind = local_name(part.tag)
                if namespace(part.tag) != ns or kind not in ("segment", "ignorable"):
                    continue
                sources = _children(part, "source", ns)
                if not sources:
                    raise InputError(tree.path, f"{kind} in unit {unit.get('id', n)!r} has no <source>",
                                     line=tree.line_of(part))
                targets = _children(part, "target", ns)
                is_segment = kind == "segment"
                n_segments += is_segment
                src_parts.append((flatten_inline(sources[0], _DROP_2, _convert_2, code_2, src_raw), is_segment))
                keep_src = keep_src or _preserved(part, sources[0])
                if targets:
                    keep_tgt = keep_tgt or _preserved(part, targets[0])
                    tgt_parts.append((flatten_inline(targets[0], _DROP_2, _convert_2, code_2, tgt_raw), is_segment))
                elif kind == "ignorable":
                    # An ignorable without target is copied as is (it is whitespace or markup-like text).
                    tgt_parts.append((src_parts[-1][0], False))
            if not n_segments:
                raise InputError(tree.path, f"unit {unit.get('id', n)!r} has no <segment>", line=tree.line_of(unit))
            has_target = any(is_seg for _, is_seg in tgt_parts)
            src_text, src_codes = take_codes(clean_unit_text(_join_parts(src_parts), keep_src), src_raw)
            tgt_text, tgt_codes = take_codes(clean_unit_text(_join_parts(tgt_parts), keep_tgt), tgt_raw) \
                if has_target else ("", [])
            row = (prefix + unit.get("id", str(n)), src_text, tgt_text)
            src_parts = [(take_codes(t, src_raw)[0], s) for t, s in src_parts]
            tgt_parts = [(take_codes(t, tgt_raw)[0], s) for t, s in tgt_parts]
            # Several segments in a unit are the file's sentence segmentation; one may be a whole paragraph.
            sentences: tuple[list[str] | None, list[str] | None] = (None, None)
            if n_segments > 1:
                sentences = ([clean_unit_text(t, keep_src) for t, is_seg in src_parts if is_seg],
                             [clean_unit_text(t, keep_tgt) for t, is_seg in tgt_parts if is_seg]
                             if has_target else None)
            rows.append((row, sentences, (src_codes, tgt_codes)))
    return rows


def read_xliff_rows(path: str | Path, encoding: str | None = None) -> list[Row]:
    """Every translatable unit of an XLIFF 1.x or 2.x file, with the file's own segmentation."""
    tree = parse_xml(path, encoding)
    root = tree.root
    ns = namespace(root.tag)
    if local_name(root.tag) != "xliff":
        raise InputError(tree.path, f"not an XLIFF file: the root element is <{local_name(root.tag)}>",
                         line=tree.line_of(root))
    version = root.get("version", "")
    if ns == XLIFF2_NS or version.startswith("2"):
        return _units_2(tree, ns)
    if ns in (XLIFF12_NS, "") or version.startswith("1"):
        return _units_12(tree, ns)
    raise InputError(tree.path, f"unknown XLIFF namespace {ns!r} (version {version!r})", line=tree.line_of(root))


def read_xliff_units(path: str | Path, encoding: str | None = None) -> list[tuple[str, str, str]]:
    """``(unit_id, english, korean)`` for every translatable unit of an XLIFF 1.x or 2.x file."""
    return [row for row, _, _ in read_xliff_rows(path, encoding)]


def read_xliff_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """An XLIFF file as a bitext whose paragraphs correspond one to one (one per unit).

    Where the file segments a unit into sentences (XLIFF 1.2 ``seg-source``, or several
    XLIFF 2 ``segment``s), those are the document's sentences; elsewhere the splitter decides.
    """
    units = read_xliff_rows(path, encoding)
    rows = [row for row, _, _ in units]
    if not rows:
        raise InputError(str(path), "no translatable units")
    if not any(tgt for _, _, tgt in rows):
        raise InputError(str(path), f"none of its {len(rows)} units has a Korean target")
    return rows_to_bitext(str(path), rows, "utf-8", doc_id or doc_id_for(path),
                          sentences=[sentences for _, sentences, _ in units], codes=[codes for _, _, codes in units])
