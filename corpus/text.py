"""Text knowledge every layer shares: Hangul script ranges and the headings that open a references section.

The one place that says what counts as Hangul (precomposed syllables, conjoining jamo, compatibility
jamo) and which headings start the references / bibliography part of a document, so that segmenting,
name discovery and the checks agree.  Jamo tables (decomposition, distances) live in glossary.jamo.
"""
from __future__ import annotations

import re

HANGUL_SYLLABLES = "\uac00-\ud7a3"
"""Precomposed Hangul syllables (가..힣), as a regex character-class range."""
HANGUL_LETTERS = "\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f"
"""Syllables, conjoining jamo (U+1100..U+11FF) and compatibility jamo (U+3130..U+318F), as regex ranges."""
HANGUL_RANGES = ((0xAC00, 0xD7A3), (0x1100, 0x11FF), (0x3130, 0x318F))

HANGUL_RE = re.compile(f"[{HANGUL_LETTERS}]")
HANGUL_WORD_RE = re.compile(f"[{HANGUL_SYLLABLES}]+")


def is_hangul_syllable(ch: str) -> bool:
    """A precomposed Hangul syllable (가..힣)."""
    return "\uac00" <= ch <= "\ud7a3"


def is_hangul(ch: str) -> bool:
    """Any Hangul letter: a syllable, or a conjoining or compatibility jamo."""
    o = ord(ch)
    return 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F


def has_hangul_syllable(text: str) -> bool:
    """Whether ``text`` holds at least one precomposed Hangul syllable."""
    return any(is_hangul_syllable(c) for c in text)


# Headings after which a (wiki) document lists references, notes and links rather than prose; Korean
# and English, with or without the space Korean writers put in some of them.
REFERENCE_HEADING_RE = re.compile(
    r"^(?:참고\s?문헌|각주|출처|주석|참고\s?자료|추가\s?열람|외부\s?링크|더 읽을거리|같이\s?보기|"
    r"References|Notes|Bibliography|Sources|Further reading|External links|See also)\W*$", re.IGNORECASE)


def is_reference_heading(line: str) -> bool:
    """Whether ``line`` (a whole line or segment) is a heading that opens the references part."""
    return bool(REFERENCE_HEADING_RE.match(line.strip()))
