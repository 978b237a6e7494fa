"""The hook for the glossary layer's term checks: a findings provider wrapping ``glossary.checks``.

The glossary layer returns plain ``TermIssue`` records (term-missing, term-deprecated, term-variant,
name-untranslated, name-inconsistent); this adapter turns them into terminology
:class:`~review.records.Finding` objects so that they travel with the other checks' findings.
Pass the provider to :func:`review.checks.build_context` / :func:`review.assess.assess_pairs` /
:func:`review.pipeline.review_bitext` as one of ``providers``.
"""
from __future__ import annotations

from typing import Iterator

from review.checks.context import CheckPair, DocumentContext, FindingsProvider
from review.records import Category, Finding, Severity


# In a references section, book titles keep names in Latin ('The Maisky Diaries') and the authors cited are
# rarely the glossary's people ('코찬스키 2012' is Kochanski, not a variant of 쿠친스키).
REFERENCE_EXEMPT = frozenset({"name-untranslated", "term-variant"})


def glossary_provider(ko_text: str | None = None, termbase=None, names=None) -> FindingsProvider:
    """A provider running the glossary checks (with ``termbase`` if given) over each pair.

    ``names`` is the glossary layer's document context (from discovery proposals); without it,
    discovery runs once over ``ko_text``, the whole Korean document.
    """
    from glossary.checks import DocumentContext as NameContext
    from glossary.checks import check_pair

    if names is None:
        names = NameContext.from_text(ko_text or "", glossary=termbase)

    def glossary(pair: CheckPair, ctx: DocumentContext) -> Iterator[Finding]:
        in_references = ctx.in_references(pair)
        for issue in check_pair(pair.src or None, pair.tgt, termbase, names):
            if in_references and issue.check in REFERENCE_EXEMPT:
                continue
            yield Finding(issue.check, Category.TERMINOLOGY, Severity(issue.severity), issue.message,
                          tuple(issue.tgt_spans), tuple(issue.src_spans), issue.suggestion)
    return glossary
