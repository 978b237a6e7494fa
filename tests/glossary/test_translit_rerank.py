"""The re-ranker of the standard search (glossary/translit/rerank.py) and the words it does not rank."""
from __future__ import annotations

from glossary.translit.rerank import FEATURES, ORIGINS, default_reranker, name_context, spelling_origin


def test_shipped_weights_match_the_features():
    reranker = default_reranker()
    assert reranker is not None and reranker.weights.shape == (len(FEATURES),)


def test_name_context_is_the_origin_of_the_other_words():
    alone = name_context(["aumont"])
    assert alone == [dict.fromkeys(ORIGINS, 0.0)]
    ctx = name_context(["friedrich", "wilhelm", "smith"])
    origin = spelling_origin()
    expected = (origin.log_odds("friedrich", "german") + origin.log_odds("wilhelm", "german")) / 2
    assert abs(ctx[2]["german"] - expected) < 1e-9
    # a German name's other words make a German reading likelier than an English name's do
    assert name_context(["schweitzer", "x"])[1]["german"] > name_context(["smith", "x"])[1]["german"]


def test_fixed_particles():
    from glossary.translit.standard import suggest_standard
    assert suggest_standard("Karl Adolf von", 1, lookup=False)[0].korean.endswith(" 폰")
    assert suggest_standard("Quezon y Molina", 1, lookup=False)[0].korean.split()[1] == "이"
    assert suggest_standard("St. Elmo", 1, lookup=False)[0].korean.startswith("세인트 ")


def test_known_word_is_a_spelling_kiwi_has_as_one_noun():
    from glossary.translit.rerank import known_word
    assert known_word("아일랜드") and known_word("스미스")
    assert not known_word("아일란드") and not known_word("스미쓰")   # spellings no dictionary has
    assert not known_word("마이스키는")                               # a noun with a particle is not a spelling
    # the feature weighs in favour of a known spelling
    assert default_reranker().weights[FEATURES.index("kiwi_word")] > 0
