"""Numbers every report shares: words, penalties, flags, effort, and a per-document summary.

The checks and scorer fill ``ReviewedPair.findings``, ``score`` (the garble
score in [0, 1], higher is more garbled), ``penalty`` and ``priority``
(higher means read first).  The reports only read them, with two fallbacks so
that records written before the scorer ran still rank sensibly: a pair whose
``penalty`` is 0 but that has findings gets the MQM sum of their severity
weights (minor 1, major 5, critical 25), and a pair whose ``priority`` is 0
ranks by that penalty.

Word counts: the MQM penalty is normalised by *source* words.  Most of the
Maisky Korean has no English, so a pair without English counts its Korean
words (whitespace-separated eojeol) instead; ``words_basis`` says which.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

from review.checks.registry import is_informational
from review.records import Category, ReviewedPair, Severity
from review.scoring import GARBLE_FLAG_THRESHOLD, penalty

SEVERITIES: tuple[Severity, ...] = (Severity.CRITICAL, Severity.MAJOR, Severity.MINOR)
"""Most severe first: the order tables and filters list them in."""

CATEGORIES: tuple[Category, ...] = tuple(Category)


# Effort model (minutes), per Korean word, by the worst problem in the pair:
# a minor finding is a local fix (~1200 words/h), a major one a heavy post-edit
# (~400 words/h), a critical one or a garbled pair a retranslation (~240 words/h),
# plus a fixed minute to read the pair and locate the problem.
EFFORT_BASE_MINUTES = 1.0
EFFORT_MINUTES_PER_WORD = {Severity.MINOR: 0.05, Severity.MAJOR: 0.15, Severity.CRITICAL: 0.25}


def severity_rank(severity: Severity) -> int:
    """minor 0, major 1, critical 2: for "at or above" comparisons."""
    return {Severity.MINOR: 0, Severity.MAJOR: 1, Severity.CRITICAL: 2}[severity]


def korean_words(pair: ReviewedPair) -> int:
    return len(pair.tgt.split())


def english_words(pair: ReviewedPair) -> int:
    return len(pair.src.split())


def pair_words(pair: ReviewedPair) -> int:
    """Words the penalty is normalised by: English words when the pair has English, else Korean words."""
    return english_words(pair) if pair.src.strip() else korean_words(pair)


def pair_penalty(pair: ReviewedPair) -> float:
    """The pair's MQM penalty (the scorer's, or its findings' when it left 0; informational ones weigh 0)."""
    if pair.penalty or not pair.findings:
        return float(pair.penalty)
    return penalty(pair.findings)


def pair_priority(pair: ReviewedPair) -> float:
    """The pair's review priority (the scorer's, or its penalty when it left 0)."""
    return float(pair.priority) if pair.priority else pair_penalty(pair)


def actionable_findings(pair: ReviewedPair):
    """The pair's findings without informational ones (they describe the input: shown, never queued)."""
    return tuple(f for f in pair.findings if not is_informational(f.check))


def worst_severity(pair: ReviewedPair, actionable_only: bool = False) -> Severity | None:
    findings = actionable_findings(pair) if actionable_only else pair.findings
    if not findings:
        return None
    return max((f.severity for f in findings), key=severity_rank)


def is_garbled(pair: ReviewedPair) -> bool:
    return pair.score is not None and pair.score >= GARBLE_FLAG_THRESHOLD


def is_flagged(pair: ReviewedPair) -> bool:
    """Worth fixing: an actionable finding, or a garble score at or above the threshold."""
    return bool(actionable_findings(pair)) or is_garbled(pair)


def effort_minutes(pair: ReviewedPair) -> float:
    """Estimated minutes to fix the pair (see the effort model above), rounded to half minutes."""
    worst = worst_severity(pair, actionable_only=True)
    if is_garbled(pair):
        worst = Severity.CRITICAL
    if worst is None:
        return 0.0
    words = max(korean_words(pair), english_words(pair) if not pair.tgt.strip() else 0)
    minutes = EFFORT_BASE_MINUTES + words * EFFORT_MINUTES_PER_WORD[worst]
    return round(minutes * 2) / 2


def has_source(pair: ReviewedPair) -> bool:
    return bool(pair.src.strip())


@dataclass(frozen=True)
class Summary:
    """Figures for one document (or several merged), as the terminal, HTML and JSON show them."""

    doc_ids: tuple[str, ...]
    n_pairs: int
    n_with_source: int
    n_no_source: int
    n_flagged: int
    n_findings: int
    words: int
    source_words: int
    penalty: float
    by_severity: dict[str, int]
    by_category: dict[str, int]
    by_check: dict[str, int]
    garble_scores: tuple[float, ...] = field(repr=False, default=())

    @property
    def penalty_per_100_words(self) -> float:
        return 100.0 * self.penalty / self.words if self.words else 0.0

    @property
    def flagged_share(self) -> float:
        return self.n_flagged / self.n_pairs if self.n_pairs else 0.0

    def histogram(self, bins: int = 10) -> list[int]:
        """Counts of garble scores in ``bins`` equal bins over [0, 1] (1.0 falls in the last)."""
        counts = [0] * bins
        for s in self.garble_scores:
            counts[min(bins - 1, max(0, int(s * bins)))] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        return {"documents": list(self.doc_ids), "pairs": self.n_pairs, "pairs_with_source": self.n_with_source,
                "pairs_without_source": self.n_no_source, "flagged": self.n_flagged,
                "flagged_share": round(self.flagged_share, 4), "findings": self.n_findings,
                "words": self.words, "source_words": self.source_words, "penalty": round(self.penalty, 3),
                "penalty_per_100_words": round(self.penalty_per_100_words, 3),
                "by_severity": self.by_severity, "by_category": self.by_category, "by_check": self.by_check,
                "garble_histogram": self.histogram() if self.garble_scores else []}


def summarize(pairs: Iterable[ReviewedPair]) -> Summary:
    pairs = list(pairs)
    sev: Counter[str] = Counter()
    cat: Counter[str] = Counter()
    chk: Counter[str] = Counter()
    for p in pairs:
        for f in p.findings:
            sev[f.severity.value] += 1
            cat[f.category.value] += 1
            chk[f.check] += 1
    doc_ids = tuple(dict.fromkeys(p.doc_id for p in pairs))
    n_src = sum(1 for p in pairs if has_source(p))
    return Summary(
        doc_ids=doc_ids, n_pairs=len(pairs), n_with_source=n_src, n_no_source=len(pairs) - n_src,
        n_flagged=sum(1 for p in pairs if is_flagged(p)), n_findings=sum(sev.values()),
        words=sum(pair_words(p) for p in pairs), source_words=sum(english_words(p) for p in pairs),
        penalty=sum(pair_penalty(p) for p in pairs),
        by_severity={s.value: sev.get(s.value, 0) for s in SEVERITIES},
        by_category={c.value: cat.get(c.value, 0) for c in CATEGORIES},
        by_check=dict(sorted(chk.items(), key=lambda kv: (-kv[1], kv[0]))),
        garble_scores=tuple(float(p.score) for p in pairs if p.score is not None))


def ranked(pairs: Sequence[ReviewedPair]) -> list[ReviewedPair]:
    """Pairs by priority, highest first; ties keep document order."""
    return sorted(pairs, key=lambda p: (-pair_priority(p), p.doc_id, p.position))
