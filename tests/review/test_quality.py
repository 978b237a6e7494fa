"""The learned quality estimate: shipped weights, what it ranks lower, and where it is written."""
from __future__ import annotations

import json

import numpy as np
import pytest

from review.checks import CheckPair
from review.quality import QUALITY_FEATURES, QualityModel, default_quality_model, exposure

PAIRS = [
    ("The committee approved the new budget on Tuesday.", "위원회는 화요일에 새 예산을 승인했다."),
    ("Heavy rain caused flooding in several villages.", "폭우로 여러 마을에 홍수가 났다."),
    ("The museum will reopen next spring after repairs.", "박물관은 수리를 마치고 내년 봄에 다시 문을 연다."),
    ("Scientists found water ice near the moon's south pole.", "과학자들은 달의 남극 근처에서 얼음을 발견했다."),
    ("The company hired two hundred new workers this year.", "그 회사는 올해 200명의 신규 직원을 고용했다."),
    ("Police closed the road after the accident.", "경찰은 사고 후 도로를 폐쇄했다."),
    ("The team won the championship for the third time.", "그 팀은 세 번째로 우승을 차지했다."),
    ("Farmers are worried about the long drought.", "농부들은 긴 가뭄을 걱정하고 있다."),
    ("The new bridge connects the two halves of the city.", "새 다리는 도시의 두 지역을 잇는다."),
    ("She wrote three novels before she turned thirty.", "그녀는 서른 살이 되기 전에 소설 세 편을 썼다."),
]


def _assess(pairs):
    from review.assess import assess_pairs
    return assess_pairs([CheckPair(f"p{i}", s, t) for i, (s, t) in enumerate(pairs)])


def test_shipped_weights_match_the_features():
    model = default_quality_model()
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(QUALITY_FEATURES)
    assert model.provenance  # says what it was trained on
    assert all(s > 0 for s in model.scale)


def test_quality_in_range_and_lower_for_wrong_translations():
    clean = _assess(PAIRS)
    # the Korean of the first pair replaced by another sentence's, and the second's main verb negated away
    damaged = list(PAIRS)
    damaged[0] = (PAIRS[0][0], "농부들은 긴 가뭄을 걱정하고 있다.")
    damaged[1] = (PAIRS[1][0], "Heavy rain caused flooding 여러 마을.")
    bad = _assess(damaged)
    for a in clean + bad:
        assert 0.0 <= a.quality <= 1.0
    assert bad[0].quality < clean[0].quality - 0.1
    assert bad[1].quality < clean[1].quality - 0.1
    # the untouched pairs keep nearly the same estimate
    assert abs(bad[5].quality - clean[5].quality) < 0.15


def test_empty_translation_has_no_quality():
    out = _assess(PAIRS[:3] + [("A sentence that was never translated.", "")])
    assert out[-1].quality == 0.0


def test_longer_text_at_the_same_rate_is_less_likely_error_free():
    model = default_quality_model()
    x = list(model.mean)
    assert model.quality(x, 40.0) < model.quality(x, 10.0) < 1.0
    assert exposure(CheckPair("a", "one two three four", "하나 둘")) == 4.0
    assert exposure(CheckPair("a", "", "하나 둘 셋")) == 3.0


def test_weights_for_other_features_are_refused():
    data = default_quality_model().to_dict()
    data["features"] = data["features"][:-1]
    with pytest.raises(ValueError, match="quality weights are for features"):
        QualityModel.from_dict(data)


def test_poisson_fit_recovers_known_rates():
    from training.qe.fit import fit_poisson
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, 2))
    n = rng.integers(5, 40, size=4000).astype(float)
    y = rng.poisson(n * np.exp(-3.0 + 0.8 * x[:, 0] - 0.4 * x[:, 1]))
    bias, w = fit_poisson(x, y.astype(float), np.log(n), l2=0.0)
    assert bias == pytest.approx(-3.0, abs=0.1)
    assert w[0] == pytest.approx(0.8, abs=0.08) and w[1] == pytest.approx(-0.4, abs=0.08)


def test_score_command_writes_quality(tmp_path):
    from review.cli import main
    src = tmp_path / "pairs.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "src": s, "tgt": t}, ensure_ascii=False) + "\n"
                           for i, (s, t) in enumerate(PAIRS)), encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    assert main(["score", "--input", str(src), "--output", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    scored = [r for r in records if "id" in r]
    assert len(scored) == len(PAIRS)
    assert all(0.0 <= r["quality"] <= 1.0 for r in scored)


def test_a_paragraph_is_judged_by_its_sentences(tmp_path):
    """``mtreview score`` on records that hold paragraphs: the quality comes from the aligned sentence pairs,
    weighted by English length, and an English sentence the Korean leaves out counts with quality 0."""
    from review.assess import assess_pairs, score_records, sentence_qualities
    english = " ".join(s for s, _ in PAIRS[:3])
    complete = " ".join(t for _, t in PAIRS[:3])
    dropped = " ".join(t for _, t in (PAIRS[0], PAIRS[2]))   # the middle sentence left out
    qualities = sentence_qualities([CheckPair("full", english, complete), CheckPair("gap", english, dropped),
                                    CheckPair("one", *PAIRS[3])])
    assert set(qualities) == {0, 1}   # a one-sentence pair keeps its own estimate
    share_left_out = len(PAIRS[1][0]) / sum(len(s) for s, _ in PAIRS[:3])
    assert qualities[1] <= 1 - share_left_out + 1e-6 < qualities[0]
    # the whole pair judged as one text would not see the missing sentence that clearly
    whole = assess_pairs([CheckPair("gap", english, dropped)])[0].quality
    assert whole > qualities[1]
    records = tmp_path / "paragraphs.jsonl"
    records.write_text("".join(json.dumps({"id": i, "src": s, "tgt": t}, ensure_ascii=False) + "\n"
                               for i, (s, t) in enumerate([(english, complete), (english, dropped), PAIRS[3]])),
                       encoding="utf-8")
    scored = score_records(records)
    assert [r["quality"] for r in scored[:2]] == [qualities[0], qualities[1]]
    assert scored[2]["quality"] == assess_pairs([CheckPair("a", english, complete), CheckPair("b", english, dropped),
                                                 CheckPair("c", *PAIRS[3])])[2].quality


def test_the_weight_the_checks_found_adds_to_the_expected_weight():
    import math
    from review.assess import assess_pairs
    from review.scoring import penalty
    model = default_quality_model()
    x = list(model.mean)
    assert model.quality(x, 20.0, 5.0) == pytest.approx(model.quality(x, 20.0) * math.exp(-1.0))   # a major: e^-1
    # an English run left in the Korean: the checks flag it, and its quality carries that weight
    flagged = assess_pairs([CheckPair("p", "The committee approved the budget on Tuesday.",
                                      "위원회는 approved the budget on Tuesday.")])[0]
    found = penalty(f for f in flagged.findings if f.check != "garble")   # (the garble note comes after quality)
    assert found >= 5 and flagged.quality <= math.exp(-found / 5) + 1e-4


def test_a_paragraph_is_judged_with_the_checks_the_user_chose():
    from review.assess import sentence_qualities
    from review.checks import CHECKS
    english = " ".join(s for s, _ in PAIRS[:3])
    korean = " ".join([PAIRS[0][1], "Heavy rain caused flooding in several villages.", PAIRS[2][1]])
    pair = [CheckPair("p", english, korean)]
    assert sentence_qualities(pair)[0] < sentence_qualities(pair, disable=list(CHECKS))[0]
