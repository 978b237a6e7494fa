"""Structural checks: missing or extra text, citations, brackets, glued words, repetition."""
from __future__ import annotations

import bisect
import functools
import math
import re

from review.checks.context import CheckPair, DocumentContext, closed_after_noun
from review.policy import IGNORE, NOTE
from review.checks.registry import CHECKS, check
from review.checks.text import CITATION_RE, hangul_count, span, tokens_with_offsets
from review.records import Category, Severity

# Korean shorter than the policy's "omission-share" (0.45 by default) of the document's usual length
# (relative to the English) is an omission; below this share, a possible one.
OMISSION_SHARE_MINOR = 0.7
ADDITION_SHARE_MINOR = 1.6


@check("omission", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="structure", needs=("source",))
def omission(pair: CheckPair, ctx: DocumentContext):
    """English with no Korean, Korean clearly shorter than the English warrants, or English parts it does not render."""
    me = CHECKS["omission"]
    if pair.src.strip() and not pair.tgt.strip():
        return me.finding("the English has no Korean translation", src_spans=[span(pair.src, 0, len(pair.src))],
                          severity=Severity.CRITICAL if len(pair.src.split()) >= 4 else Severity.MAJOR)
    if not pair.tgt.strip():
        return None
    out = list(_part_findings(pair, ctx))
    shortfall = _length_shortfall(pair, ctx, bool(out))
    if shortfall is None or shortfall[1] == NOTE:
        return out
    share, severity = shortfall
    if severity is Severity.MAJOR:
        out.append(me.finding(f"the Korean is {share:.0%} of the length the English usually gives; "
                              "part of the source is probably missing",
                              tgt_spans=[span(pair.tgt, 0, len(pair.tgt))],
                              src_spans=[span(pair.src, 0, len(pair.src))]))
    else:
        out.append(me.finding(f"the Korean is {share:.0%} of the usual length for this English; "
                              "check for omitted words",
                              tgt_spans=[span(pair.tgt, 0, len(pair.tgt))], severity=Severity.MINOR))
    return out


def _length_shortfall(pair: CheckPair, ctx: DocumentContext, parts_reported: bool):
    """(share of the usual length, MAJOR / MINOR / :data:`NOTE`) when the Korean is short for its English, else None.

    Major: far too short (below the policy's omission-share), or short and cut off before its final ending.
    Minor: short (below :data:`OMISSION_SHARE_MINOR`) and corroborated: an English part or word is reported
    unrendered, or the bilingual lexicon finds some reliably rendered English word without a counterpart
    (coverage.unrendered_words, whatever its USE cosine).  Short and nothing else: what the policy's
    ``short_translations`` says, by default a note (``possible-omission``).  Without the models there is no word
    evidence to ask, and a short Korean stays minor.
    """
    if len(pair.src) < 25 or not pair.tgt.strip():
        return None
    share = len(pair.tgt) / (ctx.english_length(pair) * ctx.length_ratio)
    if share >= OMISSION_SHARE_MINOR and share >= ctx.policy.threshold("omission-share"):
        return None
    sig = ctx.signal(pair)
    # A Korean sentence that stops without a final ending where the English ends one is cut short; a headline
    # in nominal style ('5명 중 1명의 어린이가 부모 몰래 소셜 미디어 계정 보유') is not, nor a caption or credit
    # line the translator closed after a noun ('리조마티카위키 이미지, 저작권 사용허가.').
    from review.scoring import english_ends_a_sentence
    cut_short = ctx.has_lm and not sig.closed and english_ends_a_sentence(pair.src)
    if share < ctx.policy.threshold("omission-share") or (share < OMISSION_SHARE_MINOR and cut_short):
        return share, Severity.MAJOR
    if parts_reported or not (ctx.has_lm and ctx.has_embeddings):
        return share, Severity.MINOR
    from review.checks.coverage import unrendered_words
    if unrendered_words(ctx.word_evidence(pair), pair.src, pair.tgt):
        return share, Severity.MINOR
    choice = ctx.policy.short_translations   # house style: note (default), ignore, or a severity
    if choice == IGNORE:
        return None
    return share, NOTE if choice == NOTE else Severity(choice)


