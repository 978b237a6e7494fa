"""A thread-safe map that keeps only its most recently stored entries: what the models' result caches share.

The transliteration model's encoder states and scores and Kiwi's batch scores (corpus.kiwi) are kept this
way: read many keys at once, store many at once, and drop the least recently stored past ``max_size``.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, Iterable, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class KeptMap(Generic[K, V]):
    """Up to ``max_size`` entries, the least recently stored dropped first; safe to share between threads."""

    def __init__(self, max_size: int):
        self.max_size = max_size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[K]) -> dict[K, V]:
        """The entries kept for those of ``keys`` that have one."""
        with self._lock:
            return {k: self._entries[k] for k in keys if k in self._entries}

    def put_many(self, items: Iterable[tuple[K, V]]) -> None:
        """Store (or store again, as the most recent) each (key, value)."""
        with self._lock:
            for key, value in items:
                self._entries[key] = value
                self._entries.move_to_end(key)
            while len(self._entries) > self.max_size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)
