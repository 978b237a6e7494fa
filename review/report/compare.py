"""``mtreview compare OLD NEW``: what a retranslation changed, pair by pair, and which findings went away.

Pairs are matched per document in order.  Each pair gets a key: its English
when it has English, else its Korean; runs of equal keys are matched directly
(difflib), and a run of changed pairs between them is matched position by
position when both sides have as many pairs, else by character n-gram
similarity of the Korean (the same monotone alignment as for references).
Pairs left over are ``added`` (only in NEW) or ``removed`` (only in OLD).

Findings are compared by check name within a matched pair (spans move when the
text changes): an old finding with no new finding of the same check is
``fixed``, one with a counterpart ``still`` there, and a new finding without an
old one is ``new``.
"""
from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from review.records import ReviewedPair
from review.report.reference import monotone_align
from review.report.stats import pair_penalty, pair_priority, pair_words
from review.report.worklist import ReviewOutput, load_output


@dataclass(frozen=True)
class PairChange:
    """One matched (or unmatched) pair of OLD and NEW."""

    doc_id: str
    old: ReviewedPair | None
    new: ReviewedPair | None
    fixed: tuple[str, ...]
    still: tuple[str, ...]
    new_findings: tuple[str, ...]

    @property
    def status(self) -> str:
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "unchanged" if self.old.tgt == self.new.tgt else "changed"

    @property
    def interesting(self) -> bool:
        return self.status != "unchanged" or bool(self.fixed or self.new_findings)

    def diff_ops(self) -> list[tuple[str, str, str]]:
        """Character diff of the Korean: ``(op, old_text, new_text)`` with op equal/replace/delete/insert."""
        a = self.old.tgt if self.old else ""
        b = self.new.tgt if self.new else ""
        sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
        return [(op, a[i1:i2], b[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes()]

    def to_dict(self) -> dict[str, Any]:
        p = lambda x, f: None if x is None else round(f(x), 4)  # noqa: E731
        return {"document": self.doc_id, "status": self.status,
                "old_id": self.old.id if self.old else None, "new_id": self.new.id if self.new else None,
                "old_position": self.old.position if self.old else None,
                "new_position": self.new.position if self.new else None,
                "old_text": self.old.tgt if self.old else None, "new_text": self.new.tgt if self.new else None,
                "diff": [list(op) for op in self.diff_ops()] if self.status == "changed" else [],
                "fixed": list(self.fixed), "still": list(self.still), "new": list(self.new_findings),
                "old_penalty": p(self.old, pair_penalty), "new_penalty": p(self.new, pair_penalty),
                "old_priority": p(self.old, pair_priority), "new_priority": p(self.new, pair_priority)}


def inline_diff(ops: Sequence[tuple[str, str, str]], context: int = 12) -> str:
    """A one-line wdiff-style view: ``…context [-old-]{+new+} context…``."""
    out = []
    for k, (op, a, b) in enumerate(ops):
        if op == "equal":
            flat = " ".join(a.split("\n"))
            first, last = k == 0, k == len(ops) - 1
            if len(flat) <= 2 * context or (first and last):
                out.append(flat)
            elif first:
                out.append("…" + flat[-context:])
            elif last:
                out.append(flat[:context] + "…")
            else:
                out.append(flat[:context] + " … " + flat[-context:])
        else:
            if a:
                out.append(f"[-{a}-]")
            if b:
                out.append(f"{{+{b}+}}")
    return "".join(out)


def _finding_changes(old: ReviewedPair | None, new: ReviewedPair | None) -> tuple[tuple[str, ...], ...]:
    a = Counter(f.check for f in old.findings) if old else Counter()
    b = Counter(f.check for f in new.findings) if new else Counter()
    expand = lambda c: tuple(sorted(c.elements()))  # noqa: E731
    return expand(a - b), expand(a & b), expand(b - a)


def _key(p: ReviewedPair) -> str:
    return "en:" + " ".join(p.src.split()) if p.src.strip() else "ko:" + " ".join(p.tgt.split())


def match_pairs(old: Sequence[ReviewedPair], new: Sequence[ReviewedPair]) -> list[tuple[ReviewedPair | None,
                                                                                       ReviewedPair | None]]:
    """Old and new pairs of one document matched in order (see the module docstring)."""
    out: list[tuple[ReviewedPair | None, ReviewedPair | None]] = []
    sm = difflib.SequenceMatcher(None, [_key(p) for p in old], [_key(p) for p in new], autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        a, b = list(old[i1:i2]), list(new[j1:j2])
        if op == "equal" or (op == "replace" and len(a) == len(b)):
            out.extend(zip(a, b))
        elif op == "replace":
            groups = monotone_align([p.tgt for p in a], [p.tgt for p in b], max_group=1)
            next_j = 0
            for p, g in zip(a, groups):
                if g:  # monotone: g[0] >= next_j; new pairs skipped on the way were added
                    out.extend((None, b[j]) for j in range(next_j, g[0]))
                    out.append((p, b[g[0]]))
                    next_j = g[0] + 1
                else:
                    out.append((p, None))
            out.extend((None, b[j]) for j in range(next_j, len(b)))
        elif op == "delete":
            out.extend((p, None) for p in a)
        else:
            out.extend((None, p) for p in b)
    return out


@dataclass(frozen=True)
class Comparison:
    old_dir: Path
    new_dir: Path
    changes: tuple[PairChange, ...]

    def totals(self) -> dict[str, Any]:
        status = Counter(c.status for c in self.changes)
        olds = [c.old for c in self.changes if c.old]
        news = [c.new for c in self.changes if c.new]
        old_pen, new_pen = sum(map(pair_penalty, olds)), sum(map(pair_penalty, news))
        old_w, new_w = sum(map(pair_words, olds)), sum(map(pair_words, news))
        return {"old": str(self.old_dir), "new": str(self.new_dir),
                "pairs": {k: status.get(k, 0) for k in ("changed", "unchanged", "added", "removed")},
                "findings": {"fixed": sum(len(c.fixed) for c in self.changes),
                             "still": sum(len(c.still) for c in self.changes),
                             "new": sum(len(c.new_findings) for c in self.changes)},
                "old_penalty": round(old_pen, 3), "new_penalty": round(new_pen, 3),
                "old_penalty_per_100_words": round(100 * old_pen / old_w, 3) if old_w else 0.0,
                "new_penalty_per_100_words": round(100 * new_pen / new_w, 3) if new_w else 0.0}

    def to_dict(self, everything: bool = False) -> dict[str, Any]:
        return {"summary": self.totals(),
                "pairs": [c.to_dict() for c in self.changes if everything or c.interesting]}


def compare_outputs(old_dir: str | Path, new_dir: str | Path) -> Comparison:
    """Compare two review outputs (folders with ``segments.jsonl``) of the same document(s)."""
    old, new = load_output(old_dir), load_output(new_dir)
    return Comparison(old.out_dir, new.out_dir, tuple(_compare(old, new)))


def _compare(old: ReviewOutput, new: ReviewOutput) -> list[PairChange]:
    changes = []
    docs = list(dict.fromkeys([p.doc_id for p in old.pairs] + [p.doc_id for p in new.pairs]))
    for doc in docs:
        a = sorted((p for p in old.pairs if p.doc_id == doc), key=lambda p: p.position)
        b = sorted((p for p in new.pairs if p.doc_id == doc), key=lambda p: p.position)
        for o, n in match_pairs(a, b):
            fixed, still, new_f = _finding_changes(o, n)
            changes.append(PairChange(doc, o, n, fixed, still, new_f))
    return changes


def format_comparison(comparison: Comparison, everything: bool = False, width: int = 100) -> str:
    from review.report.terminal import fit

    t = comparison.totals()
    lines = [f"compare {t['old']} -> {t['new']}",
             "  pairs: " + ", ".join(f"{v} {k}" for k, v in t["pairs"].items()),
             f"  findings: {t['findings']['fixed']} fixed, {t['findings']['still']} still there, "
             f"{t['findings']['new']} new",
             f"  penalty per 100 words: {t['old_penalty_per_100_words']:.2f} -> {t['new_penalty_per_100_words']:.2f}"]
    shown = [c for c in comparison.changes if everything or c.interesting]
    if not shown:
        lines.append("  no pair changed")
        return "\n".join(lines)
    lines.append("")
    for c in shown:
        pos = f"{c.old.position if c.old else '-'}->{c.new.position if c.new else '-'}"
        pen = (f"pen {pair_penalty(c.old) if c.old else 0:g}->{pair_penalty(c.new) if c.new else 0:g}")
        parts = [f"  {c.doc_id} #{pos:<9} {c.status:<9} {pen:<12}"]
        if c.fixed:
            parts.append("fixed: " + ",".join(c.fixed))
        if c.still:
            parts.append("still: " + ",".join(c.still))
        if c.new_findings:
            parts.append("new: " + ",".join(c.new_findings))
        lines.append("  ".join(parts))
        if c.status == "changed":
            lines.append("      " + fit(inline_diff(c.diff_ops()), max(30, width - 8)))
        elif c.status in ("added", "removed"):
            lines.append("      " + fit((c.new or c.old).tgt, max(30, width - 8)))  # type: ignore[union-attr]
    return "\n".join(lines)