@check("possible-omission", category=Category.ACCURACY, severity=Severity.MINOR,
       garble_group="structure", needs=("source",), informational=True)
def possible_omission(pair: CheckPair, ctx: DocumentContext):
    """The Korean is short for its English and nothing else points at a missing part (a note, not an error).

    A length shortfall alone is weak evidence: clean human translations are often concise (2% of NTREX-128
    reference pairs fall below 0.7 of the usual length, most of them complete).  Shown so that a reviewer can
    glance at the pair (informational: no penalty, never queued); the ``omission`` check reports the shortfall
    as a minor error once an unrendered English part or word corroborates it, and as major when it is large.
    Its weight still feeds the garble score as the minor finding did.
    """
    if not pair.src.strip() or not pair.tgt.strip():
        return None
    shortfall = _length_shortfall(pair, ctx, bool(_part_findings(pair, ctx)))
    if shortfall is None or shortfall[1] != NOTE:
        return None
    return CHECKS["possible-omission"].finding(
        f"the Korean is {shortfall[0]:.0%} of the usual length for this English; no English part or word "
        "is found unrendered, so it is probably concise rather than incomplete",
        tgt_spans=[span(pair.tgt, 0, len(pair.tgt))])


# Leaving out an English part must raise the cosine with the Korean by more than this for it to count as
# not rendered (review.checks.coverage).  A structure the Korean lacks (brackets, a "Speaker:" label, a
# dash aside, a @handle) is evidence already, so any gain confirms it; a plain clause needs a clear gain:
# on clean NTREX-128 news 0.7% of pairs have a clause above 0.05, and a clause dropped by MT gains 0.1-0.2.
# A plain clause also needs the length to agree: the Korean must be nearer the length the English gives
# without the clause than with it (:func:`_length_agrees`).  The cosine gain alone fired on clauses that
# human translators had moved or merged ('including Prime Minister Zoran Zaev,' -> '조란 자에프 총리와 같은
# 국민 투표 지지자들은'); on MQM dev MT its findings came as often without an annotated omission as with one.
# And the Korean must be short for the English at all (below CLAUSE_MAX_SHARE of the usual length): on clean
# NTREX-128 news a share of 0.8 is within the usual spread (9% of pairs are below it), where a short clause
# moved elsewhere still 'agrees'.
STRUCTURE_GAIN = 0.0
CLAUSE_GAIN = 0.06
CLAUSE_MAX_SHARE = 0.8
_GAP_WHAT = {"parenthesis": "the bracketed text", "label": "the label before the colon",
             "aside": "the aside between dashes", "handle": "the handle", "clause": "this clause"}


def _part_findings(pair: CheckPair, ctx: DocumentContext) -> tuple:
    """:func:`_uncovered_parts` of a pair, found once for ``omission`` and ``possible-omission``."""
    return ctx._memo(("uncovered-parts", pair.index), lambda: tuple(_uncovered_parts(pair, ctx)))


def _uncovered_parts(pair: CheckPair, ctx: DocumentContext):
    me = CHECKS["omission"]
    reported: list = []
    for gap in ctx.signal(pair).gaps:  # structures first, then clauses
        if gap.gain <= (CLAUSE_GAIN if gap.kind == "clause" else STRUCTURE_GAIN) \
                or any(gap.start < g.end and g.start < gap.end for g in reported):
            continue
        n = ctx.english_length(pair)   # a page title's site name the Korean drops is no clause to render
        if gap.kind == "clause" and (gap.start >= n or not _length_agrees(pair, min(gap.end, n) - gap.start,
                                                                           ctx.length_ratio, n)):
            continue
        reported.append(gap)
        text = pair.src[gap.start:gap.end]
        yield me.finding(f"{_GAP_WHAT[gap.kind]} {text!r} seems not to be rendered in the Korean "
                         f"(leaving it out brings the English closer to the Korean: cosine +{gap.gain:.2f})",
                         src_spans=[span(pair.src, gap.start, gap.end)],
                         severity=Severity.MAJOR if gap.n_words >= 4 else Severity.MINOR,
                         suggestion=f"translate {text!r}")
    for word in ctx.word_evidence(pair).omitted:
        if any(word.start < g.end and g.start < word.end for g in reported):
            continue
        text = pair.src[word.start:word.end]
        yield me.finding(f"{text!r} seems not to be rendered: human translations show a counterpart of it "
                         f"at least {word.reliability:.0%} of the time and none is found here "
                         f"(bilingual lexicon; closest Korean word cosine {word.cosine:.2f}; evidence {word.evidence:.2f})",
                         src_spans=[span(pair.src, word.start, word.end)], severity=Severity.MINOR,
                         suggestion=f"translate {text!r}")


