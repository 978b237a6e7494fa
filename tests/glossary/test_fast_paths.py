"""The fast paths of discovery compute exactly what the plain ones do (same floats, same decisions)."""
import random

import pytest

from glossary import jamo
from glossary.translit_score import default_scorer

SYLLABLES = "마이스키메레매리트비노프벤로드락랙푸치스달라디에르수주데텐란트그크이든에덴"


def _plain_edit(ja, jb):
    """The weighted edit distance written as plainly as possible (no lookups, no bound)."""
    prev = [0.0]
    for b in jb:
        prev.append(prev[-1] + jamo.indel_cost(b))
    for a in ja:
        cur = [prev[0] + jamo.indel_cost(a)]
        for j, b in enumerate(jb, 1):
            cur.append(min(prev[j - 1] + jamo.sub_cost(a, b), prev[j] + jamo.indel_cost(a),
                           cur[j - 1] + jamo.indel_cost(b)))
        prev = cur
    return prev[-1]


def _plain_is_variant(a, b, threshold=jamo.VARIANT_THRESHOLD):
    if a == b or jamo.vowel_only_change(a, b):
        return True
    ja, jb = jamo.to_jamo(a), jamo.to_jamo(b)
    if not ja or not jb:
        return False
    cost = _plain_edit(ja, jb)
    if cost / max(len(ja), len(jb)) > threshold:
        return False
    if min(len(ja), len(jb)) < 6:
        return cost <= 0.6 and ja[0] == jb[0]
    return True


def _spellings(rng, n):
    words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 6))) for _ in range(n)]
    near = []
    for w in words:   # one syllable changed: the pairs near the threshold, where a bound could go wrong
        k = rng.randrange(len(w))
        near.append(w[:k] + rng.choice(SYLLABLES) + w[k + 1:])
    return words, near


def test_bounded_edit_and_is_variant_match_the_plain_programme():
    rng = random.Random(7)
    words, near = _spellings(rng, 800)
    pairs = list(zip(words, near)) + [(rng.choice(words), rng.choice(words)) for _ in range(2000)]
    assert any(_plain_is_variant(a, b) for a, b in pairs) and not all(_plain_is_variant(a, b) for a, b in pairs)
    for a, b in pairs:
        ja, jb = jamo.to_jamo(a), jamo.to_jamo(b)
        assert jamo._weighted_edit(ja, jb) == _plain_edit(ja, jb)
        assert jamo._lower_bound(ja, jb) <= _plain_edit(ja, jb) + 1e-9, (a, b)   # is_variant's cheap rejection
        assert jamo.is_variant(a, b) == _plain_is_variant(a, b), (a, b)


def test_variant_screen_never_rejects_a_variant_and_rejects_most_others():
    rng = random.Random(11)
    words, near = _spellings(rng, 400)
    spellings = list(dict.fromkeys(words + near + ["에덴", "이든", "마이스키", "메이스키", "가"]))
    screen = jamo.VariantScreen(spellings)
    rejected = variants = 0
    for a in spellings[::7]:
        possible = screen.possible(a, spellings)
        for b, maybe in zip(spellings, possible.tolist()):
            truth = _plain_is_variant(a, b)
            assert maybe or not truth, (a, b)
            variants += truth
            rejected += not maybe
    assert variants > len(spellings[::7])          # more than the spellings themselves: near pairs were met
    assert rejected > 0.8 * len(spellings) * len(spellings[::7])   # and the screen does remove comparisons
    assert jamo.vowel_only_change("마이스키", "메이스키")
    assert screen.possible("마이스키", ["메이스키", "가"]).tolist() == [True, False]


@pytest.mark.parametrize("english", ["Maisky", "Litvinov", "Eden", "X", "", "Schwarzenegger"])
def test_score_rows_match_single_scores(english):
    rng = random.Random(3)
    words, near = _spellings(rng, 150)
    hanguls = words + near + ["마이스키", "리트비노프", "가와노 게이조", "이든"] * 2
    scorer = default_scorer()
    rows = list(scorer.score_rows([english, "Maisky"], hanguls))
    assert rows[0] == [scorer.score(english, h) for h in hanguls]
    assert rows[1] == scorer.score_many("Maisky", hanguls)
