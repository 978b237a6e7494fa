"""Find glossary terms in Korean and English text, with exact character spans.

Korean: a term matches where it starts a word and whatever follows it inside the
word is only particles or endings (마이스키는, 체임벌린에게, 리트비노프에게서), never
inside a longer word (웹 in 웹사이트, 마이스키 in 마이스키스탄).  Words of a
multi-word term may be written with or without the space.

English: case-insensitive whole-word matching of the full term, a possessive
``'s`` allowed after it; for people, the surname of a multi-word name also
matches alone when it is capitalised (Chamberlain for Neville Chamberlain).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from glossary.morph import is_word_char, rest_is_functional, word_end
from glossary.termbase import Entry, EntryType, Term, TermBase

# Titles that precede a name in English and are not part of it.
TITLES = frozenset("lord lady sir mr mrs ms miss dr prof general admiral captain king queen prince princess "
                   "president minister ambassador st saint".split())


@dataclass(frozen=True)
class Match:
    """One occurrence of a term: ``text[start:end] == matched``."""

    entry_id: str
    term: str
    start: int
    end: int
    matched: str


def _korean_pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.split()]
    return re.compile(r"\s*".join(words))


def find_korean_term(text: str, term: str) -> list[tuple[int, int]]:
    """Spans of ``term`` in Korean ``text``, as whole nouns (particles may follow)."""
    spans = []
    for m in _korean_pattern(term).finditer(text):
        s, e = m.start(), m.end()
        if s > 0 and is_word_char(text[s - 1]):
            continue
        we = word_end(text, e)
        if we > e:
            # the rest of the written word after the term must be particles/endings only
            ws = s
            # take the last word of the (possibly multi-word) match as the noun to check
            last_space = text.rfind(" ", s, e)
            if last_space >= 0:
                ws = last_space + 1
            if not rest_is_functional(text[ws:we], e - ws):
                continue
        spans.append((s, e))
    return spans


def _english_pattern(term: str) -> re.Pattern:
    words = [re.escape(w) for w in term.split()]
    body = r"[\s\u00a0]+".join(words)
    return re.compile(r"(?<![A-Za-z0-9])" + body + r"(?=(?:['’]s?)?(?![A-Za-z0-9]))", re.IGNORECASE)


def surname(term: str) -> str | None:
    """The last word of a multi-word English person name, titles dropped."""
    words = [w for w in term.split() if w.strip(".").lower() not in TITLES]
    if len(words) >= 2 and words[-1][:1].isupper():
        return words[-1]
    return None


def find_english_term(text: str, term: str, *, person: bool = False) -> list[tuple[int, int]]:
    """Spans of ``term`` in English ``text``; for a person, the capitalised surname alone too."""
    spans = [(m.start(), m.end()) for m in _english_pattern(term).finditer(text)]
    sn = surname(term) if person else None
    if sn:
        for m in re.finditer(r"(?<![A-Za-z0-9])" + re.escape(sn) + r"(?=(?:['’]s?)?(?![A-Za-z0-9]))", text):
            if not any(s <= m.start() < e for s, e in spans):
                spans.append((m.start(), m.end()))
    return sorted(spans)


def _non_overlapping(matches: list[Match]) -> list[Match]:
    """Longest matches win where two overlap."""
    out: list[Match] = []
    for m in sorted(matches, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= o.start or m.start >= o.end for o in out):
            out.append(m)
    return sorted(out, key=lambda m: m.start)


def match_korean(text: str, entries: Iterable[Entry], *, include_deprecated: bool = True) -> list[Match]:
    """Every Korean term (and, for people, the last word of a multi-word Korean name) of ``entries``."""
    found = []
    for e in entries:
        forms: list[Term] = [t for t in e.korean if include_deprecated or t.status.value != "deprecated"]
        texts = {t.text for t in forms}
        if e.type is EntryType.PERSON:
            texts |= {t.text.split()[-1] for t in forms if len(t.text.split()) > 1}
        for form in texts:
            for s, end in find_korean_term(text, form):
                found.append(Match(e.id, form, s, end, text[s:end]))
    return _non_overlapping(found)


def match_english(text: str, entries: Iterable[Entry]) -> list[Match]:
    """Every English term of ``entries`` in ``text`` (surnames alone for people)."""
    found = []
    for e in entries:
        for t in e.english:
            for s, end in find_english_term(text, t.text, person=e.type is EntryType.PERSON):
                found.append(Match(e.id, t.text, s, end, text[s:end]))
    return _non_overlapping(found)


