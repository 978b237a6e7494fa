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
