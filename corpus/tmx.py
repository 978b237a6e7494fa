"""TMX (1.1 to 1.4) as review input: one translation unit (``tu``) = one paragraph on both sides.

Each ``tu`` holds variants (``tuv``) in several languages; the English and the
Korean ones are picked by language code prefix (``en``, ``en-US``, ``EN-GB``...;
``ko``, ``ko-KR``...), from ``xml:lang`` or TMX 1.1's ``lang``.  When a ``tu``
has several English (or Korean) variants the first is used.  Inline codes
(``<bpt>``, ``<ept>``, ``<ph>``, ``<it>``, ``<ut>``) are dropped, ``<hi>`` keeps
its text.  A ``tu`` without a Korean variant becomes an empty Korean paragraph;
a file without any English variant is Korean alone.
"""
from __future__ import annotations

from pathlib import Path

from corpus.errors import InputError
from corpus.readers import Bitext, doc_id_for, rows_to_bitext
from corpus.records import InlineCode
from corpus.xliff import clean_unit_text, flatten_inline, take_codes
from corpus.xmlsafe import XML_NS, local_name, parse_xml

XML_LANG = f"{{{XML_NS}}}lang"
_DROP_TMX = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})


def code_tmx(element) -> tuple[str, str] | None:
    """TMX codes: ``<bpt i>`` opens, ``<ept i>`` closes, ``<ph x>``/``<ut>`` stand alone, ``<it pos>``."""
    name = local_name(element.tag)
    ident = element.get("i") or element.get("x") or "?"
    if name == "bpt":
        return "open", ident
    if name == "ept":
        return "close", ident
    if name in ("ph", "ut"):
        return "standalone", element.get("x") or element.get("i") or "?"
    if name == "it":
        return ("close" if element.get("pos") == "end" else "open"), element.get("x") or "?"
    return None


def read_tmx_units(path: str | Path, encoding: str | None = None) -> tuple[list[tuple[str, str, str]], bool]:
    """``(unit_id, english, korean)`` per ``tu``, and whether any ``tu`` had an English variant."""
    rows, any_english, _ = read_tmx_rows(path, encoding)
    return rows, any_english


def read_tmx_rows(path: str | Path, encoding: str | None = None):
    """``read_tmx_units`` plus each row's inline codes ``(english codes, korean codes)``."""
    tree = parse_xml(path, encoding)
    root = tree.root
    if local_name(root.tag) != "tmx":
        raise InputError(tree.path, f"not a TMX file: the root element is <{local_name(root.tag)}>",
                         line=tree.line_of(root))
    body = next((c for c in root if local_name(c.tag) == "body"), None)
    if body is None:
        raise InputError(tree.path, "no <body> element in this TMX", line=tree.line_of(root))
    rows: list[tuple[str, str, str]] = []
    row_codes: list[tuple[list[InlineCode], list[InlineCode]]] = []
    languages: set[str] = set()
    any_english = False
    for n, tu in enumerate((c for c in body if local_name(c.tag) == "tu"), start=1):
        texts: dict[str, str] = {}
        codes: dict[str, list[InlineCode]] = {}
        for tuv in (c for c in tu if local_name(c.tag) == "tuv"):
            lang = (tuv.get(XML_LANG) or tuv.get("lang") or "").strip()
            if not lang:
                raise InputError(tree.path, "<tuv> without xml:lang", line=tree.line_of(tuv))
            languages.add(lang)
            key = lang.lower().split("-")[0].split("_")[0]
            if key not in ("en", "ko") or key in texts:
                continue
            seg = next((c for c in tuv if local_name(c.tag) == "seg"), None)
            if seg is None:
                raise InputError(tree.path, f"<tuv xml:lang={lang!r}> has no <seg>", line=tree.line_of(tuv))
            raw: list[tuple[str, str, str]] = []
            texts[key], codes[key] = take_codes(clean_unit_text(flatten_inline(seg, _DROP_TMX, None, code_tmx, raw)),
                                                raw)
        any_english = any_english or "en" in texts
        rows.append((tu.get("tuid") or str(n), texts.get("en", ""), texts.get("ko", "")))
        row_codes.append((codes.get("en", []), codes.get("ko", [])))
    if not rows:
        raise InputError(tree.path, "no <tu> translation units")
    if not any(ko for _, _, ko in rows):
        found = ", ".join(sorted(languages)) or "none"
        raise InputError(tree.path, f"no Korean (ko) text in any <tu> (languages found: {found})")
    return rows, any_english, row_codes


def read_tmx_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """A TMX file as a bitext whose paragraphs correspond one to one (one per ``tu``)."""
    rows, any_english, codes = read_tmx_rows(path, encoding)
    return rows_to_bitext(str(path), rows, "utf-8", doc_id or doc_id_for(path), with_source=any_english,
                          codes=codes)
