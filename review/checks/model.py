"""Model-based checks: fluency from Kiwi's language model, semantic drift from sentence embeddings."""
from __future__ import annotations

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import hangul_count, span
from review.records import Category, Severity

# Word-salad gain (nats per word, see context.lm_signals) below which a sentence is not Korean word order:
# clean NTREX-128 Korean has 1% of sentences below 5.5 and a median of 9.3; shuffled words a median of 4.8.
SALAD_GAIN_MAJOR = 5.5
SALAD_GAIN_CRITICAL = 3.5
SALAD_Z = 2.5
# Cosine below which a pair's meaning has drifted, also judged against the document.
DRIFT_COSINE_MAJOR = 0.30
DRIFT_COSINE_CRITICAL = 0.15
DRIFT_Z = 2.5


@check("fluency", category=Category.FLUENCY, severity=Severity.MAJOR,
       garble_group="fluency", needs=("models",))
def fluency(pair: CheckPair, ctx: DocumentContext):
    """Korean that is not Korean: words in an order the language model finds implausible (word salad)."""
    if not ctx.has_lm or len(pair.tgt.split()) < 4 or hangul_count(pair.tgt) < 8:
        return None
    gain = ctx.signal(pair).salad_gain
    med, spread = ctx.robust_stats("salad_gain")
    z = (gain - med) / spread
    if gain < SALAD_GAIN_MAJOR and z < -SALAD_Z:
        sev = Severity.CRITICAL if gain < SALAD_GAIN_CRITICAL else Severity.MAJOR
        return CHECKS["fluency"].finding(
            f"the word order is implausible Korean (LM gain {gain:.2f} per word; document median {med:.2f})",
            tgt_spans=[span(pair.tgt, 0, len(pair.tgt))], severity=sev)
    return None


@check("sentence-fragment", category=Category.FLUENCY, severity=Severity.MAJOR,
       garble_group="structure", needs=("models",))
def sentence_fragment(pair: CheckPair, ctx: DocumentContext):
    """A sentence that stops after a particle or connective ending: a broken or truncated sentence."""
    if not ctx.has_lm:
        return []
    toks = ctx.signal(pair).tokens
    out = []
    for i, t in enumerate(toks):
        if t.tag != "SF" or t.form != "." or i == 0:
            continue
        prev = toks[i - 1]
        if prev.end != t.start:
            continue
        # the sentence this period closes
        j = i - 1
        while j > 0 and not (toks[j - 1].tag == "SF"):
            j -= 1
        sentence = toks[j:i]
        if len(sentence) < 2:
            continue
        if prev.tag.startswith("J") and prev.tag not in ("JX",) or prev.tag == "EC":
            why = "it ends with a particle" if prev.tag.startswith("J") else "it ends with a connective ending"
        elif prev.tag in ("NNB", "NNG", "NNP", "SN") and any(s.tag == "EC" for s in sentence) \
                and any(s.form == "," for s in sentence[-6:]):
            why = "a clause is left hanging before a bare noun phrase"
        else:
            continue
        start = sentence[0].start
        out.append(CHECKS["sentence-fragment"].finding(f"broken sentence: {why}",
                                                       tgt_spans=[span(pair.tgt, start, t.end)]))
    return out


@check("semantic-drift", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="drift", needs=("source", "models"))
def semantic_drift(pair: CheckPair, ctx: DocumentContext):
    """The Korean means something else: low cross-lingual similarity, judged against the document."""
    cos = ctx.signal(pair).cosine
    if cos is None or len(pair.src) < 15:
        return None
    med, spread = ctx.robust_stats("cosine")
    z = (cos - med) / spread
    if cos < DRIFT_COSINE_MAJOR or (z < -DRIFT_Z and cos < med - 0.2):
        sev = Severity.CRITICAL if cos < DRIFT_COSINE_CRITICAL else Severity.MAJOR
        return CHECKS["semantic-drift"].finding(
            f"cross-lingual similarity {cos:.2f} (document median {med:.2f}): the Korean may not translate this English",
            tgt_spans=[span(pair.tgt, 0, len(pair.tgt))], src_spans=[span(pair.src, 0, len(pair.src))], severity=sev)
    return None
