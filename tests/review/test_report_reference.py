"""Scores against a reference / post-edited Korean file: alignment, and sacrebleu's own numbers."""
from __future__ import annotations

import re
import time

import pytest
import sacrebleu

from _report_sample import base_pairs, sample_bitext
from review.records import ReviewedPair
from review.report.reference import (align_reference, monotone_align, read_reference, read_reference_jsonl,
                                     score_reference, write_reference_jsonl)
from review.pipeline import sample_paths

# A post-editor's fixes to the machine translation: each replaces text inside one line.
EDITS = {
    "대사 레오니트 크라신 대사 레오니트 크라신": "대사 레오니트 크라신",
    "Maisky는 런던으로": "마이스키는 런던으로",
    "Maxim LitvinovGeorgy Chicherin과": "막심 리트비노프, 게오르기 치체린과",
    "시드니베아트리스 웹": "시드니 웹과 베아트리스 웹",
    "마이스키(, 1884년": "마이스키(러시아어: Ива́н Миха́йлович Ма́йский, 1884년",
}


def korean_text() -> str:
    return sample_paths()[1].read_text(encoding="utf-8")


def post_edited() -> str:
    text = korean_text()
    for old, new in EDITS.items():
        assert old in text
        text = text.replace(old, new, 1)
    return text


def segment_pairs() -> list[ReviewedPair]:
    """One pair per Korean sentence (as the aligner's 0-1/1-1 beads would give)."""
    target = sample_bitext().target
    return [ReviewedPair(id=f"maisky:{s.index}", doc_id="maisky", position=s.index, src_idx=(), tgt_idx=(s.index,),
                         src="", tgt=s.text, tgt_start=s.start, paragraph=s.paragraph, no_source=True)
            for s in target.segments]


@pytest.fixture(scope="module")
def ref_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("ref") / "maisky.post.ko.txt"
    path.write_text(post_edited(), encoding="utf-8")
    return path


@pytest.mark.slow
def test_paragraph_pairs_scores_equal_sacrebleu(ref_path):
    pairs = base_pairs()
    scores = score_reference(pairs, read_reference(ref_path), str(ref_path))
    assert scores.method == "paragraphs"
    assert set(scores.pairs) == {p.id for p in pairs if p.tgt.strip()}
    edited = {p.id for p in pairs if any(old in p.tgt for old in EDITS)}
    assert len(edited) >= 3
    hyps, refs = [], []
    for p in pairs:
        r = scores.pairs[p.id]
        assert r.chrf == pytest.approx(sacrebleu.sentence_chrf(p.tgt, [r.ref]).score)
        assert r.ter is not None
        assert r.ter == pytest.approx(sacrebleu.sentence_ter(p.tgt, [r.ref]).score)
        if p.id in edited:
            assert r.chrf < 100 and r.ter > 0
        else:
            assert r.ref == p.tgt and r.chrf == pytest.approx(100) and r.ter == 0
        hyps.append(p.tgt)
        refs.append(r.ref)
    assert scores.corpus_chrf == pytest.approx(sacrebleu.corpus_chrf(hyps, [refs]).score)
    assert scores.corpus_bleu == pytest.approx(sacrebleu.corpus_bleu(hyps, [refs]).score)
    assert all(r.ter is not None for r in scores.pairs.values()), "post-edits keep lengths close"
    for sig in (scores.chrf_signature, scores.bleu_signature, scores.ter_signature):
        assert "nrefs:1" in sig and f"version:{sacrebleu.__version__}" in sig
    assert scores.n_reference_unmatched == 0


def test_sentence_pairs_within_paragraphs(ref_path):
    pairs = segment_pairs()
    method, refs, _ = align_reference(pairs, read_reference(ref_path))
    assert method == "paragraphs"
    untouched = [p for p in pairs if not any(old in p.tgt or p.tgt in old for old in EDITS)]
    exact = sum(1 for p in untouched if refs.get(p.id) == p.tgt)
    assert exact / len(untouched) >= 0.97


# A line of running prose: it ends a sentence and is not a numbered reference-list entry.
_PROSE_END = re.compile(r"[.!?][\"'”’)]*(?:\[\w+\]\s*)*$")
_ENUMERATED = re.compile(r"\s*\d+\.\s")


def _is_prose(line: str) -> bool:
    return bool(_PROSE_END.search(line.rstrip())) and not _ENUMERATED.match(line)


