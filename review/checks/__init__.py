"""Quality checks for aligned English-Korean pairs.

Importing this package registers every built-in check in
:data:`~review.checks.registry.CHECKS`.  :func:`run_checks` runs the selected
checks (and any extra findings providers of the context) over a document.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from review.checks import language, markup, model, names, numbers, structure, terms  # noqa: F401  (registers the checks)
from review.checks.context import CheckPair, DocumentContext, FindingsProvider, build_context
from review.checks.registry import CHECKS, CheckError, CheckSpec, check, run_check, select_checks
from review.checks.terms import TermContext
from review.records import Finding

__all__ = ["CHECKS", "CheckError", "CheckPair", "CheckSpec", "DocumentContext", "FindingsProvider",
           "TermContext", "build_context", "check", "run_checks", "select_checks"]


# What a check may read of the document's term context (ctx.terms): these wait for it, the rest do not.
TERM_NEEDS = frozenset({"glossary", "names"})


def run_checks(ctx: DocumentContext, checks: Iterable[CheckSpec] | None = None,
               progress: Callable[[str, int, int], None] | None = None,
               terms: Any = None) -> list[tuple[Finding, ...]]:
    """Findings for every pair of the document, in pair order (checks in registry order, then providers).

    ``terms``, when given, is a future of the term context (anything with ``result()``: the review's name
    discovery, running beside): the checks that need no terms run over every pair first, while it
    finishes, then it is set as ``ctx.terms`` and the rest run, with the providers.  The findings and
    their order are the same as with the term context given in ``ctx``.
    ``progress`` is told about the ``checks`` stage every 100 pairs and at the end.
    """
    selected = tuple(checks) if checks is not None else select_checks()
    first = tuple(spec for spec in selected if terms is None or not spec.needs & TERM_NEEDS)
    then = tuple(spec for spec in selected if spec not in first)
    n, steps = len(ctx.pairs), 2 if terms is not None else 1
    early: list[dict[str, list[Finding]]] = []
    for index, pair in enumerate(ctx.pairs):
        if progress is not None and index % 100 == 0:
            progress("checks", index, n * steps)
        early.append({spec.name: run_check(spec, pair, ctx) for spec in first})
    if terms is not None:
        ctx.terms = terms.result()
    out = []
    for index, pair in enumerate(ctx.pairs):
        if progress is not None and steps == 2 and index % 100 == 0:
            progress("checks", n + index, n * steps)
        by_check = early[index]
        by_check.update((spec.name, run_check(spec, pair, ctx)) for spec in then)
        found: list[Finding] = [f for spec in selected for f in by_check[spec.name]]
        for provider in ctx.providers:
            try:
                found.extend(provider(pair, ctx))
            except Exception as e:  # noqa: BLE001 - wrapped with context
                raise CheckError(getattr(provider, "__name__", "provider"), pair.id, pair.src, pair.tgt, e) from e
        out.append(tuple(drop_superseded(found)))
    if progress is not None:
        progress("checks", n * steps, n * steps)
    return out


def drop_superseded(found: list[Finding]) -> list[Finding]:
    """Remove generic findings whose every Korean span overlaps a span of a more specific finding.

    A check's spec says which checks it supersedes: a name left in Latin that the glossary knows
    (name-untranslated, with its Hangul as the suggestion) says more than "untranslated".
    """
    def overlaps(a, b) -> bool:
        return a.start < b.end and b.start < a.end

    def supersedes(g: Finding) -> frozenset[str]:
        s = CHECKS.get(g.check)
        return s.supersedes if s is not None else frozenset()

    kept = []
    for f in found:
        covering = [g for g in found if f.check in supersedes(g)]
        if covering and f.tgt_spans and all(
                any(overlaps(s, t) for g in covering for t in g.tgt_spans) for s in f.tgt_spans):
            continue
        kept.append(f)
    return kept
