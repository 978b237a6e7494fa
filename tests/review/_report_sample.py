"""Reviewed pairs for the report tests, built from the bundled Maisky sample.

One pair per Korean paragraph (independent of the sentence segmenter and the
aligner, which other work replaces); the first eight paragraphs carry their
English.  Findings are placed by hand at real spans of the real Korean text,
the kinds of defect the checks report: a repetition loop, glued words, an
empty bracket, a bare Latin name, spelling variants of Maisky, a missing space
after a full stop (a zero-width span), and overlapping spans.
"""
from __future__ import annotations

from dataclasses import replace

from corpus.readers import read_bitext
from corpus.records import Span
from review.pipeline import sample_paths
from review.records import Category, Finding, ReviewedPair, Severity

N_WITH_ENGLISH = 8


def sample_bitext():
    en, ko = sample_paths()
    return read_bitext(str(en), str(ko), doc_id="maisky")


def span_of(text: str, needle: str, occurrence: int = 0) -> Span:
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span.of(text, start, start + len(needle))


def base_pairs(doc_id: str = "maisky") -> list[ReviewedPair]:
    bitext = sample_bitext()
    src_paras = bitext.source.paragraphs
    pairs = []
    for k, para in enumerate(bitext.target.paragraphs):
        tgt = bitext.target.text[para.start:para.end]
        has_en = k < N_WITH_ENGLISH
        src = bitext.source.text[src_paras[k].start:src_paras[k].end] if has_en else ""
        pairs.append(ReviewedPair(
            id=f"{doc_id}:{k}", doc_id=doc_id, position=k,
            src_idx=tuple(s.index for s in src_paras[k].segments) if has_en else (),
            tgt_idx=tuple(s.index for s in para.segments), src=src, tgt=tgt,
            src_start=src_paras[k].start if has_en else None, tgt_start=para.start, paragraph=k,
            align_score=0.8 if has_en else None, no_source=not has_en, score=0.05))
    return pairs


def _find(pairs: list[ReviewedPair], needle: str) -> int:
    for k, p in enumerate(pairs):
        if needle in p.tgt:
            return k
    raise AssertionError(f"{needle!r} not in the sample")


def _add(pairs: list[ReviewedPair], k: int, *findings: Finding, score: float | None = None) -> None:
    p = pairs[k]
    new = p.findings + findings
    penalty = float(sum(f.severity.weight for f in new))
    s = p.score if score is None else score
    pairs[k] = replace(p, findings=new, penalty=penalty, score=s,
                       priority=round(penalty + 10 * (s or 0) + len(p.tgt) / 1000, 4))


def sample_pairs(doc_id: str = "maisky") -> list[ReviewedPair]:
    """The sample's pairs with hand-placed findings (see the module docstring)."""
    pairs = base_pairs(doc_id)
    rep = "대사 레오니트 크라신 대사 레오니트 크라신"
    k = _find(pairs, rep)
    t = pairs[k].tgt
    _add(pairs, k,
         Finding("repetition", Category.FLUENCY, Severity.MAJOR, "A phrase is repeated in a loop",
                 (span_of(t, rep),), suggestion="대사 레오니트 크라신"),
         # Overlaps the second half of the repetition: a name variant check firing on the same words.
         Finding("term-variant", Category.TERMINOLOGY, Severity.MINOR, "Variant spelling of Leonid Krasin",
                 (span_of(t, "레오니트 크라신", 1),), suggestion="레오니드 크라신"), score=0.62)
    k = _find(pairs, "시드니베아트리스 웹")
    t = pairs[k].tgt
    _add(pairs, k,
         Finding("glued-words", Category.FLUENCY, Severity.MINOR, "Two names run together",
                 (span_of(t, "시드니베아트리스"),), (span_of(pairs[k].src, "Sidney and Beatrice"),),
                 suggestion="시드니 웹과 베아트리스 웹"),
         # A missing space after a full stop: a zero-width span at the insertion point.
         Finding("glued-words", Category.FLUENCY, Severity.MINOR, "No space after the full stop",
                 (Span(t.index("받았습니다.학생") + 6, t.index("받았습니다.학생") + 6, ""),), suggestion=". "))
    k = _find(pairs, "마이스키(, 1884년")
    t = pairs[k].tgt
    _add(pairs, k, Finding("empty-brackets", Category.FLUENCY, Severity.MINOR,
                           "Empty brackets: the Russian name was dropped", (span_of(t, "(,"),),
                           (span_of(pairs[k].src, "Ива́н Миха́йлович Ма́йский"),), suggestion="(러시아어: Ива́н Миха́йлович Ма́йский,"))
    k = _find(pairs, "Maisky는")
    t = pairs[k].tgt
    _add(pairs, k,
         Finding("untranslated", Category.ACCURACY, Severity.MAJOR, "English name left bare in running Korean",
                 (span_of(t, "Maisky"),), (span_of(pairs[k].src, "Maisky"),), suggestion="마이스키"),
         Finding("glued-words", Category.FLUENCY, Severity.MINOR, "Two names run together",
                 (span_of(t, "LitvinovGeorgy"),), suggestion="Litvinov, Georgy"),
         Finding("untranslated", Category.ACCURACY, Severity.MAJOR, "English names left in the Korean",
                 (span_of(t, "Maxim LitvinovGeorgy Chicherin"),), suggestion="막심 리트비노프, 게오르기 치체린"))
    k = _find(pairs, "\"국민\"")
    t = pairs[k].tgt
    _add(pairs, k, Finding("name-inconsistent", Category.TERMINOLOGY, Severity.MINOR,
                           "Maisky spelled 메이스키 here, 마이스키 elsewhere <in this document> & more",
                           (span_of(t, "메이스키"), span_of(t, "메이스키", 1)), suggestion="마이스키"),
         Finding("style", Category.STYLE, Severity.MINOR, "Quotation marks \"국민\" read oddly",
                 (span_of(t, "\"국민\""),), suggestion="'국민'"))
    loop = "본말은 절대 하지 않고, 본말은 절대 하지 않는"
    k = _find(pairs, loop)
    t = pairs[k].tgt
    _add(pairs, k, Finding("repetition", Category.FLUENCY, Severity.CRITICAL, "Garbled repetition loop",
                           (span_of(t, loop),)),
         Finding("unsupported-title", Category.ACCURACY, Severity.MAJOR, "Title not in the source",
                 (span_of(t, "메이스키는"),)), score=0.91)
    # A finding with no span at all (a whole-pair judgement) on a pair with English.
    _add(pairs, 1, Finding("semantic-drift", Category.ACCURACY, Severity.MINOR,
                           "Low similarity to the English for this document"), score=0.3)
    return pairs
