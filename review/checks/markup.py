"""Tags and placeholders: what Xbench and Verifika check first, since a broken one breaks the build or the
layout, whatever the quality of the words.

``tag-mismatch`` compares the inline codes of a CAT file (XLIFF ``<g>``/``<x/>``/``<ph>``/``<pc>``/
``<sc/>``/``<ec/>``, TMX ``<bpt>``/``<ept>``/``<ph>``; the readers keep them beside the text) between
the English and the Korean: a code missing from the Korean, one the Korean adds, and paired codes out of
order (a closing code before its opening one, or crossing pairs) — there order matters; standalone codes
may move, since Korean word order differs from English.

``placeholder-mismatch`` does the same for placeholders written in the text (gettext/printf ``%s``,
``%d``, ``%1$s``, ``%(name)s``; ``{0}``, ``{name}``): missing, added, and unnumbered printf placeholders
in another order, which swaps the values filled in (numbered and named ones may move).
"""
from __future__ import annotations

import re
from collections import Counter

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import span
from review.records import Category, Severity

PLACEHOLDER = re.compile(r"%(?:\d+\$|\([A-Za-z_]\w*\))?[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgGcr%]"
                         r"|\{(?:\d+|[A-Za-z_]\w*)(?:[,:][^{}]*)?\}")
_UNNUMBERED = re.compile(r"%[-+#0]*\d*(?:\.\d+)?[sdifuxXeEgGcr]$")


def _code_key(code) -> tuple[str, str]:
    return code.kind, code.id


def _nesting_problems(codes) -> list:
    """Closing codes without their opening code before them, or closing across another open pair."""
    open_stack: list[str] = []
    bad = []
    for c in sorted(codes, key=lambda c: c.offset):
        if c.kind == "open":
            open_stack.append(c.id)
        elif c.kind == "close":
            if c.id not in open_stack:
                bad.append(c)
            elif open_stack[-1] != c.id:
                bad.append(c)
                open_stack.remove(c.id)
            else:
                open_stack.pop()
    return bad


@check("tag-mismatch", category=Category.LOCALE, severity=Severity.MAJOR, garble_group=None, needs=("source",))
def tag_mismatch(pair: CheckPair, ctx: DocumentContext):
    """Inline tags of the CAT file missing, added or out of order in the Korean."""
    if not (pair.src_codes or pair.tgt_codes) or not pair.src.strip() or not pair.tgt.strip():
        return None
    me = CHECKS["tag-mismatch"]
    src, tgt = Counter(map(_code_key, pair.src_codes)), Counter(map(_code_key, pair.tgt_codes))
    findings = []
    missing = src - tgt
    if missing:
        labels = [c.label() for c in pair.src_codes if missing.get(_code_key(c), 0) > 0]
        findings.append(me.finding(f"inline tag{'s' if len(labels) > 1 else ''} {' '.join(dict.fromkeys(labels))} "
                                   "of the English missing in the Korean",
                                   src_spans=[span(pair.src, c.offset, c.offset) for c in pair.src_codes
                                              if missing.get(_code_key(c), 0) > 0][:5]))
    extra = tgt - src
    if extra:
        added = [c for c in pair.tgt_codes if extra.get(_code_key(c), 0) > 0]
        findings.append(me.finding(f"inline tag{'s' if len(added) > 1 else ''} "
                                   f"{' '.join(dict.fromkeys(c.label() for c in added))} not in the English",
                                   tgt_spans=[span(pair.tgt, c.offset, c.offset) for c in added][:5]))
    if not missing and not extra:
        disorder = _nesting_problems(pair.tgt_codes)
        if disorder and not _nesting_problems(pair.src_codes):
            findings.append(me.finding(
                "paired inline tags out of order in the Korean: " + " ".join(c.label() for c in disorder)
                + " closes before its opening tag or across another pair",
                tgt_spans=[span(pair.tgt, c.offset, c.offset) for c in disorder][:5]))
    return findings


@check("placeholder-mismatch", category=Category.LOCALE, severity=Severity.MAJOR, garble_group=None,
       needs=("source",))
def placeholder_mismatch(pair: CheckPair, ctx: DocumentContext):
    """Placeholders (%s, %d, %(name)s, {0}) missing, added or, unnumbered, reordered in the Korean."""
    if not pair.src.strip() or not pair.tgt.strip() or ("%" not in pair.src + pair.tgt
                                                        and "{" not in pair.src + pair.tgt):
        return None
    src = [m for m in PLACEHOLDER.finditer(pair.src) if m.group() != "%%"]
    tgt = [m for m in PLACEHOLDER.finditer(pair.tgt) if m.group() != "%%"]
    if not src and not tgt:
        return None
    me = CHECKS["placeholder-mismatch"]
    src_count, tgt_count = Counter(m.group() for m in src), Counter(m.group() for m in tgt)
    findings = []
    missing, extra = src_count - tgt_count, tgt_count - src_count
    if missing:
        findings.append(me.finding(f"placeholder {' '.join(missing)} of the English missing in the Korean",
                                   src_spans=[span(pair.src, m.start(), m.end()) for m in src
                                              if m.group() in missing][:5]))
    if extra:
        findings.append(me.finding(f"placeholder {' '.join(extra)} not in the English",
                                   tgt_spans=[span(pair.tgt, m.start(), m.end()) for m in tgt
                                              if m.group() in extra][:5]))
    if not missing and not extra:
        src_order = [m.group() for m in src if _UNNUMBERED.match(m.group())]
        tgt_order = [m for m in tgt if _UNNUMBERED.match(m.group())]
        if len(set(src_order)) > 1 and src_order != [m.group() for m in tgt_order]:
            findings.append(me.finding(
                "unnumbered placeholders in another order than the English: the values are filled in by "
                "position, so they swap (number them, e.g. %1$s, to reorder)",
                tgt_spans=[span(pair.tgt, m.start(), m.end()) for m in tgt_order][:5]))
    return findings
