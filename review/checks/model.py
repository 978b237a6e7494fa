"""Model-based checks: fluency from Kiwi's language model, semantic drift from sentence embeddings."""
from __future__ import annotations

from review.checks.context import CheckPair, DocumentContext
from review.checks.registry import CHECKS, check
from review.checks.text import hangul_count, span
from review.records import Category, Severity

# Word-salad gain (nats per word, see context.lm_signals) below which a sentence is not Korean word order:
# the policy's "fluency-gain" threshold, 5.5 by default (review/policy.py THRESHOLDS): clean NTREX-128 Korean
# has 1% of sentences below 5.5 and a median of 9.3; shuffled words a median of 4.8.
SALAD_GAIN_CRITICAL = 3.5
SALAD_Z = 2.5
# Cosine below which a pair's meaning has drifted: the policy's "drift-cosine" threshold (0.15 by default),
# also judged against the document.  Between 0.15 and 0.30 the embedding cannot tell a free rendering from a
# wrong one: MQM dev flags there fired twice as often on the human references (26) as on the MT (13), and
# dropping them moved Spearman(penalty, MQM total) by 0.003; a profile may raise the threshold to read them.
DRIFT_COSINE_CRITICAL = 0.05
DRIFT_COSINE_MAJOR = 0.15
DRIFT_Z = 2.5
# On clean NTREX-128 references, 34 pairs of 1997 had a cosine of 0.40-0.55 and a document median near 0.7:
# faithful renderings the document-relative rule alone flagged.
DRIFT_COSINE_RELATIVE = 0.35
DRIFT_SHORT_CHARS = 40
DRIFT_COSINE_SHORT = 0.20


@check("fluency", category=Category.FLUENCY, severity=Severity.MAJOR,
       garble_group="fluency", needs=("models",))
def fluency(pair: CheckPair, ctx: DocumentContext):
    """Korean that is not Korean: words in an order the language model finds implausible (word salad)."""
    if not ctx.has_lm or len(pair.tgt.split()) < 4 or hangul_count(pair.tgt) < 8:
        return None
    sig = ctx.signal(pair)
    if sig.closed:
        # Korean is verb-final: a sentence Kiwi reads as closed by a final ending has its predicate where
        # Korean puts it, which shuffled words rarely do (garble bench: 8 of 91 flagged word salads end in
        # one; clean references the gain flags: 36 of 45).  A low gain there is unusual wording (a quote,
        # dialogue, a short line), not word salad; the garble score still weighs the gain itself.  So is a
        # caption in nominal style closed after a noun ('리조마티카위키 이미지, 저작권 사용허가.'), which the
        # language model reads as odd prose: shuffled words almost never end in a noun and a full stop.
        return None
    from review.scoring import english_ends_a_sentence
    if not english_ends_a_sentence(pair.src):
        # a headline or caption ("LeBron to make Lakers debut Sunday in San Diego"), which Korean renders in
        # its telegraphic nominal style ("르브론, 일요일 샌디에이고에서 레이커스 데뷔"): the LM reads prose
        return None
    gain = sig.salad_gain
    med, spread = ctx.robust_stats("salad_gain")
    z = (gain - med) / spread
    if gain < ctx.policy.threshold("fluency-gain") and z < -SALAD_Z:
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
            if _closed_before_last_comma(sentence):
                continue  # '중요한 부분은 이거에요, 스테파니.': a vocative or afterthought after a closed clause
            why = "a clause is left hanging before a bare noun phrase"
        else:
            continue
        start = sentence[0].start
        if _can_end_a_sentence(pair.tgt[start:t.end], prev) or not _split_beyond_source(pair):
            continue
        out.append(CHECKS["sentence-fragment"].finding(f"broken sentence: {why}",
                                                       tgt_spans=[span(pair.tgt, start, t.end)]))
    return out


def _closed_before_last_comma(sentence) -> bool:
    """The clause before the sentence's last comma ends in a final ending (Kiwi reads 이거에요, / 고마워요, before a
    comma as connective: a polite ending in 요 closes it all the same), so the noun phrase after the comma is a
    vocative ('..., 스테파니.') or an afterthought, not what a hanging clause runs into."""
    k = max(i for i, t in enumerate(sentence) if t.form == ",")
    if k == 0:
        return False
    last = sentence[k - 1]
    return last.tag == "EF" or (last.tag == "EC" and last.form.endswith("요"))


