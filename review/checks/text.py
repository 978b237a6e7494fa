"""Small text helpers shared by the checks: scripts, Latin runs, spans."""
from __future__ import annotations

import re
import unicodedata

from corpus.records import Span
from corpus.text import HANGUL_RE, is_hangul

LATIN_WORD_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-\.]*")
# A run of Latin words (with spaces, hyphens, apostrophes, initials between them)
LATIN_RUN_RE = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f0-9'’\-\.&]*"
                          r"(?:[ \t]+[A-Za-z\u00c0-\u024f0-9][A-Za-z\u00c0-\u024f0-9'’\-\.&]*)*")
CITATION_RE = re.compile(r"\[(\d{1,3})\]")
# A web page title's site name after a separator: "Syria: Can Twitter Stop a Massacre? · Global Voices"
_SITE_SUFFIX_RE = re.compile(r"\s+[·|]\s+([A-Z][^·|]{1,40})$")


def dropped_site_suffix(src: str, tgt: str) -> int:
    """How many characters of the English are a page title's trailing site name ("· Global Voices", "| BBC News")
    that the Korean leaves out, else 0.

    Translators of scraped page titles render the title and drop the site's name: the English is that much
    longer than what the Korean renders, which the length ratio must not read as an omission.  Kept (0) where
    the Korean has a separator near its end, the name in Latin, or a word that transliterates it.
    """
    m = _SITE_SUFFIX_RE.search(src)
    if not m or not tgt.strip():
        return 0
    name = m.group(1).strip()
    if re.search(r"[·|]", tgt[-(len(name) + 8):]) or name.lower() in tgt.lower():
        return 0
    from glossary.morph import strip_particles
    from glossary.translit import is_plausible_rendering
    first = LATIN_WORD_RE.match(name)
    if first and any(is_plausible_rendering(first.group(), strip_particles(w)) for w in tgt.split()):
        return 0
    return len(src) - m.start()


def script_of(ch: str) -> str:
    """A coarse script name: hangul, latin, han, kana, cyrillic, greek, digit, space, punct, other."""
    if ch.isspace():
        return "space"
    if ch.isdigit():
        return "digit"
    if is_hangul(ch):
        return "hangul"
    o = ord(ch)
    if ch.isascii() and ch.isalpha():
        return "latin"
    if 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF:
        return "han"
    if 0x3040 <= o <= 0x30FF:
        return "kana"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0x0370 <= o <= 0x03FF:
        return "greek"
    if ch.isalpha():
        name = unicodedata.name(ch, "")
        return "latin" if name.startswith("LATIN") else "other"
    return "punct"


def hangul_count(text: str) -> int:
    return len(HANGUL_RE.findall(text))


def latin_letters(text: str) -> int:
    return sum(1 for c in text if c.isascii() and c.isalpha())


def span(text: str, start: int, end: int) -> Span:
    return Span.of(text, start, end)


def tokens_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Whitespace-separated tokens with their offsets."""
    return [(m.group(), m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def find_all(haystack: str, needle: str) -> list[int]:
    out, i = [], haystack.find(needle)
    while needle and i >= 0:
        out.append(i)
        i = haystack.find(needle, i + 1)
    return out
