"""Japanese names by the NIKL rules for Japanese (Hepburn romanisation in)."""
from __future__ import annotations

import pytest

from glossary.translit.japanese import japanese_reading, looks_japanese


@pytest.mark.parametrize("word, expected", [
    ("Tojo", "도조"), ("Tōjō", "도조"), ("Toujou", "도조"), ("Hokkaido", "홋카이도"), ("Sapporo", "삿포로"),
    ("Shinjuku", "신주쿠"), ("Tanaka", "다나카"), ("Kyoto", "교토"), ("Tokyo", "도쿄"), ("Osaka", "오사카"),
    ("Oosaka", "오사카"), ("Matsuoka", "마쓰오카"), ("Shigemitsu", "시게미쓰"), ("Suzuki", "스즈키"),
    ("Kyushu", "규슈"), ("Konoe", "고노에"), ("Ichiro", "이치로"), ("Gumma", "군마"),
])
def test_nikl_japanese_examples(word, expected):
    assert japanese_reading(word) == expected


def test_other_words_are_not_japanese():
    for word in ("Berlin", "Maisky", "Chamberlain", "Churchill", "Litvinov"):
        assert japanese_reading(word) is None and not looks_japanese(word)
    assert looks_japanese("Hokkaido") and not looks_japanese("Maria")   # Maria parses, but looks European


def test_standard_search_takes_the_japanese_reading():
    from glossary.translit.standard import suggest_standard
    assert suggest_standard("Tojo", 1, lookup=False)[0].korean == "도조"
    assert suggest_standard("Kyoto", 1, lookup=False)[0].korean == "교토"
    assert "다나카" in [s.korean for s in suggest_standard("Tanaka", 5, lookup=False)]
