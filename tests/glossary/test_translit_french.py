"""The NIKL rules for French (외래어 표기법, 프랑스어의 표기) read from the spelling: well-known names' standard
spellings (none is a word of the usage list's test entries: test_golden_words_are_not_test_entries)."""
from __future__ import annotations

import pytest

from glossary.translit.french import french_readings

# word -> its standard spelling; the table's first reading must be it
GOLDEN = {
    "Marseille": "마르세유", "Versailles": "베르사유", "Chopin": "쇼팽", "Renoir": "르누아르", "Leblanc": "르블랑",
    "Champagne": "샹파뉴", "Avignon": "아비뇽", "Pierre": "피에르", "Lyon": "리옹", "Debussy": "드뷔시",
    "Dumas": "뒤마", "Hollande": "올랑드", "Verdun": "베르됭", "Mitterrand": "미테랑", "Chevalier": "슈발리에",
    "Geneviève": "주느비에브", "Rousseau": "루소", "Bordeaux": "보르도", "Renaud": "르노", "Michel": "미셸",
    "Baudelaire": "보들레르", "Monet": "모네", "Toulouse": "툴루즈", "Gauguin": "고갱", "Chirac": "시라크",
    "François": "프랑수아", "Poincaré": "푸앵카레", "Eugène": "외젠", "Nantes": "낭트", "Gérard": "제라르",
    "Cézanne": "세잔", "Rimbaud": "랭보", "Sartre": "사르트르", "Molière": "몰리에르", "Voltaire": "볼테르",
    "Rouen": "루앙", "Dijon": "디종", "Bergson": "베르그송", "Grenoble": "그르노블",
}


@pytest.mark.parametrize("word, expected", sorted(GOLDEN.items()))
def test_golden_standard_spellings(word, expected):
    assert french_readings(word)[:1] == [expected]


def test_conventions():
    # a final s may be sounded (Berlioz 베를리오즈 is the second reading), -er may be 에 or 에르
    assert french_readings("Berlioz")[:2] == ["베를리오", "베를리오즈"]
    assert "셰르" in french_readings("Cher")
    # no stop is a 받침: Chirac 시라크, not 시락; l inside a word is ㄹㄹ: Blondel 블롱델
    assert french_readings("Blondel")[0] == "블롱델"
    assert french_readings("Wagner1") == [] and french_readings("") == [] and french_readings("Łódź") == []


def test_golden_words_are_not_test_entries():
    from glossary.translit.nikl import DEFAULT_TABLE, entry_words, split_of
    test_words = set()
    with open(DEFAULT_TABLE, encoding="utf-8") as f:
        next(f)
        for line in f:
            en = line.split("\t")[0]
            if split_of(en) == "test":
                test_words |= entry_words(en)
    from glossary.translit.text import normalise_word
    assert not {normalise_word(w) for w in GOLDEN} & test_words