def _length_agrees(pair: CheckPair, left_out: int, ratio: float, english_length: int | None = None) -> bool:
    """Whether the Korean is short for the English (below :data:`CLAUSE_MAX_SHARE` of the usual length) and its
    length nearer what the English gives without ``left_out`` of its characters than what the whole English
    gives (in log ratio, at the document's usual Korean/English ``ratio``)."""
    n = len(pair.src) if english_length is None else english_length
    rest = n - left_out
    if rest <= 0 or not pair.tgt.strip():
        return True
    ko = len(pair.tgt)
    share = ko / (n * ratio)
    return share < CLAUSE_MAX_SHARE and abs(math.log(share)) > abs(math.log(ko / (rest * ratio)))


@check("addition", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group=None, needs=("source",))
def addition(pair: CheckPair, ctx: DocumentContext):
    """Korean with no English counterpart: a whole segment, a content word the English does not say, or far more Korean than English."""
    me = CHECKS["addition"]
    if not pair.tgt.strip():
        return None
    if not pair.src.strip():
        if pair.no_source:
            return None
        return me.finding("this Korean has no English counterpart: added text, or a misalignment",
                          tgt_spans=[span(pair.tgt, 0, len(pair.tgt))])
    out = [me.finding(f"{pair.tgt[w.start:w.end]!r} seems to have no English counterpart: in human translations "
                      f"it renders an English word at least {w.reliability:.0%} of the time and no English word "
                      f"here is one it renders (bilingual lexicon; cosine with the English {w.cosine:.2f}; "
                      f"evidence {w.evidence:.2f})",
                      tgt_spans=[span(pair.tgt, w.start, w.end)], severity=Severity.MINOR)
           for w in ctx.word_evidence(pair).added]
    if len(pair.src) < 40 or hangul_count(pair.tgt) < 0.5 * sum(c.isalpha() for c in pair.tgt):
        return out  # the length ratio only means something for Korean text
    from corpus.align import strip_latin_glosses
    share = len(strip_latin_glosses(pair.tgt)) / (ctx.english_length(pair) * ctx.length_ratio)  # a gloss adds no content
    if share > ADDITION_SHARE_MINOR:
        out.append(me.finding(f"the Korean is {share:.0%} of the length this English usually gives; "
                              "check for added text", tgt_spans=[span(pair.tgt, 0, len(pair.tgt))],
                              severity=Severity.MINOR))
    return out


@check("mistranslation", category=Category.ACCURACY, severity=Severity.MINOR,
       garble_group=None, needs=("source", "models"))
def mistranslation(pair: CheckPair, ctx: DocumentContext):
    """A Korean word renders an English word in a way the bilingual lexicon never saw (wrong sense, literal idiom)."""
    me = CHECKS["mistranslation"]
    out = []
    for m in ctx.word_evidence(pair).mistranslated:
        en, ko = pair.src[m.english.start:m.english.end], pair.tgt[m.korean.start:m.korean.end]
        usual = ", ".join(m.usual)
        out.append(me.finding(f"{ko!r} seems to render {en!r} (their closest match, cosine {m.cosine:.2f}), but human "
                              f"translations never render {en!r} that way" + (f" (usually: {usual})" if usual else "")
                              + " (bilingual lexicon)",
                              tgt_spans=[span(pair.tgt, m.korean.start, m.korean.end)],
                              src_spans=[span(pair.src, m.english.start, m.english.end)],
                              suggestion=f"check the sense of {en!r}" + (f"; usual renderings: {usual}" if usual else "")))
    return out


