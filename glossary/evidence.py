"""What the glossary says about one aligned pair: frozen :class:`TermEvidence` records.

The review layer owns the checks built on this evidence (review/checks/terms.py: their
severities, titles and scoring); this module knows nothing of them.  Spans are character
offsets into the pair's own src/tgt text.

Kinds of evidence (each is the name of the review check reporting it):
  term-missing       the English has a glossary term, the Korean none of its forms
  term-deprecated    a deprecated Korean form is used
  term-variant       a near-miss spelling of a glossary name (jamo distance) that the
                     transliteration model finds a plausible rendering of its English
  name-untranslated  the Latin form is left in the Korean where the glossary has Hangul
  name-inconsistent  one name spelled several ways in one document (no glossary needed)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from corpus.records import Span
from corpus.text import HANGUL_WORD_RE
from glossary.jamo import is_variant, jamo_distance
from glossary.matching import match_english, match_korean
from glossary.morph import analyze, oov_id, strip_particles
from glossary.termbase import Status, TermBase

KINDS = ("term-missing", "term-deprecated", "term-variant", "name-untranslated", "name-inconsistent")


@dataclass(frozen=True)
class TermEvidence:
    """One thing the glossary or the document's names say about a pair, of one of :data:`KINDS`."""

    kind: str
    message: str
    tgt_spans: tuple[Span, ...] = ()
    src_spans: tuple[Span, ...] = ()
    suggestion: str | None = None
    entry_id: str | None = None


@dataclass(frozen=True)
class DocumentNames:
    """What the whole document says about names: spelling -> (canonical spelling, all spellings)."""

    variant_of: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)

    @classmethod
    def from_text(cls, ko_text: str, glossary: TermBase | None = None, score=None) -> "DocumentNames":
        """Run discovery over the whole Korean document (or the concatenated target segments)."""
        from glossary.discovery import discover
        return cls.from_proposals(discover(ko_text, glossary=glossary, score=score))

    @classmethod
    def from_proposals(cls, proposals) -> "DocumentNames":
        """The context from discovery proposals already computed (so discovery runs once per document)."""
        mapping = {}
        for p in proposals:
            hangul = p.hangul_variants
            if len(hangul) > 1:
                for v in hangul:   # a term family's spellings keep their own head noun (see Proposal.head)
                    mapping[v] = (p.suggestion_for(v), tuple(hangul))
        return cls(mapping)


_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")


CLOSE_VARIANT = 0.12   # this close, a spelling is a variant even if Kiwi knows it as a word


def _near_miss(stem: str, form: str) -> bool:
    """A variant spelling of ``form``: very close, or close and not a word Kiwi knows.

    A name Kiwi's dictionary knows (이탈리아) is an established word of its own, not a
    misspelling of a glossary name that happens to be near it (애틀리).
    """
    if not is_variant(stem, form):
        return False
    if jamo_distance(stem, form) <= CLOSE_VARIANT:
        return True
    tokens = analyze(stem)
    known_word = len(tokens) == 1 and tokens[0].morph_id != oov_id()
    return not known_word


def _renders_entry(entry, form: str, stem: str) -> bool:
    """Whether ``stem`` could be a spelling of the entry's English name (True when that cannot be scored).

    A near miss in jamo that the transliteration model finds implausible for the English is another
    name ('큐라소', Curaçao, is not a variant of '클라우스', Klaus).
    """
    from glossary.translit import any_plausible
    surname_only = " " in form   # a surname form is scored against the English surname
    return any_plausible((term.text.split()[-1] if surname_only else term.text, stem) for term in entry.english)


def _stems(text: str):
    for m in HANGUL_WORD_RE.finditer(text):
        stem = strip_particles(m.group())
        yield m.start(), m.start() + len(stem), stem


def pair_evidence(src: str | None, tgt: str, tb: TermBase | None, context: DocumentNames | None = None
                  ) -> list[TermEvidence]:
    """All glossary evidence on one aligned pair (``src`` None when the English is unknown)."""
    issues: list[TermEvidence] = []
    entries = list(tb) if tb is not None else []
    ko_matches = match_korean(tgt, entries) if entries else []
    by_entry: dict[str, list] = {}
    for m in ko_matches:
        by_entry.setdefault(m.entry_id, []).append(m)
    covered: list[tuple[int, int]] = [(m.start, m.end) for m in ko_matches]

    # term-deprecated
    for m in ko_matches:
        entry = tb.get(m.entry_id)
        term = next((t for t in entry.korean if t.text == m.term), None)
        if term is not None and term.status is Status.DEPRECATED and entry.preferred_korean:
            issues.append(TermEvidence("term-deprecated", f"deprecated form {m.term!r} of {entry.label}",
                                       (Span(m.start, m.end, m.matched),), (), entry.preferred_korean.text, entry.id))

    # term-variant: near-miss spellings of accepted Hangul forms
    if entries:
        accepted = [(e, t.text) for e in entries for t in e.accepted_korean if len(t.text) >= 2]
        for s, e_, stem in _stems(tgt):
            if any(s < ce and cs < e_ for cs, ce in covered) or len(stem) < 2:
                continue
            for entry, full_form in accepted:
                form = full_form.split()[-1]
                if stem != form and abs(len(stem) - len(form)) <= 2 and _near_miss(stem, form) \
                        and not stem.startswith(form) and not form.startswith(stem) \
                        and _renders_entry(entry, full_form, stem):
                    issues.append(TermEvidence(
                        "term-variant", f"{stem!r} looks like a variant spelling of {form!r} ({entry.label})",
                        (Span(s, e_, stem),), (), entry.preferred_korean.text if entry.preferred_korean else form,
                        entry.id))
                    covered.append((s, e_))
                    break

    # name-untranslated: Latin names left in the Korean
    if entries:
        for m in match_english(tgt, [e for e in entries if e.preferred_korean]):
            entry = tb.get(m.entry_id)
            issues.append(TermEvidence("name-untranslated", f"{m.matched!r} is left in Latin letters; the glossary "
                                       f"has {entry.preferred_korean.text!r}",
                                       (Span(m.start, m.end, m.matched),), (), entry.preferred_korean.text, entry.id))
            covered.append((m.start, m.end))

    # term-missing: English term without any Korean form
    if src and entries:
        for m in match_english(src, entries):
            entry = tb.get(m.entry_id)
            if not entry.korean or m.entry_id in by_entry:
                continue
            if any(i.entry_id == entry.id for i in issues):
                continue  # a variant or untranslated form is there: already reported
            issues.append(TermEvidence("term-missing",
                                       f"{m.matched!r} ({entry.label}) has no Korean counterpart in the translation",
                                       (), (Span(m.start, m.end, m.matched),),
                                       entry.preferred_korean.text if entry.preferred_korean else None, entry.id))

    # name-inconsistent: the document spells this name several ways
    if context is not None and context.variant_of:
        for s, e_, stem in _stems(tgt):
            info = context.variant_of.get(stem)
            if not info or stem == info[0] or any(s < ce and cs < e_ for cs, ce in covered):
                continue
            canonical, spellings = info
            others = ", ".join(repr(x) for x in spellings if x != stem)
            issues.append(TermEvidence("name-inconsistent", f"{stem!r} is spelled {others} elsewhere in this document",
                                       (Span(s, e_, stem),), (), canonical))
    issues.sort(key=lambda i: (i.tgt_spans[0].start if i.tgt_spans else -1, i.kind))
    return issues
