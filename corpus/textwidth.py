"""Terminal column widths: Hangul and other East Asian wide characters take two columns.

Padding by code points (``str.ljust``) misaligns a table as soon as a cell holds
Hangul; these helpers pad by display columns instead.
"""
from __future__ import annotations

import unicodedata
from typing import Sequence

_ZERO_WIDTH_CATEGORIES = frozenset({"Mn", "Me", "Cf"})  # combining marks, format characters


def char_width(c: str) -> int:
    """Columns one character takes: 2 for wide/fullwidth, 0 for combining marks, else 1."""
    if unicodedata.category(c) in _ZERO_WIDTH_CATEGORIES or "\u1160" <= c <= "\u11ff":  # medial/final jamo join
        return 0
    return 2 if unicodedata.east_asian_width(c) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes."""
    return sum(char_width(c) for c in text)


def ljust(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def rjust(text: str, width: int) -> str:
    return " " * max(0, width - display_width(text)) + text


def table(rows: Sequence[Sequence[str]], align: str | None = None, sep: str = "  ") -> list[str]:
    """Rows as aligned text lines (``align``: one ``l``/``r`` per column, left by default); the last column
    is not padded."""
    if not rows:
        return []
    n = max(len(r) for r in rows)
    align = align or "l" * n
    widths = [max((display_width(r[k]) for r in rows if k < len(r)), default=0) for k in range(n)]
    out = []
    for r in rows:
        cells = [(rjust if a == "r" else ljust)(c, w) if k < len(r) - 1 or a == "r" else c
                 for k, (c, w, a) in enumerate(zip(r, widths, align))]
        out.append(sep.join(cells).rstrip())
    return out
