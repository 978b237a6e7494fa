"""Terminal output for ``mtreview review``: a summary table, a JSON summary, the ``--fail-on`` test."""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any, Mapping, Sequence

from corpus.textwidth import display_width, table
from review.records import ReviewedPair, Severity
from review.report.reference import ReferenceScores
from review.report.stats import (actionable_findings, is_flagged, pair_penalty, pair_priority, ranked, severity_rank, summarize)
from review.report.worklist import snippet

TOP_N = 5
EXIT_FAIL_ON = 3
"""Exit status of ``mtreview review --fail-on SEVERITY`` when a finding at or above SEVERITY exists."""


def findings_at_or_above(pairs: Sequence[ReviewedPair], severity: Severity | str) -> int:
    """How many findings have ``severity`` or worse (informational notes such as no-source do not count)."""
    threshold = severity_rank(Severity(severity))
    return sum(1 for p in pairs for f in actionable_findings(p) if severity_rank(f.severity) >= threshold)




def fit(text: str, columns: int) -> str:
    """``text`` on one line, cut with an ellipsis to at most ``columns`` terminal columns."""
    flat = " ".join(text.split())
    if display_width(flat) <= columns:
        return flat
    out, used = [], 0
    for c in flat:
        w = display_width(c)
        if used + w > columns - 1:
            break
        out.append(c)
        used += w
    return "".join(out) + "…"


def _table(rows: list[list[str]], align: str) -> list[str]:
    """Plain text columns, padded by display width (Hangul takes two columns); ``align``: ``l``/``r`` each."""
    return ["  " + line for line in table(rows, align)]


def summary_dict(doc_id: str, pairs: Sequence[ReviewedPair], files: Mapping[str, Path] | None = None,
                 reference: ReferenceScores | None = None, top_n: int = TOP_N) -> dict[str, Any]:
    """The machine-readable summary ``--json`` prints."""
    s = summarize(pairs)
    top = [p for p in ranked(list(pairs)) if is_flagged(p)][:top_n]
    return {
        "document": doc_id, **s.to_dict(),
        "top": [{"id": p.id, "position": p.position, "priority": round(pair_priority(p), 4),
                 "penalty": round(pair_penalty(p), 3), "score": p.score,
                 "checks": list(dict.fromkeys(f.check for f in p.findings)), "text": snippet(p.tgt or p.src)}
                for p in top],
        "reference": reference.corpus_dict() if reference is not None else None,
        "files": {k: str(v) for k, v in (files or {}).items()},
    }


def format_summary(doc_id: str, pairs: Sequence[ReviewedPair], files: Mapping[str, Path] | None = None,
                   reference: ReferenceScores | None = None, n_source_segments: int | None = None,
                   n_target_segments: int | None = None, top_n: int = TOP_N) -> str:
    """The human summary printed after ``mtreview review``."""
    s = summarize(pairs)
    width = min(shutil.get_terminal_size((100, 24)).columns, 140)
    lines = []
    segs = ""
    if n_source_segments is not None and n_target_segments is not None:
        segs = f"{n_source_segments} English and {n_target_segments} Korean segments, "
    lines.append(f"{doc_id}: {segs}{s.n_pairs} aligned pairs ({s.n_no_source} without English)")
    lines.append(f"  flagged {s.n_flagged} pairs ({100 * s.flagged_share:.1f}%), {s.n_findings} findings, "
                 f"MQM penalty {s.penalty:g} = {s.penalty_per_100_words:.2f} per 100 words")
    if s.n_findings:
        lines.append("")
        rows = [["severity", "n", "", "category", "n"]]
        sev = list(s.by_severity.items())
        cat = [(k, v) for k, v in s.by_category.items() if v]
        for k in range(max(len(sev), len(cat))):
            a = sev[k] if k < len(sev) else ("", "")
            b = cat[k] if k < len(cat) else ("", "")
            rows.append([a[0], str(a[1]), "", b[0], str(b[1])])
        lines.extend(_table(rows, "lrllr"))
        lines.append("")
        checks = ", ".join(f"{k} {v}" for k, v in s.by_check.items())
        lines.append(f"  checks: {checks}")
    if reference is not None:
        lines.append("")
        if reference.corpus_chrf is not None:
            lines.append(f"  reference {reference.path}: {len(reference.pairs)} pairs matched "
                         f"({reference.method}); chrF {reference.corpus_chrf:.2f}  BLEU {reference.corpus_bleu:.2f}")
            lines.append(f"    chrF {reference.chrf_signature}")
            lines.append(f"    BLEU {reference.bleu_signature}")
        else:
            lines.append(f"  reference {reference.path}: no pair could be matched")
    top = [p for p in ranked(list(pairs)) if is_flagged(p)][:top_n]
    if top:
        lines.append("")
        lines.append(f"  top {len(top)} by priority:")
        rows = [["#", "prio", "pen", "checks", "text"]]
        for p in top:
            checks = ",".join(dict.fromkeys(f.check for f in sorted(
                p.findings, key=lambda f: -severity_rank(f.severity))))
            rows.append([str(p.position), f"{pair_priority(p):.1f}", f"{pair_penalty(p):g}", checks or "garble", ""])
        fixed = max(len(r[0]) + len(r[1]) + len(r[2]) + len(r[3]) for r in rows) + 12
        room = max(20, width - fixed)
        for r, p in zip(rows[1:], top):
            r[4] = fit(p.tgt or p.src, room)
        lines.extend(_table(rows, "rrrll"))
    if files:
        lines.append("")
        lines.append("  files:")
        lines.extend(f"    {name:<15} {path}" for name, path in files.items())
    return "\n".join(lines)
