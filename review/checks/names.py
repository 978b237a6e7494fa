"""Titles attached to names that the source does not give (``마이스키 대통령`` for plain "Maisky")."""
from __future__ import annotations

import re
from collections import Counter, defaultdict

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import span
from review.records import Category, Severity

# Korean title -> English words that license it
TITLES = {
    "대통령": r"president", "총리": r"prime minister|premier|chancellor|pm\b", "수상": r"prime minister|premier",
    "대변인": r"spokes", "장관": r"minister|secretary", "차관": r"deputy|under-?secretary|vice",
    "대사": r"ambassador|envoy", "특사": r"envoy|ambassador", "국왕": r"king", "여왕": r"queen", "왕자": r"prince",
    "박사": r"\bdr\b|doctor|ph\.?d", "교수": r"professor|prof\b", "장군": r"general|gen\b", "제독": r"admiral",
    "의원": r"\bmp\b|member|senator|congress|representative|lawmaker|deputy", "위원장": r"chair|commissioner|head",
    "회장": r"chair|president", "사장": r"president|ceo|head|chief",
}


def _titled_names(pair: CheckPair, ctx: DocumentContext):
    """(name token, title token) pairs: a proper noun directly followed by a title noun."""
    toks = ctx.signal(pair).tokens
    for a, b in zip(toks, toks[1:]):
        if a.tag == "NNP" and len(a.form) >= 2 and b.form in TITLES and b.start == a.end + 1 \
                and pair.tgt[a.end:b.start] == " ":
            after = pair.tgt[b.end:b.end + 1]
            if after and re.match(r"[\uac00-\ud7a3]", after) and not _particle_follows(toks, b):
                continue  # "대사관", "장관직": the title is part of a longer word
            yield a, b


def _particle_follows(toks, b) -> bool:
    i = toks.index(b)
    return i + 1 < len(toks) and toks[i + 1].start == b.end and toks[i + 1].tag.startswith(("J", "VCP", "XSN", "E"))


def _title_table(ctx: DocumentContext) -> dict[str, Counter]:
    def make():
        table: dict[str, Counter] = defaultdict(Counter)
        for p in ctx.pairs:
            for a, b in _titled_names(p, ctx):
                table[a.form][b.form] += 1
        return table
    return ctx._memo("titles", make)


@check("unsupported-title", category=Category.ACCURACY, severity=Severity.MAJOR)
def unsupported_title(pair: CheckPair, ctx: DocumentContext):
    """A title attached to a name in the Korean that the English does not give."""
    if not ctx.has_lm:
        return []
    me = CHECKS["unsupported-title"]
    out = []
    table = _title_table(ctx)
    for a, b in _titled_names(pair, ctx):
        where = [span(pair.tgt, a.start, b.end)]
        if pair.src.strip():
            if re.search(TITLES[b.form], pair.src, re.IGNORECASE):
                continue
            out.append(me.finding(f"the English gives no title {b.form!r} for {a.form!r}", tgt_spans=where,
                                  suggestion=a.form))
            continue
        bare = ctx.proper_nouns[a.form]
        titles = table[a.form]
        titled = sum(titles.values())
        if len(titles) >= 2 or (bare >= 3 and titles[b.form] <= max(2, 0.2 * bare)):
            others = ", ".join(f"{t} ×{n}" for t, n in titles.items() if t != b.form)
            why = (f"the document names {a.form!r} {bare} times without a title"
                   + (f" and elsewhere with other titles ({others})" if others else ""))
            if titled > bare:
                continue  # the document consistently titles this person
            out.append(me.finding(f"title {b.form!r} for {a.form!r} is doubtful: {why}", tgt_spans=where,
                                  suggestion=a.form))
    return out
