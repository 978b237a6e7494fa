"""Cleaning of the English->Korean name pairs used to train the transliteration model."""
from __future__ import annotations

import pytest

from corpus.errors import InputError
from training.translit.clean import clean, row_word_pairs, split_of, write_split


@pytest.mark.parametrize("english, korean", [
    ("Louis IX of France", "루이 9세"),
    ("Blanche of Castile", "카스티야의 블랑슈"),
    ("John Churchill, 1st Duke of Marlborough", "제1대 말버러 공작 존 처칠"),
    ("Elizabeth II", "엘리자베스 2세"),
    ("H. G. Wells", "H. G. 웰스"),
    ("Mao Zedong", "마오쩌둥"),            # word counts differ
    ("Pope Paul VI", "교황 바오로 6세"),
    ("Alexander the Great", "알렉산드로스 대왕"),
    ("Ivan Maisky", "이반 Maisky"),        # non-Hangul Korean
    ("Иван Майский", "이반 마이스키"),       # non-Latin English
])
def test_translations_and_odd_rows_dropped(english, korean):
    assert row_word_pairs(english, korean) is None


def test_word_pairs_normalised():
    assert row_word_pairs("Jürgen Kuczynski", "위르겐 쿠친스키") == [("jürgen", "위르겐"), ("kuczynski", "쿠친스키")]
    assert row_word_pairs("André-Pierre Gignac", "앙드레-피에르 지냑") == [("andré-pierre", "앙드레피에르"),
                                                                      ("gignac", "지냑")]
    assert row_word_pairs("Conan O’Brien", "코넌 오브라이언") == [("conan", "코넌"), ("o'brien", "오브라이언")]


def test_clean_dedupes_unswaps_and_splits(tmp_path):
    rows = ["Ivan Maisky\t이반 마이스키", "Ivan Maisky\t이반 마이스키", "Igor Maisky\t이고르 마이스키",
            "Ilya Markov\t일리야 마르코프", "Louis IX of France\t루이 9세"]
    # straight-order rows so that first sounds are known, then one swapped Japanese-style row
    rows += ["Hiro Miya\t히로 미야", "Kenji Mori\t겐지 모리", "Haruki Murakami\t하루키 무라카미",
             "Hideo Kojima\t히데오 고지마", "Masao Kume\t마사오 구메", "Makoto Hara\t마코토 하라",
             "Hayao Miyazaki\t미야자키 하야오"]
    path = tmp_path / "names.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pairs, stats = clean(path)
    got = {(p.english, p.korean) for p in pairs}
    assert ("maisky", "마이스키") in got and ("ivan", "이반") in got
    assert stats["rows"] == len(rows) and stats["rows_dropped_translation_or_count"] == 1
    assert stats["rows_reordered"] == 1
    assert ("hayao", "하야오") in got and ("hayao", "미야자키") not in got
    assert len(pairs) == len(got)    # deduplicated
    counts = write_split(pairs, tmp_path / "out")
    assert sum(counts.values()) == len(pairs)
    for part in ("train", "dev", "test"):
        for line in (tmp_path / "out" / f"{part}.tsv").read_text(encoding="utf-8").splitlines():
            assert split_of(line.split("\t")[0]) == part


def test_reversed_rows_with_the_same_first_sounds_and_non_transliterations(tmp_path):
    # 'Hideki Hashigami' reversed starts with ㅎ either way: only whole-word transliteration tells;
    # 'uncle -> 아저씨' is a translation
    rows = ["Hideki Hashigami\t하시가미 히데키", "Kazuo Ishiguro\t이시구로 가즈오", "Uncle Kusha\t아저씨 쿠샤"]
    # straight rows, so that each first sound above is common enough to keep
    rows += ["Haruki Kenji\t하루키 겐지", "Hiro Kimura\t히로 기무라", "Hana Kobe\t하나 고베",
             "Ichiro Ueda\t이치로 우에다", "Iwao Umeda\t이와오 우메다", "Isamu Ushio\t이사무 우시오",
             "Kubo Kuma\t쿠보 쿠마", "Kuro Kuki\t쿠로 쿠키"]
    path = tmp_path / "names.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    pairs, stats = clean(path)
    got = {(p.english, p.korean) for p in pairs}
    assert {("hideki", "히데키"), ("hashigami", "하시가미"), ("kazuo", "가즈오"), ("kusha", "쿠샤")} <= got
    assert stats["rows_reordered"] == 2
    assert ("uncle", "아저씨") not in got and stats["dropped_not_a_transliteration"] == 1


def test_split_is_fixed_by_word():
    assert split_of("maisky") == split_of("maisky")
    parts = [split_of(f"name{i}") for i in range(2000)]
    assert 0.03 < parts.count("test") / 2000 < 0.07


def test_bad_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.tsv"
    path.write_text("Ivan Maisky\t이반 마이스키\nno tab here\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"bad\.tsv:2"):
        clean(path)
