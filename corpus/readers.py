"""Readers for the inputs mtreview reviews: text-file pairs, TSV bitexts, JSONL bitexts.

Every reader returns a :class:`Bitext`: an English source document (``None``
when there is no English at all), a Korean target document, and whether their
paragraphs already correspond one to one (rows of a TSV or JSONL bitext do;
two free-running text files do not, and the aligner pairs them).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from corpus.document import build_document
from corpus.errors import InputError
from corpus.limits import json_line
from corpus.records import Document, InlineCode
from corpus.textio import read_text, require_korean, require_not_korean


XLIFF_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".mqxliff")
TMX_SUFFIXES = (".tmx",)
PO_SUFFIXES = (".po", ".pot")
PLAIN_TEXT_SUFFIXES = ("", ".txt", ".text", ".md", ".ko", ".kor", ".en", ".eng")
"""Suffixes read as plain text; any other suffix that is not a known bitext format is refused."""
SUPPORTED_FORMATS = ("plain text (.txt), a .tsv or .jsonl bitext, XLIFF 1.2/2.x (.xlf, .xliff, .sdlxliff, "
                     ".mqxliff), TMX (.tmx), gettext PO (.po)")


@dataclass(frozen=True)
class Bitext:
    """An English document and its Korean translation, ready to align."""

    doc_id: str
    source: Document | None
    target: Document
    paired_paragraphs: bool = False
    unit_ids: tuple[str, ...] = ()
    """For row-based bitexts: the id of each row (paragraph), in order."""


def doc_id_for(path: str | Path) -> str:
    """A document id from a file name: ``maisky.ko.txt`` -> ``maisky``."""
    name = Path(path).name
    for suffix in (".txt", ".tsv", ".jsonl", ".json") + XLIFF_SUFFIXES + TMX_SUFFIXES + PO_SUFFIXES + (".xml",):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    for lang in (".ko", ".en", ".kor", ".eng"):
        if name.endswith(lang):
            name = name[: -len(lang)]
    return name or "doc"


def read_document(path: str | Path, lang: str, encoding: str | None = None, doc_id: str | None = None) -> Document:
    """Read one plain-text file: paragraphs separated by blank lines, or one per line."""
    text, enc = read_text(path, encoding)
    if lang == "ko":
        require_korean(text, str(path))
    elif lang == "en":
        require_not_korean(text, str(path))
    return build_document(text, lang, doc_id or doc_id_for(path), str(path), enc)


def read_text_pair(source: str | Path | None, target: str | Path, encoding: str | None = None,
                   doc_id: str | None = None) -> Bitext:
    """Read an English file and its Korean translation (``source`` may be ``None``)."""
    doc_id = doc_id or doc_id_for(target)
    tgt = read_document(target, "ko", encoding, doc_id)
    src = read_document(source, "en", encoding, doc_id) if source is not None else None
    return Bitext(doc_id, src, tgt, paired_paragraphs=False)


def locate_sentences(paragraph: str, sentences: list[str] | None) -> list[tuple[int, int]] | None:
    """Offsets of ``sentences`` found in order in ``paragraph``; ``None`` if one is missing or none given."""
    if not sentences:
        return None
    spans, pos = [], 0
    for sentence in sentences:
        if not sentence:
            continue
        found = paragraph.find(sentence, pos)
        if found < 0:
            return None
        spans.append((found, found + len(sentence)))
        pos = found + len(sentence)
    return spans or None


def rows_to_bitext(path: str, rows: list[tuple[str, str, str]], enc: str, doc_id: str,
                   with_source: bool = True,
                   sentences: list[tuple[list[str] | None, list[str] | None]] | None = None,
                   codes: list[tuple[list[InlineCode], list[InlineCode]]] | None = None) -> Bitext:
    """Build the two documents of a row-based bitext: row i is paragraph i on both sides.

    ``rows`` are ``(unit_id, english, korean)``; an empty cell is an empty paragraph
    (an omission or addition for the checks).  With ``with_source=False`` the English
    cells are ignored and the bitext is Korean alone.  ``sentences[i]``, if given, holds
    row i's sentences ``(english, korean)`` as the input file segmented them (``None``:
    let the sentence splitter do it); they must appear in order in the row's text.
    """
    def side(texts: list[str], lang: str, given: list[list[str] | None]) -> Document:
        spans, pos, parts, sentence_spans = [], 0, [], []
        for t, sents in zip(texts, given):
            spans.append((pos, pos + len(t)))
            located = locate_sentences(t, sents)
            sentence_spans.append([(pos + s, pos + e) for s, e in located] if located else None)
            parts.append(t)
            pos += len(t) + 1
        return build_document("\n".join(parts), lang, doc_id, path, enc, spans=spans, sentences=sentence_spans)

    given_src = [s[0] for s in sentences] if sentences else [None] * len(rows)
    given_tgt = [s[1] for s in sentences] if sentences else [None] * len(rows)
    target_text = "\n".join(r[2] for r in rows)
    require_korean(target_text, path)
    source = side([r[1] for r in rows], "en", given_src) if with_source else None
    target = side([r[2] for r in rows], "ko", given_tgt)
    if codes and any(s or t for s, t in codes):  # row-relative offsets -> offsets in the document text
        def placed(doc: Document, which: int) -> tuple[InlineCode, ...]:
            return tuple(replace(c, offset=para.start + c.offset)
                         for para, row_codes in zip(doc.paragraphs, codes) for c in row_codes[which])
        target = replace(target, inline_codes=placed(target, 1))
        if source is not None:
            source = replace(source, inline_codes=placed(source, 0))
    return Bitext(doc_id, source, target, paired_paragraphs=with_source, unit_ids=tuple(r[0] for r in rows))


_rows_to_bitext = rows_to_bitext  # the earlier private name


def _clean_cell(text: str) -> str:
    # A row is one paragraph: newlines inside a cell would break the row/paragraph correspondence.
    return " ".join(text.split("\n")).strip()


def read_tsv_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """A two-column TSV: English<TAB>Korean per line.  A header ``src\\ttgt`` (or ``en\\tko``) is skipped."""
    text, enc = read_text(path, encoding)
    rows: list[tuple[str, str, str]] = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        cells = line.split("\t")
        if len(cells) != 2:
            raise InputError(str(path), f"expected 2 tab-separated columns (English, Korean), found {len(cells)}: "
                                        f"{line[:60]!r}", line=line_no)
        if not rows and [c.strip().lower() for c in cells] in (["src", "tgt"], ["en", "ko"], ["source", "target"]):
            continue
        rows.append((f"{line_no}", _clean_cell(cells[0]), _clean_cell(cells[1])))
    if not rows:
        raise InputError(str(path), "no rows")
    return _rows_to_bitext(str(path), rows, enc, doc_id or doc_id_for(path))


def _as_text(value: Any, path: str, line_no: int, key: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return " ".join(v.strip() for v in value)
    raise InputError(path, f"{key!r} must be a string or a list of strings, got {type(value).__name__}",
                     line=line_no)


def read_jsonl_records(path: str | Path, encoding: str | None = None,
                       required: tuple[str, ...] = ("src", "tgt")) -> list[tuple[int, dict[str, Any]]]:
    """Parse a JSONL file into ``(line_no, record)`` pairs; extra keys are kept, never rejected.

    Records without an ``id`` and without the required keys (a header) are skipped.
    """
    text, _ = read_text(path, encoding)
    out = []
    for line_no, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        rec = json_line(line, str(path), line_no)
        if not isinstance(rec, dict):
            raise InputError(str(path), f"expected a JSON object, got {type(rec).__name__}", line=line_no)
        if "id" not in rec and not any(k in rec for k in required):
            continue  # a header record
        out.append((line_no, rec))
    if not out:
        raise InputError(str(path), "no records")
    return out


def read_jsonl_bitext(path: str | Path, encoding: str | None = None, doc_id: str | None = None) -> Bitext:
    """A JSONL bitext: one object per line with ``src`` and ``tgt`` (strings or lists of segments)."""
    rows = []
    for line_no, rec in read_jsonl_records(path, encoding):
        for key in ("src", "tgt"):
            if key not in rec:
                raise InputError(str(path), f"record has no {key!r}", line=line_no)
        rows.append((str(rec.get("id", line_no)),
                     _clean_cell(_as_text(rec["src"], str(path), line_no, "src")),
                     _clean_cell(_as_text(rec["tgt"], str(path), line_no, "tgt"))))
    return _rows_to_bitext(str(path), rows, "utf-8", doc_id or doc_id_for(path))


def read_bitext(source: str | Path | None, target: str | Path | None = None, encoding: str | None = None,
                doc_id: str | None = None) -> Bitext:
    """Read any supported input: one ``.tsv``, ``.jsonl``, XLIFF or TMX bitext, or a pair of text files.

    A lone file with another suffix (``.xml``...) whose root element is ``<xliff>``
    or ``<tmx>`` is read as such; any other lone file is Korean with no English.
    """
    if target is None:
        if source is None:
            raise InputError("-", "no input given")
        suffix = Path(source).suffix.lower()
        if suffix == ".tsv":
            return read_tsv_bitext(source, encoding, doc_id)
        if suffix in (".jsonl", ".json"):
            return read_jsonl_bitext(source, encoding, doc_id)
        if suffix in PO_SUFFIXES:
            from corpus.po import read_po_bitext
            return read_po_bitext(source, encoding, doc_id)
        root = None
        if suffix not in XLIFF_SUFFIXES + TMX_SUFFIXES + (".txt",):
            from corpus.xmlsafe import sniff_root
            root = sniff_root(source)
        if suffix in XLIFF_SUFFIXES or root == "xliff":
            from corpus.xliff import read_xliff_bitext
            return read_xliff_bitext(source, encoding, doc_id)
        if suffix in TMX_SUFFIXES or root == "tmx":
            from corpus.tmx import read_tmx_bitext
            return read_tmx_bitext(source, encoding, doc_id)
        require_plain_text(source, root if _starts_like_xml(source) else None)
        # A lone text file is Korean with no English source.
        return read_text_pair(None, source, encoding, doc_id)
    for path in (source, target):
        if path is not None:
            require_plain_text(path)
    return read_text_pair(source, target, encoding, doc_id)


def _starts_like_xml(path: str | Path) -> bool:
    """Whether the file begins (after a BOM and white space) with ``<``, as an XML document does."""
    from corpus.xmlsafe import read_head

    head = read_head(path, 64)
    if head is None:
        return False
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    return head.replace(b"\x00", b"").lstrip().startswith(b"<")


def require_plain_text(path: str | Path, root: str | None = None) -> None:
    """Refuse a file mtreview cannot read (a .docx, .pdf, an XML that is neither XLIFF nor TMX...) with a
    clear "unsupported format" error, rather than reading it as Korean text."""
    suffix = Path(path).suffix.lower()
    if root is not None:
        raise InputError(str(path), f"unsupported format: an XML file whose root element is <{root}> "
                                    f"(mtreview reads {SUPPORTED_FORMATS})")
    if suffix not in PLAIN_TEXT_SUFFIXES:
        what = {".tsv": "a .tsv bitext is read alone, not as one side of a pair",
                ".jsonl": "a .jsonl bitext is read alone, not as one side of a pair"}.get(suffix)
        if what is None and suffix in XLIFF_SUFFIXES + TMX_SUFFIXES + PO_SUFFIXES:
            what = f"a {suffix} file holds both languages: give it alone"
        raise InputError(str(path), f"unsupported format {suffix!r}: " + (what or f"mtreview reads "
                                                                                 f"{SUPPORTED_FORMATS}"))