@check("no-source", category=Category.ACCURACY, severity=Severity.MINOR,
       garble_group=None, informational=True)
def no_source(pair: CheckPair, ctx: DocumentContext):
    """Korean whose English source is not available, so only target-side checks apply."""
    if not pair.no_source or pair.src.strip() or not pair.tgt.strip():
        return None
    return CHECKS["no-source"].finding("no English source for this Korean (the source is incomplete); "
                                       "only the Korean could be checked",
                                       tgt_spans=[span(pair.tgt, 0, len(pair.tgt))])


@check("citation-mismatch", category=Category.ACCURACY, severity=Severity.MINOR,
       garble_group="number", needs=("source",))
def citation_mismatch(pair: CheckPair, ctx: DocumentContext):
    """Citation markers [n] lost, added or changed in the Korean."""
    if not pair.src.strip() or not pair.tgt.strip():
        return []
    me = CHECKS["citation-mismatch"]
    src = [(m.group(1), m) for m in CITATION_RE.finditer(pair.src)]
    tgt = [(m.group(1), m) for m in CITATION_RE.finditer(pair.tgt)]
    out = []
    remaining = [n for n, _ in tgt]
    for n, m in src:
        if n in remaining:
            remaining.remove(n)
        else:
            out.append(me.finding(f"citation [{n}] is missing in the Korean",
                                  src_spans=[span(pair.src, m.start(), m.end())],
                                  suggestion=f"add [{n}]"))
    src_left = [n for n, _ in src]
    for n, m in tgt:
        if n in src_left:
            src_left.remove(n)
        else:
            out.append(me.finding(f"citation [{n}] is not in the English",
                                  tgt_spans=[span(pair.tgt, m.start(), m.end())]))
    return out


EMPTY_BRACKET_RE = re.compile(r"\(\s*[,;:]?\s*\)|\(\s*[,;:]|\[\s*\]|\{\s*\}|“\s*”|\"\s*\"|'\s*'|‘\s*’|「\s*」")


def _closes_then_opens(text: str, start: int, end: int) -> bool:
    """Straight quotes around whitespace that close one quotation and open the next, not an empty pair:
    a quotation ending a line and the next opening the following line ('..."\n"...'), or two quotations
    in a row ('조작한" "가짜 뉴스"')."""
    inner = text[start + 1:end - 1]
    if not inner or text[start] not in "\"'" or text[end - 1] != text[start]:
        return False
    if "\n" in inner or "\r" in inner:
        return True
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    return not before.isspace() and not after.isspace()


@check("empty-brackets", category=Category.ACCURACY, severity=Severity.MAJOR,
       garble_group="structure")
def empty_brackets(pair: CheckPair, ctx: DocumentContext):
    """Brackets or quotes with nothing (or only a comma) inside: dropped content."""
    me = CHECKS["empty-brackets"]
    out = []
    for m in EMPTY_BRACKET_RE.finditer(pair.tgt):
        if m.group() in pair.src:  # the source has the same empty pair: not ours
            continue
        if _closes_then_opens(pair.tgt, m.start(), m.end()):
            continue
        out.append(me.finding(f"empty brackets {m.group()!r}: the text inside was dropped",
                              tgt_spans=[span(pair.tgt, m.start(), m.end())],
                              suggestion="restore the bracketed text from the source or remove the brackets"))
    return out


PAIRS = {"(": ")", "[": "]", "{": "}", "‘": "’", "「": "」", "『": "』", "《": "》", "〈": "〉"}
# Double quotation marks are judged apart: a straight '"' may open or close a curly one, as Korean text
# mixes the styles ('"역사적으로 ... 교회였습니다.” 아담 씨가 말했다.' is a quotation, not a broken one).
DOUBLE_OPEN, DOUBLE_CLOSE, DOUBLE_EITHER = "“„", "”", '"'


_QUOTE_FAMILY = {c: '"' for c in DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_EITHER} | {"‘": "'", "’": "'"}


