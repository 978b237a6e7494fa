"""suggest / score on the shipped transliteration weights, input handling, and the CLI."""
from __future__ import annotations

import argparse
import json

import pytest

from corpus.errors import MtreviewError
from glossary.translit import DEFAULT_MODEL_DIR, TransliterationInputError, TransliterationModel



def test_weights_ship_with_the_package():
    assert (DEFAULT_MODEL_DIR / "model.npz").is_file() and (DEFAULT_MODEL_DIR / "vocab.json").is_file()


@pytest.fixture(scope="module")
def model():
    return TransliterationModel.load()


def test_maisky_suggestions(model):
    cands = model.suggest("Maisky", k=5)
    assert len(cands) == 5
    assert "마이스키" in [ko for ko, _ in cands]
    scores = [s for _, s in cands]
    assert scores == sorted(scores, reverse=True)
    assert all(s < 0 for s in scores)


@pytest.mark.parametrize("name, expected", [
    ("Lenin", "레닌"), ("Stalin", "스탈린"), ("Churchill", "처칠"), ("Molotov", "몰로토프"),
])
def test_common_names_in_top5(model, name, expected):
    assert expected in [ko for ko, _ in model.suggest(name)]


def test_score_prefers_right_spelling(model):
    right = model.score("Maisky", "마이스키")
    assert right > model.score("Maisky", "마이스크")
    assert right > model.score("Maisky", "마이스카")
    assert model.score("Churchill", "처칠") > model.score("Churchill", "처찰")


def test_plausible_rendering_separates_variants_from_other_names():
    from glossary.discovery import _some_plausible
    from glossary.translit import is_plausible_rendering
    assert is_plausible_rendering("Maisky", "메이스키") and is_plausible_rendering("Dunkirk", "됭케르크")
    assert is_plausible_rendering("Klaus", "큐라소") is False          # Curaçao
    assert is_plausible_rendering("Klaus", "Klaus") is None            # nothing to score
    assert _some_plausible("Litvinov", ["리벤트로프", "리트비노프"]) and not _some_plausible("Litvinov", ["리벤트로프"])


def test_suggest_score_agree(model):
    ko, s = model.suggest("Beaverbrook", k=1)[0]
    assert model.score("Beaverbrook", ko) == pytest.approx(s, abs=1e-3)


def test_multiword_joined_with_spaces(model):
    ko, _ = model.suggest("Ivan Maisky", k=1)[0]
    words = ko.split(" ")
    assert len(words) == 2
    assert words[1] == model.suggest("Maisky", k=1)[0][0]
    # word-by-word score equals the jamo-weighted mean of the two word scores
    both = model.score("Ivan Maisky", ko)
    assert both < 0


def test_diacritics_and_hyphens_and_apostrophes(model):
    for name in ("Jürgen Kuczynski", "Władysław Sikorski", "Boutros Boutros-Ghali", "Conan O'Brien"):
        ko, _ = model.suggest(name, k=1)[0]
        assert len(ko.split()) == 2, (name, ko)
        assert all("\uac00" <= ch <= "\ud7a3" for ch in ko.replace(" ", "")), (name, ko)
    # Folding a letter the model lacks gives the same answer as writing its base letter.
    assert model.suggest("Dąbrowski", k=1) == model.suggest("Dabrowski", k=1)


def test_initials_regnal_numbers_and_suffixes(model):
    ko, _ = model.suggest("H. G. Wells", k=1)[0]
    assert ko.startswith("H. G. ") and len(ko.split()) == 3
    assert model.suggest("H.G. Wells", k=1)[0][0] == ko
    assert model.suggest("Louis XIV", k=1)[0][0].endswith(" 14세")
    assert model.suggest("Elizabeth II", k=1)[0][0].endswith(" 2세")
    assert model.suggest("Martin Luther King Jr.", k=1)[0][0].endswith(" 주니어")
    # scoring sets initials aside: H. G. 웰스 scores as 웰스 for Wells
    assert model.score("H. G. Wells", "H. G. 웰스") == pytest.approx(model.score("Wells", "웰스"), abs=1e-6)


@pytest.mark.parametrize("bad, message", [
    ("Сталин", "CYRILLIC"), ("마이스키", "already written in Hangul"), ("毛泽东", "not a Latin letter"),
    ("", "empty"), ("...", "no letters"),
])
def test_bad_names_raise_clear_errors(model, bad, message):
    with pytest.raises(TransliterationInputError, match=message):
        model.suggest(bad)
    assert issubclass(TransliterationInputError, MtreviewError)


def test_score_rejects_non_hangul(model):
    with pytest.raises(TransliterationInputError, match="not a word of Hangul"):
        model.score("Maisky", "Maisky")


