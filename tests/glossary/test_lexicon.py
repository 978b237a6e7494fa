"""The bilingual lexicon: tokenisation shared by training and run time, the table, per-pair matching."""
import numpy as np
import pytest

from glossary.lexicon import (Lexicon, english_lemma, english_words, korean_unit_key, korean_units, load_lexicon,
                              match_pair)
from glossary.morph import Token


@pytest.mark.parametrize("word,lemma", [
    ("Created", "creat"), ("creating", "creat"), ("create", "creat"), ("running", "run"), ("stopped", "stop"),
    ("applied", "apply"), ("countries", "country"), ("boxes", "box"), ("series", "series"), ("news", "news"),
    ("noted", "note"), ("notes", "note"), ("was", "be"), ("isn't", "not"), ("people's", "people"), ("thing", "thing"),
])
def test_english_lemma(word, lemma):
    assert english_lemma(word) == lemma


def test_english_words_have_spans():
    text = "Only 5 windows weren't open."
    words = english_words(text)
    assert [(text[w.start:w.end], w.lemma) for w in words] == [
        ("Only", "only"), ("5", "5"), ("windows", "window"), ("weren't", "not"), ("open", "open")]


def test_korean_units_keep_content_and_meaningful_particles():
    toks = [Token("창", "NNG", 0, 1), Token("만", "JX", 1, 2), Token("열", "VV", 3, 4), Token("지", "EC", 4, 5),
            Token("않", "VX", 6, 7), Token("는다", "EF", 7, 9), Token("가", "JKS", 9, 10)]
    assert [(u.key, u.start) for u in korean_units(toks)] == [("창", 0), ("만", 1), ("열다", 3), ("않다", 6)]
    assert korean_unit_key("이", "JKS") is None and korean_unit_key("Window", "SL") == "window"


def _tiny(tmp_path):
    """A two-word table written the way build_lexicon.py writes it, read back by load_lexicon."""
    import json
    english, korean = ["only", "window"], ["만", "창", "윈도"]
    np.savez_compressed(tmp_path / "lexicon.npz", en=np.array([0, 1, 1]), ko=np.array([0, 1, 2]),
                        count=np.array([40, 45, 3]), en_count=np.array([50, 50]), en_linked=np.array([45, 49]),
                        ko_count=np.array([60, 50, 5]), ko_linked=np.array([55, 48, 4]),
                        seen=np.array([50, 50]), matched=np.array([45, 49]),
                        news_seen=np.array([0, 0]), news_matched=np.array([0, 0]),
                        ko_seen=np.array([60, 50, 5]), ko_matched=np.array([55, 48, 4]))
    (tmp_path / "vocab.json").write_text(json.dumps({"english": english, "korean": korean}), encoding="utf-8")
    return load_lexicon(str(tmp_path))


def test_table_round_trip_and_probabilities(tmp_path):
    lex = _tiny(tmp_path)
    assert isinstance(lex, Lexicon) and len(lex) == 3
    assert lex.translations("window")[0] == ("창", 0.9, 45)
    assert lex.sources("만") == [("only", 40 / 60, 40)]
    assert lex.link_strength("window", "창") == pytest.approx(0.9)
    assert lex.link_strength("window", "만") == 0.0
    assert 0.8 < lex.reliability[lex.en_index["window"]] < 0.98   # a lower bound of 49/50


def test_match_pair_finds_counterparts_and_gaps(tmp_path):
    lex = _tiny(tmp_path)
    src, tgt = "Open only the window.", "창을 엽니다."
    toks = [Token("창", "NNG", 0, 1), Token("을", "JKO", 1, 2), Token("열", "VV", 3, 4)]
    m = match_pair(src, tgt, toks, lex)
    by_word = {w.word.text: w for w in m.english}
    assert by_word["window"].evidence == "lexicon" and tgt[by_word["window"].unit.start:by_word["window"].unit.end] == "창"
    assert not by_word["only"].matched and by_word["only"].occurrences == 50
    assert [w.word.text for w in m.unmatched(0.5, 10)] == ["only"]
    assert m.korean_linked[0] and m.coverage() == 0.5
    # numbers and Latin words are matched without the table
    m2 = match_pair("Version 7 of LibreOffice", "LibreOffice 7 버전", [], lex)
    assert {w.word.text: w.evidence for w in m2.english} == {"Version": "none", "7": "number", "LibreOffice": "latin"}


def test_load_error_names_the_folder(tmp_path):
    from corpus.errors import MtreviewError
    with pytest.raises(MtreviewError, match=str(tmp_path)):
        load_lexicon(str(tmp_path))


def test_shipped_lexicon_knows_the_small_words():
    lex = load_lexicon()
    assert [k for k, _, _ in lex.translations("only", 3)][0] == "만"
    assert {k for k, _, _ in lex.translations("not", 3)} & {"않다", "없다", "아니다"}
    assert lex.translations("insert", 1)[0][0] == "삽입"
    from glossary.lexicon import DATA_DIR
    assert "Licence" in (DATA_DIR / "PROVENANCE.md").read_text(encoding="utf-8")


def test_omission_candidates_look_at_the_korean_string_only(tmp_path):
    from glossary.lexicon import omission_candidates
    lex = _tiny(tmp_path)
    src = "Open only the window."
    words = [w.text for w in english_words(src)]
    assert [words[i] for i in omission_candidates(src, "창을 엽니다.", 0.5, 10, lex)] == ["only"]
    assert omission_candidates(src, "창만 엽니다.", 0.5, 10, lex) == []          # 만 written: rendered
    assert omission_candidates(src, "창을 엽니다.", 0.5, 60, lex) == []          # too rare to judge


# -- negation a translation renders without 않/없/아니/안 (omission false alarms on human references) ------------
@pytest.mark.parametrize("ko,negative", [
    ("나는 무슨 일이 일어났는지 모릅니다.", True),     # don't know
    ("우리는 너희가 조언을 싫어한다는 것을 안다.", True),  # don't like
    ("산소가 부족하다.", True),                      # no oxygen
    ("그는 혐의를 부인했다.", True),                  # pleaded not guilty
    ("불가능한 일이다.", True),                       # prefix 불-
    ("그는 그 도시를 떠나고 싶어한다.", False),
    ("마지막을 장식했다.", False),                    # 막 inside 마지막 is no negation
])
def test_negated_in_finds_korean_words_negative_in_themselves(ko, negative):
    from corpus.kiwi import get_kiwi
    from glossary.lexicon import negated_in
    assert negated_in(get_kiwi().tokenize(ko)) is negative


@pytest.mark.parametrize("src,idiom", [
    ("Such measures have not only obstructed democracy but also press freedom.", "not only"),
    ("The vote will take place no later than Friday.", "no later than"),
    ("It's great, isn't it?", ", isn't it?"),
    ("It wasn't until I let go that I could start again.", "wasn't until"),
    ("There are conflicting reports on whether she has it or not.", "or not"),
    ("It aims to be No. 1 in AI innovation.", "No. 1"),
    ("Why wouldn't I want to compete in that?", "Why wouldn't"),
])
def test_negation_idioms_cover_the_negation_word(src, idiom):
    from glossary.lexicon import negation_idiom_spans
    assert [src[a:b] for a, b in negation_idiom_spans(src)] == [idiom]


@pytest.mark.parametrize("src", ["The government did not approve the plan.", "He doesn't know the answer.",
                                 "No one came.", "We will never surrender."])
def test_a_plain_negation_is_no_idiom(src):
    from glossary.lexicon import negation_idiom_spans
    assert negation_idiom_spans(src) == []