# Quotation marks of either style; a straight ' only where it is not an apostrophe inside a word.
_QUOTE_MARK_RE = re.compile(r"[\"“”„‘]|(?<![A-Za-z])'|'(?![A-Za-z])|’(?![A-Za-z])")


def _unbalanced_double_quotes(text: str) -> list[tuple[int, str]]:
    bad: list[tuple[int, str]] = []
    opener: tuple[int, str] | None = None
    for i, ch in enumerate(text):
        if ch in DOUBLE_OPEN or (ch in DOUBLE_EITHER and opener is None):
            if opener is not None:
                bad.append(opener)   # a quotation opened inside an open one: the first was never closed
            opener = (i, ch)
        elif ch in DOUBLE_CLOSE or ch in DOUBLE_EITHER:
            if opener is None:
                bad.append((i, ch))
            else:
                opener = None
    if opener is not None:
        bad.append(opener)
    return bad


@functools.lru_cache(maxsize=4)
def _unbalanced_cached(text: str) -> tuple[tuple[int, str], ...]:
    # every pair of a paragraph asks about the same (shared) paragraph string: scan it once, not once per pair
    return tuple(_unbalanced(text))


def _unbalanced(text: str) -> list[tuple[int, str]]:
    """Positions of brackets/quotes without a partner."""
    stack: list[tuple[int, str]] = []
    bad: list[tuple[int, str]] = []
    closers = {v: k for k, v in PAIRS.items()}
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append((i, ch))
        elif ch in closers:
            if stack and stack[-1][1] == closers[ch]:
                stack.pop()
            elif ch == "’" and i > 0 and text[i - 1].isalpha():
                continue  # an apostrophe
            else:
                bad.append((i, ch))
    bad.extend(stack)
    bad.extend(_unbalanced_double_quotes(text))
    return sorted(bad)


@check("unbalanced-brackets", category=Category.FLUENCY, severity=Severity.MINOR,
       garble_group="structure")
def unbalanced_brackets(pair: CheckPair, ctx: DocumentContext):
    """A bracket or quotation mark opened or closed without its partner."""
    from review.checks.language import MOJIBAKE_RE

    me = CHECKS["unbalanced-brackets"]
    garbled = [(m.start(), m.end()) for m in MOJIBAKE_RE.finditer(pair.tgt)]
    if pair.tgt_paragraph:
        # judge the whole paragraph, so a quotation over several sentences is balanced; report this pair's part
        off = pair.tgt_offset
        in_paragraph = _unbalanced_cached(pair.tgt_paragraph)
        first = bisect.bisect_left(in_paragraph, (off, ""))
        last = bisect.bisect_left(in_paragraph, (off + len(pair.tgt), ""))
        bad = [(i - off, ch) for i, ch in in_paragraph[first:last]]
    else:
        bad = _unbalanced(pair.tgt)
    bad = [(i, ch) for i, ch in bad if not any(a <= i < b for a, b in garbled)]
    if not bad:
        return []
    # the English is unbalanced the same way (a quotation that spans sentences, in either quote style, as
    # translations change ' to "): not the translation's fault
    src_bad = {_QUOTE_FAMILY.get(ch, ch) for _, ch in _unbalanced(pair.src)} if pair.src else set()
    if pair.src and len(_QUOTE_MARK_RE.findall(pair.src)) % 2:
        src_bad |= {'"', "'"}
    return [me.finding(f"{ch!r} has no matching partner", tgt_spans=[span(pair.tgt, i, i + 1)])
            for i, ch in bad if _QUOTE_FAMILY.get(ch, ch) not in src_bad]


# Two Latin names run together: "LitvinovGeorgy"
GLUED_LATIN_RE = re.compile(r"(?<![A-Za-z])([A-Z][a-z]{3,})([A-Z][a-z]{2,})(?![A-Za-z]*[A-Z])")
# A sentence end glued to the next sentence: "습니다.[3]그의", "보냈습니다.메이스키의"
GLUED_PAIR_END_RE = re.compile(r"(?<=[\uac00-\ud7a3])[.!?]+[\"'”’)]*(?:\[\d+\])*$")
GLUED_SENTENCE_RE = re.compile(r"(?<=[\uac00-\ud7a3][.!?])((?:\[\d+\])*)(?=[\uac00-\ud7a3A-Za-z“‘])")


