"""Name discovery: blocking that loses no comparison, the batch scorer, English that keeps names apart,
discovery across a corpus and its command line."""
from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pytest

from glossary.discovery import (CorpusDocument, _SpellingIndex, _prefilter, body_lines, discover,
                                discover_corpus, extract_occurrences)
from glossary.jamo import is_variant
from glossary.translit_score import default_scorer, hangul_jamo, english_letters

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_KO = ROOT / "review/data/sample/maisky.ko.txt"


def _cli(*argv) -> int:
    from review.cli import main
    return main(list(argv))


@pytest.fixture(scope="module")
def sample_stems() -> list[str]:
    hangul, _, _ = extract_occurrences(SAMPLE_KO.read_text(encoding="utf-8"))
    return sorted({o.stem for o in hangul if len(o.stem) >= 2})


def test_spelling_index_finds_every_variant_pair(sample_stems):
    """Blocking is exact: every pair that passes the variant test shares a key (checked on all pairs
    of the sample's stems, and on made-up respellings of them)."""
    rng = random.Random(7)
    stems = sample_stems[:700]
    # respellings: the final consonant dropped, an epenthetic 으 syllable added
    extra = []
    for s in rng.sample(stems, 200):
        code = ord(s[-1]) - 0xAC00
        extra.append(s[:-1] + chr(0xAC00 + (code // 28) * 28))      # final consonant dropped
        extra.append(s + "스")
    stems = sorted(set(stems + extra))
    index = _SpellingIndex(stems)
    checked = 0
    for a, b in itertools.combinations(stems, 2):
        if _prefilter(a, b) and is_variant(a, b):
            checked += 1
            assert b in index.variants_of(a) and a in index.variants_of(b), (a, b)
    assert checked > 100


def test_batch_scores_equal_single_scores(sample_stems):
    scorer = default_scorer()
    stems = sample_stems[:300] + ["가와노 게이조"]
    for english in ("Maisky", "Litvinov", "Keizoh Kawano", "X", "O'Brien"):
        assert scorer.score_many(english, stems) == [scorer.score(english, s) for s in stems]
    table = scorer.table
    assert table.align_many(english_letters("Eden"), [hangul_jamo("이든"), hangul_jamo("에덴")]) == \
        [table.align(english_letters("Eden"), hangul_jamo(h))[0] for h in ("이든", "에덴")]


# One news story in two languages, line by line: Greece and Chris are different names although
# 그리스 and 크리스 differ in one consonant of the same class, and Boris is not Bruce.
EN = """Chris Evans travelled to Greece last week.
In Greece, Chris met the prime minister.
Boris Johnson spoke to Bruce Wayne in London.
Chris said Greece was beautiful, and Boris agreed.
Bruce did not travel with Boris.
Kylie Minogue sang in Greece; Kylie later met Chris."""
KO = """크리스 에반스는 지난주 그리스를 여행했다.
그리스에서 크리스는 총리를 만났다.
보리스 존슨은 런던에서 브루스 웨인과 이야기했다.
크리스는 그리스가 아름답다고 말했고 보리스도 동의했다.
브루스는 보리스와 함께 여행하지 않았다.
카일리 미노그는 그리스에서 노래했고 카일리는 나중에 크리스를 만났다."""


def _cluster_of(proposals, spelling):
    return next(set(p.variants) for p in proposals if spelling in p.variants)


def test_english_keeps_alike_names_apart():
    with_english = discover(KO, en_text=EN)
    assert "크리스" not in _cluster_of(with_english, "그리스")
    assert "브루스" not in _cluster_of(with_english, "보리스")
    without = discover(KO)
    assert "크리스" in _cluster_of(without, "그리스")   # what the English prevents: jamo alone joins them


def test_english_still_joins_spellings_of_one_name():
    en = EN + "\nMaisky came to London. Maisky said so."
    ko = KO + "\n마이스키는 런던에 왔다. 메이스키가 말했다."
    proposals = discover(ko, en_text=en)
    assert {"마이스키", "메이스키"} <= _cluster_of(proposals, "마이스키")


def test_source_words_name_a_spelling_only_from_nearby_lines_in_a_long_document():
    from glossary.discovery import position_window
    # 1% of the lines up to 625 lines (the sample's 535: +-5.35), then the square root of the drift
    assert position_window(100) == 2.5 and position_window(535) == pytest.approx(5.35)
    assert position_window(625) == pytest.approx(6.25) and position_window(2500) == pytest.approx(12.5)
    assert position_window(10_000) < 0.01 * 10_000 / 3

    def document(n_lines, korean_at, english_at):
        en = [f"Line {k} says nothing in particular." for k in range(n_lines)]
        ko = [f"{k}번째 줄은 특별한 말이 없다." for k in range(n_lines)]
        ko[korean_at] = "마이스키는 런던에 도착했다."
        en[english_at] = "Maisky arrived in London."
        return "\n".join(ko), "\n".join(en)

    def english_of(ko, en):
        return next(p.english for p in discover(ko, en_text=en) if "마이스키" in p.variants)

    # 2,000 lines: +-11.2 lines (1% would be +-20): 10 lines away names it, 15 lines away does not
    assert english_of(*document(2000, 1000, 1010)) == "Maisky"
    assert english_of(*document(2000, 1000, 1015)) is None


def test_discover_corpus_joins_spellings_across_documents():
    docs = [CorpusDocument("a", "마이스키는 런던에 왔다. 마이스키의 일기. 마이스키가 썼다.\n드랙스는 떠났다."),
            CorpusDocument("b", "메이스키는 모스크바로 갔다.\n참고문헌\n메이스키 2015"),
            CorpusDocument("c", "드랙스에게 말했다. 드락스를 만났다.")]
    proposals = discover_corpus(docs)
    maisky = next(p for p in proposals if "메이스키" in p.variants)
    assert maisky.canonical == "마이스키" and maisky.multi_spelling
    assert maisky.documents["a"]["counts"] == {"마이스키": 3}
    # the references section of b is not body text: one use, on line 1 of b
    assert maisky.documents["b"] == {"counts": {"메이스키": 1}, "lines": [1]}
    assert "c" not in maisky.documents
    drax = next(p for p in proposals if "드락스" in p.variants)
    assert set(drax.documents) == {"a", "c"} and drax.documents["a"]["lines"] == [2]
    assert maisky.to_json()["documents"] == maisky.documents
    assert "documents" not in discover(docs[0].ko_text)[0].to_json()
    with pytest.raises(ValueError, match="twice"):
        discover_corpus([docs[0], docs[0]])


@pytest.mark.slow
def test_discover_corpus_of_one_document_finds_what_discover_finds():
    text = SAMPLE_KO.read_text(encoding="utf-8")
    single = discover(text)
    corpus = discover_corpus([CorpusDocument("maisky", text)])
    assert [p.variants for p in corpus] == [p.variants for p in single]
    assert [p.counts for p in corpus] == [p.counts for p in single]
    body = {n for n, _, _ in body_lines(text)}
    assert all(set(d["lines"]) <= body for p in corpus for d in p.documents.values())


def test_cli_discover_across_targets_and_manifest(tmp_path, capsys):
    a, b = tmp_path / "a.ko.txt", tmp_path / "b.ko.txt"
    a.write_text("마이스키는 런던에 왔다. 마이스키의 일기. 마이스키가 썼다.\n", encoding="utf-8")
    b.write_text("메이스키는 모스크바로 갔다.\n", encoding="utf-8")
    assert _cli("glossary", "discover", "--target", str(a), "--target", str(b), "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    maisky = next(r for r in rows if "메이스키" in r["variants"])
    assert maisky["documents"]["a"]["counts"] == {"마이스키": 3}
    assert maisky["documents"]["b"]["counts"] == {"메이스키": 1}
    manifest = tmp_path / "m.tsv"
    manifest.write_text("target\tdoc_id\na.ko.txt\tfirst\nb.ko.txt\tsecond\n", encoding="utf-8")
    assert _cli("glossary", "discover", "--manifest", str(manifest)) == 0
    out = capsys.readouterr().out
    assert "first: 마이스키 3" in out and "second: 메이스키 1" in out
    en = tmp_path / "a.en.txt"
    en.write_text("Maisky came.\n", encoding="utf-8")
    assert _cli("glossary", "discover", "--target", str(a), "--target", str(b), "--source", str(en)) != 0
    assert "one English file per Korean file" in capsys.readouterr().err


def test_canonical_spelling_prefers_the_nikl_standard():
    """The usage list writes Eden 이든: that wins over 에덴 even where 에덴 is used more often."""
    ko = ("앤서니 에덴은 런던에 왔다. 에덴이 말했다. 에덴의 일기를 읽었다. 앤서니 이든은 떠났다. 이든이 말했다. "
          "Eden은 돌아왔다.\n")
    eden = next(p for p in discover(ko) if "에덴" in p.variants)
    assert eden.english == "Eden" and eden.canonical == "이든" and eden.counts["에덴"] == 3


def test_japanese_name_links_by_the_japanese_rules():
    # Korean writes Japanese names by fixed NIKL rules (an initial t is ㄷ): the Latin form and its reading join
    ko = ("1941년 도쿄에서 새 내각이 섰고 총리는 도조 히데키 장군이었다.\n도조는 관동군에서 오래 복무했다.\n"
          "마이스키는 Tojo가 북진론자라고 믿었다.\n마이스키는 런던에 있었다.")
    assert {"도조", "Tojo"} <= _cluster_of(discover(ko), "도조")
    # a Latin word that only looks alike is not joined
    assert "Toyo" not in _cluster_of(discover(ko.replace("Tojo", "Toyo")), "도조")


def test_occurrences_are_the_same_whatever_block_kiwi_analyses_at_once(monkeypatch):
    from glossary import discovery
    text = "\n".join(["이반 마이스키는 런던에 도착했다.", "메이스키가 처칠을 만났다.", "Maisky와 이든은 친구였다.",
                      "마이스키의 회고록은 1964년에 나왔다."] * 3)
    whole = discovery.extract_occurrences(text)
    monkeypatch.setattr(discovery, "PREFETCH_LINES", 2)
    assert discovery.extract_occurrences(text) == whole
    assert [o.stem for o in whole[0][:3]] == ["이반", "마이스키", "런던"]
