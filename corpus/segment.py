"""Sentence segmentation for English and Korean (placeholder: a helper replaces this with the full rules).

The public interface is :func:`split_sentences`, returning ``(start, end)``
character spans of the sentences of one paragraph, whitespace trimmed.
"""
from __future__ import annotations

import re

_END = re.compile(r"[.!?]+[\"'”’)\]]*(?:\[\d+\])*")


def split_sentences(text: str, lang: str = "en") -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (one paragraph) as ``(start, end)`` offsets."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END.finditer(text):
        end = m.end()
        if end < len(text) and not text[end].isspace():
            continue
        _add(text, start, end, spans)
        start = end
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
