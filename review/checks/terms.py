"""The glossary checks: terms and names against a term base, and names spelled several ways in a document.

The glossary layer provides the evidence (:func:`glossary.evidence.pair_evidence`: plain
records of five kinds); these checks own how it is reported.  The evidence of one pair is
computed once and shared by the five checks, because the kinds depend on one another (a
Korean span already reported as a deprecated form is not also a variant; an English term
whose Korean is there as a variant is not also missing).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.records import Category, Severity

if TYPE_CHECKING:
    from glossary.evidence import DocumentNames, TermEvidence
    from glossary.termbase import TermBase


@dataclass
class TermContext:
    """What the glossary layer knows for one document: its term base and the names it spells several ways."""

    termbase: "TermBase | None" = None
    names: "DocumentNames | None" = None
    _by_pair: dict[int, list[Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, ko_text: str, termbase: "TermBase | None" = None) -> "TermContext":
        """The context for a Korean document, running name discovery over its whole text."""
        from glossary.evidence import DocumentNames
        return cls(termbase, DocumentNames.from_text(ko_text, glossary=termbase))

    @classmethod
    def from_proposals(cls, proposals, termbase: "TermBase | None" = None) -> "TermContext":
        """The context from discovery proposals already computed (discovery runs once per document)."""
        from glossary.evidence import DocumentNames
        return cls(termbase, DocumentNames.from_proposals(proposals))

    def evidence(self, pair: CheckPair) -> "list[TermEvidence]":
        """The glossary evidence on one pair (computed on first use, then shared by the five checks)."""
        if pair.index not in self._by_pair:
            from glossary.evidence import pair_evidence
            self._by_pair[pair.index] = pair_evidence(pair.src or None, pair.tgt, self.termbase, self.names)
        return self._by_pair[pair.index]


def _report(name: str, pair: CheckPair, ctx: DocumentContext):
    """Findings of check ``name``: the pair's evidence of that kind."""
    if ctx.terms is None:
        return []
    me = CHECKS[name]
    return [me.finding(e.message, e.tgt_spans, e.src_spans, e.suggestion)
            for e in ctx.terms.evidence(pair) if e.kind == name]


# In a references section, book titles keep names in Latin ('The Maisky Diaries') and the authors cited are
# rarely the glossary's people ('코찬스키 2012' is Kochanski, not a variant of 쿠친스키): name-untranslated and
# term-variant are exempt there.
@check("term-deprecated", category=Category.TERMINOLOGY, severity=Severity.MINOR,
       garble_group=None, needs=("glossary",))
def term_deprecated(pair: CheckPair, ctx: DocumentContext):
    """A form the glossary marks deprecated is used; the suggestion is the preferred one."""
    return _report("term-deprecated", pair, ctx)


@check("term-variant", category=Category.TERMINOLOGY, severity=Severity.MINOR,
       garble_group=None, needs=("glossary",), exempt=("references",))
def term_variant(pair: CheckPair, ctx: DocumentContext):
    """A near-miss spelling of a glossary name that could render its English (메이스키 for 마이스키)."""
    return _report("term-variant", pair, ctx)


@check("name-untranslated", category=Category.TERMINOLOGY, severity=Severity.MAJOR,
       garble_group=None, needs=("glossary",), exempt=("references",),
       supersedes=("untranslated",))  # the glossary's Hangul as the suggestion says more than "untranslated"
def name_untranslated(pair: CheckPair, ctx: DocumentContext):
    """A name left in Latin letters in the Korean where the glossary has its Hangul."""
    return _report("name-untranslated", pair, ctx)


@check("term-missing", category=Category.TERMINOLOGY, severity=Severity.MAJOR,
       garble_group=None, needs=("source", "glossary"))
def term_missing(pair: CheckPair, ctx: DocumentContext):
    """The English has a glossary term and the Korean none of its forms."""
    return _report("term-missing", pair, ctx)


@check("name-inconsistent", category=Category.TERMINOLOGY, severity=Severity.MINOR,
       garble_group=None, needs=("names",))
def name_inconsistent(pair: CheckPair, ctx: DocumentContext):
    """One name spelled several ways in the document; the suggestion is the spelling chosen for it."""
    return _report("name-inconsistent", pair, ctx)