def join_prose_lines(lines: list[str]) -> list[str]:
    """Join consecutive prose lines two by two, as a post-editor merging paragraphs would.

    Headings and reference-list entries stay on their own lines: joined to a
    neighbour they would change the sentences themselves (a heading without a
    full stop runs into the next sentence; "p. 17. 3. ^ Gorodetsky" reads as a
    number sequence), and this test is about paragraphs, not segmentation.
    """
    out, k = [], 0
    while k < len(lines):
        if k + 1 < len(lines) and _is_prose(lines[k]) and _is_prose(lines[k + 1]):
            out.append(lines[k].rstrip() + " " + lines[k + 1].lstrip())
            k += 2
        else:
            out.append(lines[k])
            k += 1
    return out


@pytest.mark.slow
def test_monotone_alignment_when_paragraphs_differ(tmp_path):
    # The reference merges pairs of prose paragraphs: paragraph counts differ, the sentences stay.
    lines = [line for line in post_edited().split("\n") if line.strip()]
    joined = join_prose_lines(lines)
    assert len(joined) <= len(lines) - 20, "enough paragraphs merged to matter"
    path = tmp_path / "joined.ko.txt"
    path.write_text("\n".join(joined), encoding="utf-8")
    pairs = segment_pairs()
    t0 = time.perf_counter()
    method, refs, _ = align_reference(pairs, read_reference(path))
    elapsed = time.perf_counter() - t0
    assert method == "monotone"
    assert elapsed < 10, elapsed
    untouched = [p for p in pairs if not any(old in p.tgt or p.tgt in old for old in EDITS)]
    exact = sum(1 for p in untouched if refs.get(p.id) == p.tgt)
    assert exact / len(untouched) >= 0.85
    scores = score_reference(pairs, read_reference(path), str(path))
    assert scores.method == "monotone" and len(scores.pairs) >= 0.9 * len(pairs)
    for p in pairs[::5]:
        if p.id in scores.pairs:
            r = scores.pairs[p.id]
            assert r.chrf == pytest.approx(sacrebleu.sentence_chrf(p.tgt, [r.ref]).score)
            if r.ter is not None:
                assert r.ter == pytest.approx(sacrebleu.sentence_ter(p.tgt, [r.ref]).score)


def test_reference_missing_lines_leave_pairs_unmatched(tmp_path):
    lines = [line for line in korean_text().split("\n") if line.strip()]
    dropped = {5, 6, 40}
    path = tmp_path / "partial.ko.txt"
    path.write_text("\n".join(line for k, line in enumerate(lines) if k not in dropped), encoding="utf-8")
    pairs = base_pairs()
    method, refs, unmatched = align_reference(pairs, read_reference(path))
    assert method == "monotone" and unmatched == 0
    for p in pairs:
        r = refs.get(p.id)
        if p.position in dropped:
            assert r is None or r != p.tgt
        elif p.tgt.strip():
            assert r is not None and r.split() == p.tgt.split(), p.position


def test_monotone_align_groups():
    hyps = ["이반 마이스키는 외교관이었다.", "그는 런던에 살았다. 그리고 모스크바로 돌아왔다.", "완전히 다른 문장"]
    refs = ["이반 마이스키는 외교관이었다.", "그는 런던에 살았다.", "그리고 모스크바로 돌아왔다.", "참고 문헌"]
    assert monotone_align(hyps, refs) == [(0,), (1, 2), ()]
    assert monotone_align([], refs) == []
    assert monotone_align(hyps, []) == [(), (), ()]


def test_reference_jsonl_round_trip(tmp_path, ref_path):
    pairs = base_pairs()[:20]
    scores = score_reference(pairs, read_reference(ref_path))
    back = read_reference_jsonl(write_reference_jsonl(tmp_path / "reference.jsonl", scores))
    assert back is not None
    assert back.corpus_dict() == scores.corpus_dict()
    assert {k: v.to_dict() for k, v in back.pairs.items()} == {k: v.to_dict() for k, v in scores.pairs.items()}
    assert read_reference_jsonl(tmp_path / "absent.jsonl") is None


def test_reference_not_found(tmp_path):
    from corpus.errors import InputError

    with pytest.raises(InputError, match="reference file not found"):
        read_reference(tmp_path / "nope.txt")