@check("glued-words", category=Category.FLUENCY, severity=Severity.MAJOR,
       garble_group="structure")
def glued_words(pair: CheckPair, ctx: DocumentContext):
    """Two names or words run together, or a sentence without the space after its final punctuation."""
    me = CHECKS["glued-words"]
    out = []
    tgt = pair.tgt
    for m in GLUED_LATIN_RE.finditer(tgt):
        left, right = m.group(1), m.group(2)
        in_src = bool(re.search(rf"\b{left}\b.*\b{right}\b", pair.src)) if pair.src else False
        preceded_by_name = bool(re.search(r"[A-Z][a-z]+\s+$", tgt[:m.start()]))
        if pair.src and m.group() in pair.src:
            continue  # the source spells it as one word (a brand, a surname like "McDonald")
        sev = Severity.MAJOR if (in_src or preceded_by_name) else Severity.MINOR
        out.append(me.finding(f"{left!r} and {right!r} are run together", tgt_spans=[span(tgt, m.start(), m.end())],
                              suggestion=f"{left} {right}" if not in_src else f"{left} and {right}", severity=sev))
    for m in GLUED_SENTENCE_RE.finditer(tgt):
        end = m.end()
        out.append(me.finding("no space after the sentence's final punctuation",
                              tgt_spans=[span(tgt, m.start() - 1, end + 1)],
                              suggestion=tgt[m.start() - 1:end] + " " + tgt[end:end + 1], severity=Severity.MINOR))
    # the pair ends a sentence and the next sentence follows without a space (the split was made between them)
    end = GLUED_PAIR_END_RE.search(tgt)
    following = pair.tgt_following()
    if end and following and not following.isspace():
        out.append(me.finding("no space after the sentence's final punctuation",
                              tgt_spans=[span(tgt, end.start(), end.end())],
                              suggestion=end.group() + " ", severity=Severity.MINOR))
    out.extend(_glued_hangul_names(pair, ctx))
    return out


def _glued_hangul_names(pair: CheckPair, ctx: DocumentContext):
    """Hangul names run together: two proper nouns in one word that the document uses apart."""
    if not ctx.has_lm:
        return []
    me = CHECKS["glued-words"]
    names = ctx.proper_nouns
    sig = ctx.signal(pair)
    out = []
    toks = sig.tokens
    for i in range(len(toks) - 1):
        a, b = toks[i], toks[i + 1]
        if a.tag == "NNP" and b.tag == "NNP" and a.end == b.start and len(a.form) >= 2 and len(b.form) >= 2 \
                and names[a.form] >= 1 and names[b.form] >= 1 and hangul_count(a.form + b.form) == len(a.form + b.form) \
                and ctx.text_count(a.form + b.form) <= 1:
            out.append(me.finding(f"the names {a.form!r} and {b.form!r} are run together",
                                  tgt_spans=[span(pair.tgt, a.start, b.end)], suggestion=f"{a.form} {b.form}",
                                  severity=Severity.MINOR if pair.src.strip() else Severity.MAJOR))
    # A long unknown word made of a name known in the document and another name: "시드니베아트리스".
    # A word Kiwi's dictionary has is one name, however it splits (인도네시아, 크리스토퍼).
    from corpus.kiwi import unknown_noun_ids
    unknown = unknown_noun_ids()
    seen = {(s.tgt_spans[0].start) for s in out}
    for t in toks:
        if t.tag not in ("NNG", "NNP") or len(t.form) < 5 or t.start in seen \
                or hangul_count(t.form) != len(t.form) or t.morph_id not in unknown:
            continue
        for cut in range(2, len(t.form) - 1):
            left, right = t.form[:cut], t.form[cut:]
            if (names[right] >= 1 and len(left) >= 2 and _looks_foreign(left)) or \
                    (names[left] >= 1 and len(right) >= 2 and _looks_foreign(right)):
                if ctx.text_count(t.form) > 1:
                    break  # the document writes it this way consistently: a compound, not a slip
                out.append(me.finding(f"the names {left!r} and {right!r} are run together",
                                      tgt_spans=[span(pair.tgt, t.start, t.end)], suggestion=f"{left} {right}",
                                      severity=Severity.MINOR if pair.src.strip() else Severity.MAJOR))
                break
    return out


