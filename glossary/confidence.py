"""How sure name discovery is of a proposal, in [0, 1]: what ``glossary discover --apply`` trusts unreviewed.

Three kinds of evidence, each explainable to a reviewer:

- uses: a name written 6 times or more is a name, one seen once or twice may be noise (half the weight);
- dominance: the share of the canonical spelling among the Hangul uses; a clear majority spelling
  is a safe preferred form, a 50/50 split is a guess (a quarter);
- an anchor: an English name linked to the spellings, or an existing glossary entry they attach to
  (a quarter).

So a proposal seen 6+ times, with one spelling used throughout and an English name scores 1; two spellings
used once each, with no English, about 0.29.
"""
from __future__ import annotations

from glossary.discovery import Proposal

APPLY_MIN_CONFIDENCE = 0.5
"""``glossary discover --apply`` writes proposals at or above this confidence unless ``--all``."""
USES_FOR_FULL_WEIGHT = 6


def proposal_confidence(p: Proposal) -> float:
    hangul = p.hangul_variants
    uses = sum(int(p.counts.get(v, 0)) for v in p.variants)
    hangul_uses = sum(int(p.counts.get(v, 0)) for v in hangul)
    dominance = (int(p.counts.get(p.canonical, 0)) / hangul_uses) if hangul_uses and p.canonical in hangul else 0.0
    anchored = bool(p.english or p.glossary_id)
    score = 0.5 * min(1.0, uses / USES_FOR_FULL_WEIGHT) + 0.25 * dominance + 0.25 * anchored
    return round(min(1.0, score), 3)
