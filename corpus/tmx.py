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
from corpus.xliff import clean_unit_text, flatten_inline
from corpus.xmlsafe import XML_NS, local_name, parse_xml

XML_LANG = f"{{{XML_NS}}}lang"
_DROP_TMX = frozenset({"bpt", "ept", "ph", "it", "ut", "sub"})


def read_tmx_units(path: str | Path, encoding: str | None = None) -> tuple[list[tuple[str, str, str]], bool]:
    """``(unit_id, english, korean)`` per ``tu``, and whether any ``tu`` had an English variant."""
    tree = parse_xml(path, encoding)
    root = tree.root
    if local_name(root.tag) != "tmx":
        raise InputError(tree.path, f"not a TMX file: the root element is <{local_name(root.tag)}>",
                         line=tree.line_of(root))
    body = next((c for c in root if local_name(c.tag) == "body"), None)
    if body is None:
        raise InputError(tree.path, "no <body> element in this TMX", line=tree.line_of(root))
    rows: list[tuple[str, str, str]] = []
    languages: set[str] = set()
    any_english = False
    for n, tu in enumerate((c for c in body if local_name(c.tag) == "tu"), start=1):
        texts: dict[str, str] = {}
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
            texts[key] = clean_unit_text(flatten_inline(seg, _DROP_TMX))
        any_english = any_english or "en" in texts
        rows.append((tu.get("tuid") or str(n), texts.get("en", ""), texts.get("ko", "")))
    if not rows:
        raise InputError(tree.path, "no <tu> translation units")
    if not any(ko for _, _, ko in rows):
        found = ", ".join(sorted(languages)) or "none"
        raise InputError(tree.path, f"no Korean (ko) text in any <tu> (languages found: {found})")
    return rows, any_english


def read_tmx_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """A TMX file as a bitext whose paragraphs correspond one to one (one per ``tu``)."""
    rows, any_english = read_tmx_units(path, encoding)
    return rows_to_bitext(str(path), rows, "utf-8", doc_id or doc_id_for(path), with_source=any_english)
