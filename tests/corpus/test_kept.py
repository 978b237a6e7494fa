"""corpus.kept.KeptMap: the bounded map the model caches share."""
from __future__ import annotations

import threading

from corpus.kept import KeptMap


def test_keeps_the_most_recently_stored_and_reads_many_at_once():
    kept = KeptMap(3)
    kept.put_many([("a", 1), ("b", 2), ("c", 3)])
    kept.put_many([("a", 10)])          # stored again: now the most recent
    kept.put_many([("d", 4)])           # 'b' is the least recently stored
    assert len(kept) == 3
    assert kept.get_many(["a", "b", "c", "d", "x"]) == {"a": 10, "c": 3, "d": 4}


def test_threads_storing_at_once_never_exceed_the_bound():
    kept = KeptMap(50)

    def store(base: int) -> None:
        for k in range(200):
            kept.put_many([(base + k, k)])
    threads = [threading.Thread(target=store, args=(1000 * t,)) for t in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(kept) == 50 and len(kept.get_many(range(4000))) == 50