# Kiwi's best reading of a sentence may take a final ending of speech for a connective one ("오니까.",
# "몰라서."); a reading with a final ending (EF) this close to the best (in log-probability) is the sentence's.
FINAL_READING_MARGIN = 3.0
# The hao-che endings of older and formal speech ("않소.", "주었소.", "가오."): Kiwi tags them EC, but after a
# predicate stem or a pre-final ending they close a sentence.
HAOCHE_ENDINGS = frozenset({"오", "소", "우"})


def _can_end_a_sentence(sentence: str, last) -> bool:
    """Whether Kiwi reads the sentence as closed by a final ending after all (colloquial or archaic speech)."""
    if last.tag == "EC" and last.form in HAOCHE_ENDINGS:
        return True
    from review.checks.context import load_kiwi
    readings = load_kiwi().analyze(sentence, top_n=3)
    best = readings[0][1]
    for tokens, score in readings:
        tags = [tk.tag for tk in tokens if not tk.tag.startswith("S")]
        if tags and tags[-1] == "EF" and score >= best - FINAL_READING_MARGIN:
            return True
    return False


def _split_beyond_source(pair: CheckPair) -> bool:
    """The Korean has more sentences than the English: a period cut an English sentence in two.

    Where the English ends a sentence at the same place (dialogue: "Because it's raining." -> "비가
    오니까."; a fragment in the English too), a period after a connective ending or a particle is how
    the Korean speaks, not a break.  Without English, any such period counts.
    """
    if not pair.src.strip():
        return True
    from corpus.segment import split_sentences
    return len(split_sentences(pair.tgt, "ko")) > len(split_sentences(pair.src, "en"))


@check("semantic-drift", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="drift", needs=("source", "models"))
def semantic_drift(pair: CheckPair, ctx: DocumentContext):
    """The Korean means something else: low cross-lingual similarity, judged against the document."""
    cos = ctx.signal(pair).cosine
    if cos is None or len(pair.src) < 15:
        return None
    med, spread = ctx.robust_stats("cosine")
    z = (cos - med) / spread
    # A short line ("I hope they are safe.", a line of dialogue) has a noisy embedding: only a clear miss counts.
    absolute = ctx.policy.threshold("drift-cosine")
    if len(pair.src) < DRIFT_SHORT_CHARS:
        absolute = min(absolute, DRIFT_COSINE_SHORT)
    # Against the document: far below its usual similarity, and low in itself (a free but faithful
    # rendering of a sentence in a document of close translations stays above DRIFT_COSINE_RELATIVE).
    relative = z < -DRIFT_Z and cos < med - 0.2 and cos < min(absolute + 0.05, DRIFT_COSINE_RELATIVE)
    if cos < absolute or relative:
        # Only a clear miss is a major finding: pairs that do not belong together (the garble bench's
        # detached pairs) have a median cosine of 0.03, while free but correct human renderings reach down to
        # 0.15-0.35 (MQM dev references: 22 of 1000 there; NTREX references: 5 of 1997), where the embedding
        # cannot tell a free rendering from a wrong one: a minor finding, to read, when a profile asks for it.
        sev = Severity.CRITICAL if cos < DRIFT_COSINE_CRITICAL else (
            Severity.MAJOR if cos < DRIFT_COSINE_MAJOR else Severity.MINOR)
        return CHECKS["semantic-drift"].finding(
            f"cross-lingual similarity {cos:.2f} (document median {med:.2f}): the Korean may not translate this English",
            tgt_spans=[span(pair.tgt, 0, len(pair.tgt))], src_spans=[span(pair.src, 0, len(pair.src))], severity=sev)
    return None


@check("garble", category=Category.GARBLED, severity=Severity.MAJOR, garble_group=None, needs=("models",))
def garble(pair: CheckPair, ctx: DocumentContext):
    """Garbled by the garble score alone: no other check fired; the message names the signals behind the score.

    The scorer adds this finding (:func:`review.scoring.garble_finding`) once the other checks have run;
    registered here so that it is listed, documented and can be disabled like any check.
    """
    return None
