"""The NIKL rules for English (외래어 표기법 제3장 제1절) on CMUdict pronunciations: the rule book's own examples."""
from __future__ import annotations

import pytest

from glossary.translit.english import english_candidates, hangul_readings, pronunciations

# word -> the standard spelling; the rules' first reading must be it
RULE_EXAMPLES = {
    # voiceless stops: 받침 after a short vowel at the end / before a consonant, else 프 트 크
    "gap": "갭", "cat": "캣", "book": "북", "apt": "앱트", "act": "액트", "cape": "케이프", "part": "파트",
    "desk": "데스크", "lamp": "램프",
    # voiced stops, fricatives, affricates
    "bulb": "벌브", "land": "랜드", "jazz": "재즈", "smith": "스미스", "flash": "플래시", "shrub": "슈러브",
    "shark": "샤크", "fashion": "패션", "shoe": "슈", "switch": "스위치", "bridge": "브리지",
    # nasals and l
    "steam": "스팀", "corn": "콘", "ring": "링", "ink": "잉크", "hanging": "행잉", "slide": "슬라이드",
    "film": "필름", "henley": "헨리", "hotel": "호텔",
    # w, j, diphthongs, r-coloured vowels
    "word": "워드", "want": "원트", "west": "웨스트", "witch": "위치", "quarter": "쿼터", "swing": "스윙",
    "twist": "트위스트", "yard": "야드", "yellow": "옐로", "you": "유", "year": "이어", "boat": "보트",
    "tower": "타워", "fire": "파이어", "hair": "헤어", "tour": "투어", "bird": "버드", "union": "유니언",
    # names
    "david": "데이비드", "duncan": "덩컨", "robert": "로버트", "george": "조지", "london": "런던",
    "washington": "워싱턴", "scott": "스콧", "monorail": "모노레일",
}


@pytest.mark.parametrize("word, expected", sorted(RULE_EXAMPLES.items()))
def test_rule_examples(word, expected):
    cands = english_candidates(word)
    assert cands and expected in cands[:2], cands


def test_first_reading_of_unambiguous_words():
    for word in ("gap", "cat", "book", "david", "film", "tower", "quarter", "george"):
        assert english_candidates(word)[0] == RULE_EXAMPLES[word]


def test_final_a_is_written_a():
    # a final schwa spelled a is 아 where the vowel letters do not align with the vowels (Indiana: IY0 AE1 for
    # 'ia') or after a glide (Gloria, California, Scotia): the usage list's convention
    for word, expected in (("indiana", "인디애나"), ("gloria", "글로리아"), ("california", "캘리포니아"),
                           ("virginia", "버지니아"), ("scotia", "스코샤")):
        assert english_candidates(word)[0] == expected, english_candidates(word)


def test_readings_of_a_given_pronunciation_and_unknown_words():
    assert hangul_readings("mask", ["M", "AE1", "S", "K"]) == ["매스크", "마스크"]   # British 'bath' vowel second
    assert pronunciations("qzxv") == [] and english_candidates("qzxv") == []


def test_standard_search_ranks_rule_readings_up():
    from glossary.translit.standard import suggest_standard
    assert suggest_standard("Duncan", 1, lookup=False)[0].korean == "덩컨"
    assert suggest_standard("David", 1, lookup=False)[0].korean == "데이비드"