# Syllables that transliterated (foreign) names use far more than native Korean nouns do.
_FOREIGN_SYLLABLES = set("스트크드프브르즈츠키니리시르로버트벨웹츠슈샤셰쇼헨렌런든슨튼퍼터빌필")


def _looks_foreign(word: str) -> bool:
    return sum(ch in _FOREIGN_SYLLABLES for ch in word) >= max(1, len(word) // 2)


@check("repetition", category=Category.GARBLED, severity=Severity.MAJOR,
       garble_group="repetition", exempt=("references",))  # "Cambridge: Cambridge University Press"
def repetition(pair: CheckPair, ctx: DocumentContext):
    """A word or phrase repeated in a loop, as oscillating MT output does."""
    me = CHECKS["repetition"]
    toks = tokens_with_offsets(pair.tgt)
    words = [re.sub(r"[\W_]+$", "", w) or w for w, _, _ in toks]
    out, i = [], 0
    while i < len(words):
        hit = None
        for n in range(6, 0, -1):
            if i + 2 * n > len(words):
                continue
            a, b = words[i:i + n], words[i + n:i + 2 * n]
            if n == 1:
                copies = 1
                while i + copies < len(words) and words[i + copies] == a[0]:
                    copies += 1
                if (copies >= 3 or (copies == 2 and len(a[0]) >= 3)) and not a[0].isdigit() \
                        and not _repeated_in_source(pair.src, a[0], copies) \
                        and not (copies == 2 and _ITERATIVE_RE.search(pair.src)):
                    hit = (n, copies)
                    break
                continue
            if a[:-1] == b[:-1] and _near(a[-1], b[-1]) and sum(len(w) for w in a) >= 4:
                copies = 2
                while words[i + copies * n:i + (copies + 1) * n] == a:
                    copies += 1
                if _phrase_repeated_in_source(pair.src, copies):
                    continue  # the English repeats a phrase too: a refrain, a chant ("up above my head up above my head")
                hit = (n, copies)
                break
        if hit:
            n, copies = hit
            start, end = toks[i][1], toks[i + n * copies - 1][2]
            phrase = pair.tgt[toks[i][1]:toks[i + n - 1][2]]
            out.append(me.finding(f"{phrase!r} repeated {copies} times", tgt_spans=[span(pair.tgt, start, end)],
                                  suggestion=pair.tgt[toks[i + n * (copies - 1)][1]:end]))
            i += n * copies
        else:
            i += 1
    return out


def _near(a: str, b: str) -> bool:
    """Equal, or the same word with a different ending ("않고" / "않는")."""
    if a == b:
        return True
    common = 0
    for x, y in zip(a, b):
        if x != y:
            break
        common += 1
    return common >= 1 and common >= min(len(a), len(b)) - 1 and abs(len(a) - len(b)) <= 1


# English that Korean renders by saying a word twice: "step by step" -> "조금씩 조금씩", "one by one" -> "하나 하나",
# "again and again" -> "또 또", "more and more" -> "점점 점점"
_ITERATIVE_RE = re.compile(r"\b(\w+)\s+(?:by|after|and|upon|to)\s+\1\b", re.IGNORECASE)


def _phrase_repeated_in_source(src: str, copies: int) -> bool:
    """The English says a phrase of two to six words ``copies`` times in a row."""
    return bool(src) and bool(re.search(r"\b((?:[\w']+[\s,]+){2,6}?)\1{%d}" % (copies - 1), src + " ", re.IGNORECASE))


def _repeated_in_source(src: str, word: str, copies: int) -> bool:
    return bool(src) and bool(re.search(r"(\b\w+\b)(\s+\1){%d}" % (copies - 1), src))
