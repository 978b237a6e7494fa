"""The NIKL usage-list lookup and the standard-spelling API built on it."""
from __future__ import annotations

import pytest

from corpus.errors import InputError
from glossary.translit.nikl import NiklTable, default_table, fold, split_of
from glossary.translit.standard import standard_spelling, suggest_standard


def test_fold():
    assert fold("Châlons-sur-Marne") == "chalons sur marne"
    assert fold("  ŁÓDŹ ") == "lodz"


def test_lookup_exact_folded_and_word_by_word():
    table = NiklTable([("George", "조지"), ("George", "게오르게"), ("George", "조지"), ("Winston", "윈스턴"),
                       ("Churchill", "처칠"), ("Châlons-sur-Marne", "샬롱쉬르마른"), ("garnet", "가닛")])
    hit = table.lookup("George")
    assert hit.how == "exact" and hit.spellings == ("조지", "게오르게")     # the list's most frequent first
    assert table.lookup("GEORGE").how == "folded"
    assert table.lookup("chalons sur marne").spellings == ("샬롱쉬르마른",)
    assert table.lookup("Garnet").spellings == ("가닛",)
    words = table.lookup("Winston  Churchill")
    assert words.how == "words" and words.spellings == ("윈스턴 처칠",)
    assert table.lookup("Winston Maisky") is None and table.lookup("Maisky") is None and table.lookup(" ") is None


def test_table_errors_name_file_and_line(tmp_path):
    bad = tmp_path / "t.tsv"
    bad.write_text("english\tkorean\nGeorge\t조지\nbroken line\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.tsv:3: expected two"):
        NiklTable.load(bad)
    bad.write_text("en\tko\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"t\.tsv:1: expected the header"):
        NiklTable.load(bad)


def test_split_is_fixed_and_folded():
    assert split_of("George") == split_of("GEORGE") == split_of(" george ")
    splits = [split_of(f"name{i}") for i in range(2000)]
    assert 0.07 < splits.count("test") / 2000 < 0.13 and 0.07 < splits.count("dev") / 2000 < 0.13
    shipped, without = default_table(), NiklTable.load(exclude_splits=frozenset({"test"}))
    test_names = [en for en in shipped.exact if split_of(en) == "test"]
    assert test_names and not any(en in without.exact for en in test_names)


def test_standard_spelling_prefers_the_list():
    assert standard_spelling("Winston Churchill") == ("윈스턴 처칠", "nikl")
    assert standard_spelling("george") == ("조지", "nikl")
    ko, source = standard_spelling("Maisky")
    assert source == "model" and ko in [s.korean for s in suggest_standard("Maisky", 5, lookup=False)]
    assert standard_spelling("Ivan Maisky")[1] == "nikl+model"
    cands = suggest_standard("George", 4)
    assert [c.source for c in cands[:2]] == ["nikl", "nikl"] and {c.korean for c in cands[:2]} == {"조지", "게오르게"}
    assert all(c.source == "model" for c in suggest_standard("Churchill", 3, lookup=False))


def test_a_word_spelled_with_a_generic_noun_is_not_forced_into_a_longer_name():
    from glossary.translit import TransliterationModel
    table = NiklTable([("Montenegro", "몬테네그로 공화국"), ("Ivan", "이반")])
    model = TransliterationModel.load()
    cands = suggest_standard("Ivan Montenegro", 3, model=model, table=table)
    assert cands[0].source == "nikl+model" and cands[0].korean.startswith("이반 ")
    assert all(len(c.korean.split()) == 2 for c in cands)


def test_initials_follow_the_list():
    # The list writes personal names without their initials (Carl E. Wieman 칼 위먼, Alan J 앨런) and reads
    # a letter of a term by its Korean name (vitamin B 비타민 비, V day 브이데이); these are the shipped
    # list's entries, asked of the model alone (their other words are ordinary names the model spells).
    def first(name):
        return suggest_standard(name, 3, lookup=False)[0].korean

    assert first("H. Norman") == "노먼" and first("Alan J") == "앨런"
    assert "E." not in first("Carl E. Wieman") and first("Carl E. Wieman").startswith("칼 ")
    assert first("James M") == "제임스"                       # M is an initial, not the 1000th
    assert first("vitamin B") == "비타민 비" and first("V day").replace(" ", "") == "브이데이"
    assert first("Malcolm X").endswith(" 엑스")
    assert first("Louis XIV").endswith(" 14세") and first("Charles V").endswith(" 5세")   # regnal numbers stay
    assert first("H. G.") == "H. G."                                                     # nothing else to spell
    table = NiklTable([("Carl", "칼"), ("Wieman", "위먼")])
    hit = suggest_standard("Carl E. Wieman", 2, table=table)[0]
    assert (hit.korean, hit.source) == ("칼 위먼", "nikl")