def _cli(argv):
    from review.cli import suggest_cmd
    parser = argparse.ArgumentParser(prog="mtreview glossary")
    suggest_cmd.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.run(args)


def test_cli_json(capsys):
    assert _cli(["suggest", "Maisky", "Ivan Maisky", "-k", "3", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["name"] == "Maisky" and second["name"] == "Ivan Maisky"
    assert len(first["candidates"]) == 3
    assert "마이스키" in [c["korean"] for c in first["candidates"]]
    assert first["source"] == "model" and {c["source"] for c in first["candidates"]} == {"model"}
    scores = [c["score"] for c in first["candidates"]]
    assert scores == sorted(scores, reverse=True)
    # Ivan is in the NIKL list, Maisky is not
    assert second["source"] == "nikl+model" and second["candidates"][0]["korean"].startswith("이반 ")


def test_cli_text_and_error(capsys):
    assert _cli(["suggest", "Maisky", "-k", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Maisky" and len(out) == 3
    with pytest.raises(MtreviewError, match="Сталин"):
        _cli(["suggest", "Maisky", "Сталин"])
    assert capsys.readouterr().out == ""   # nothing printed before the bad name was found


def test_word_logprobs_normalises_raw_words(model):
    # 'ğ' is not in the model's alphabet: it must be folded to 'g', not read as unknown.
    assert model.word_logprobs(["Gündoğan"], ["귄도간"]) == model.word_logprobs(["gündogan"], ["귄도간"])


def test_scores_are_kept_and_batched_without_changing_them(monkeypatch):
    fresh = TransliterationModel.load()
    pairs = [("maisky", "마이스키"), ("churchill", "처칠"), ("litvinov", "리트비노프"), ("maisky", "메이스키"),
             ("beaverbrook", "비버브룩"), ("eden", "이든")]
    alone = [TransliterationModel.load().word_logprobs([w], [h])[0] for w, h in pairs]
    decoded = []
    real_decode = fresh.forced_logprobs
    monkeypatch.setattr(fresh, "forced_logprobs", lambda w, h: decoded.append(len(w)) or real_decode(w, h))
    monkeypatch.setattr("glossary.translit.SCORE_BATCH", 4)
    together = fresh.word_logprobs([w for w, _ in pairs] + ["eden"], [h for _, h in pairs] + ["이든"])
    # in two length-sorted batches of at most 4, the repeated pair decoded once; the same scores as alone
    assert sorted(decoded) == [2, 4]
    assert together[-1] == together[-2]
    for (got, n), (want, m) in zip(together, alone):
        assert n == m and got == pytest.approx(want, abs=1e-4)
    # kept: asked again, nothing is decoded; prefetch_scores warms what score() reads
    assert fresh.word_logprobs(["churchill"], ["처칠"]) == [together[1]] and sorted(decoded) == [2, 4]
    fresh.prefetch_scores([("Ivan Maisky", "이반 마이스키"), ("Stalin", "스탈린"), ("Stalin", "Stalin")])
    assert sorted(decoded) == [2, 2, 4]   # 'ivan'/'이반' and 'stalin'/'스탈린'; the Latin one cannot be scored
    fresh.score("Ivan Maisky", "이반 마이스키")
    fresh.score("Stalin", "스탈린")
    assert sorted(decoded) == [2, 2, 4]


def test_top1_does_not_depend_on_k(model):
    # 'Dijsselbloem' once sent a narrow search into a repeating loop that never ended.
    for name in ("Dijsselbloem", "Maisky", "Beaverbrook"):
        one = model.suggest(name, k=1)
        assert len(one) == 1
        assert one[0] == model.suggest(name, k=5)[0]


def test_glossary_suggest_is_a_glossary_subcommand(capsys):
    from review.cli import main

    assert main(["glossary", "suggest", "Beaverbrook", "--json", "-k", "3"]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["name"] == "Beaverbrook" and len(line["candidates"]) == 3
    assert line["candidates"][0]["korean"] == "비버브룩" and line["source"] == "model"
    scores = [c["score"] for c in line["candidates"]]
    assert scores == sorted(scores, reverse=True)
    # a name in the NIKL list: its standard spelling first, said to come from the list
    assert main(["glossary", "suggest", "Churchill", "--json", "-k", "3"]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert line["source"] == "nikl" and line["candidates"][0]["korean"] == "처칠"
    assert [c["source"] for c in line["candidates"]] == ["nikl", "model", "model"]
    assert main(["glossary", "suggest", "Churchill", "--json", "--no-lookup", "-k", "3"]) == 0
    line = json.loads(capsys.readouterr().out.strip())
    assert {c["source"] for c in line["candidates"]} == {"model"}
