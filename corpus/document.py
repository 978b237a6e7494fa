"""Turning decoded text into a :class:`~corpus.records.Document`: paragraphs, headings, sentences."""
from __future__ import annotations

import re

from corpus.records import Document, Paragraph, Segment
from corpus.segment import split_sentences

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# A line opening a list item: a bullet, or a numbered reference ("12. ^ Smith 2005").
_LIST_ITEM = re.compile(r"\s*(?:[•·▪‣◦*\-]\s|\d{1,4}\.\s+\^)")
_SENTENCE_FINAL = tuple(".!?。…\"'”’)]:;")
HEADING_MAX_CHARS = 80


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraph spans of a whole file.

    Blocks are separated by blank lines.  Inside a block, every line is a
    paragraph of its own (titles, captions, one-paragraph-per-line files),
    unless the block looks hard-wrapped: all lines but the last long and not
    ending a sentence, in which case the block is one paragraph.  A line that
    opens a list item (a bullet, a numbered reference) always starts a new paragraph.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    blocks: list[tuple[int, int]] = []
    for m in _BLANK_LINES.finditer(text):
        blocks.append((pos, m.start()))
        pos = m.end()
    blocks.append((pos, len(text)))
    for b_start, b_end in blocks:
        lines: list[tuple[int, int]] = []
        line_start = b_start
        for i in range(b_start, b_end + 1):
            if i == b_end or text[i] == "\n":
                s, e = _trim(text, line_start, i)
                if e > s:
                    lines.append((s, e))
                line_start = i + 1
        if not lines:
            continue
        wrapped = len(lines) > 1 and all(
            e - s >= 40 and not text[s:e].endswith(_SENTENCE_FINAL) for s, e in lines[:-1]) \
            and not any(_LIST_ITEM.match(text, s) for s, _ in lines[1:])
        spans.extend([(lines[0][0], lines[-1][1])] if wrapped else lines)
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def looks_like_heading(paragraph_text: str, n_sentences: int) -> bool:
    """A short one-sentence line without sentence-final punctuation ("Early career", "경력초기").

    List items (bullets, numbered references such as "71. ^ Kochanski 2012, 페이지") are not headings.
    """
    t = paragraph_text.strip()
    return n_sentences == 1 and len(t) <= HEADING_MAX_CHARS and not t.endswith(_SENTENCE_FINAL) \
        and not re.search(r"\[\d+\]$", t) and not _LIST_ITEM.match(t)


def build_paragraph(text: str, start: int, end: int, index: int, first_segment: int, lang: str,
                    detect_heading: bool = True, sentences: list[tuple[int, int]] | None = None) -> Paragraph:
    """One paragraph covering ``text[start:end]``, segmented into sentences.

    ``sentences`` (offsets relative to ``start``) replaces the sentence splitter, for inputs
    that come already segmented (an XLIFF file's segments).
    """
    spans = split_sentences(text[start:end], lang) if sentences is None else sentences
    segs = tuple(
        Segment(first_segment + k, index, start + s, start + e, text[start + s:start + e])
        for k, (s, e) in enumerate(spans))
    heading = detect_heading and looks_like_heading(text[start:end], len(segs))
    return Paragraph(index, start, end, segs, heading)


def build_document(text: str, lang: str, doc_id: str = "doc", path: str = "", encoding: str = "utf-8",
                   spans: list[tuple[int, int]] | None = None,
                   sentences: list[list[tuple[int, int]] | None] | None = None) -> Document:
    """Split ``text`` into paragraphs (``spans`` if given, else :func:`paragraph_spans`) and sentences.

    ``sentences[i]``, when given and not ``None``, holds paragraph i's sentence spans (offsets
    into ``text``) and replaces the sentence splitter for that paragraph.
    """
    paragraphs: list[Paragraph] = []
    n_segments = 0
    for index, (start, end) in enumerate(paragraph_spans(text) if spans is None else spans):
        given = sentences[index] if sentences is not None and index < len(sentences) else None
        relative = [(s - start, e - start) for s, e in given] if given is not None else None
        p = build_paragraph(text, start, end, index, n_segments, lang, sentences=relative)
        paragraphs.append(p)
        n_segments += len(p.segments)
    return Document(doc_id, lang, text, tuple(paragraphs), path, encoding)
