"""The NIKL rules for German (외래어 표기법, 독일어의 표기) read from the spelling: the usage list's spellings."""
from __future__ import annotations

import pytest

from glossary.translit.german import german_cues, german_readings

# word -> its spelling in the NIKL usage list; the table's first reading must be it
GOLDEN = {
    "Wallenstein": "발렌슈타인", "Vogt": "포크트", "Hegel": "헤겔", "Marlene": "마를레네", "Joachim": "요아힘",
    "Herschbach": "헤르슈바흐", "Knut": "크누트", "Fuchs": "푹스", "Wagner": "바그너", "Schweitzer": "슈바이처",
    "Gottfried": "고트프리트", "Eichmann": "아이히만", "Wolfgang": "볼프강", "Zinzendorf": "친첸도르프",
    "Bach": "바흐", "Müller": "뮐러", "König": "쾨니히", "Johann": "요한", "Bismarck": "비스마르크",
    "Bruckner": "브루크너", "Magdeburg": "마그데부르크", "Klaproth": "클라프로트",
}


@pytest.mark.parametrize("word, expected", sorted(GOLDEN.items()))
def test_golden_nikl_spellings(word, expected):
    assert german_readings(word)[:1] == [expected]


def test_second_readings_and_refusals():
    assert german_readings("Anders") == ["안더스", "안데르스"]      # -er: 어 first, 에르 second (the list has both)
    assert german_readings("Wagner1") == [] and german_readings("") == []
    assert german_cues("Schweitzer") >= 2 and german_cues("Duncan") == 0
