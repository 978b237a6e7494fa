"""corpus.kiwi: the shared analyser's batch prefetch."""
from __future__ import annotations

from corpus import kiwi


def test_prefetched_analyses_are_kiwi_s_own_and_dropped_when_not_asked_for():
    # words no other test analyses, so analyze()'s cache cannot answer before the prefetch does
    words = ["프리페치시험어는", "프리페치단어에게서", "시험용외교관이었다"]
    unused = "쓰이지않을프리페치어"
    singles = {w: [kiwi.token(t) for t in kiwi.get_kiwi().tokenize(w)] for w in words}
    with kiwi.prefetched(words + [unused, words[0]]):
        assert set(kiwi._PREFETCHED) >= set(words) | {unused}
        assert [kiwi.analyze(w) for w in words] == [singles[w] for w in words]
        assert not set(words) & set(kiwi._PREFETCHED)   # handed out once, then cached as usual
        assert [kiwi.analyze(w) for w in words] == [singles[w] for w in words]
    assert unused not in kiwi._PREFETCHED


def test_prefetched_words_leave_their_scores_for_the_language_model_signals(monkeypatch):
    """Name discovery's batch analysis of a document's words leaves their Kiwi scores (corpus.kiwi.known_scores):
    the review's word-salad signal, which scores every word alone, then asks Kiwi only about the others, and
    computes the same."""
    from review.checks import context

    words = ["점수공유시험어가", "점수공유단어에게"]
    text = " ".join(words) + " 외교관이었다."
    expected = {w: float(kiwi.get_kiwi().analyze(w, top_n=1)[0][1]) for w in words}
    with kiwi.prefetched(words):
        pass
    assert kiwi.known_scores(words + ["분석된적없는말이다"]) == expected
    fresh = context._Analyses(tokens=False)
    asked: list[str] = []
    real = kiwi.get_kiwi()

    class Recording:   # the analyser context._Analyses is given, recording what it is asked
        def analyze(self, texts, top_n):
            asked.extend(texts)
            return real.analyze(texts, top_n=top_n)
    got = fresh(Recording(), text.split())
    assert asked == ["외교관이었다."]
    assert [score for _, score in got[:2]] == [expected[w] for w in words]
    monkeypatch.setattr(kiwi, "_SCORES", kiwi.KeptMap(kiwi.SCORES_KEPT))   # nothing kept: Kiwi scores every word
    assert context._Analyses(tokens=False)(real, text.split()) == got


def test_lone_surrogates_reach_kiwi_as_replacement_characters_at_the_same_offsets():
    """A lone surrogate (here beside a character outside the BMP, as the fuzz bench met it in the sentence
    splitter) made Kiwi's token form undecodable: UnicodeDecodeError from every entry point."""
    from corpus.segment import split_sentences

    for text in ["가\ud800나", "키마\udcb4\U000da392그는 왔다"]:
        tokens = kiwi.analyze(text)
        assert tokens and all(0 <= t.start < t.end <= len(text) for t in tokens)
        clean = text.replace("\ud800", "\ufffd").replace("\udcb4", "\ufffd")
        assert [(t.form, t.start, t.end) for t in tokens] == [(t.form, t.start, t.end) for t in kiwi.analyze(clean)]
        assert kiwi.readings(text) and kiwi.get_kiwi().analyze([text, "그는"], top_n=1)
    assert split_sentences("[ 키마\udcb4\U000da392그는 왔다. \"는마\udcb4\U000da392그는 갔다.", "ko")
