"""Kiwi, the Korean morphological analyser: one shared instance, its tokens with offsets, its unknown-word id.

A general language resource, so it lives in the lowest layer: the glossary's name matching
(glossary.morph) and the review's language-model signals (review.checks.context) both reach it
here.  Kiwi is imported lazily (loading its model takes a second) and a single instance serves the
whole process.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Iterator

from corpus.kept import KeptMap
from corpus.limits import without_surrogates

_KIWI = None


def get_kiwi():
    """The process-wide Kiwi analyser (created on first use)."""
    global _KIWI
    if _KIWI is None:
        from corpus.allocator import kiwi_allocator_options
        kiwi_allocator_options()     # read by kiwipiepy's allocator when it is loaded, just below
        from kiwipiepy import Kiwi  # heavy: loads a model

        class SurrogateSafeKiwi(Kiwi):
            """Kiwi that takes any Python string.  Its C++ side works in UTF-16, where a lone surrogate
            merges with its neighbours into a token form Python cannot decode (UnicodeDecodeError from
            ``token.form``).  The readers refuse such text, but the library's functions (the sentence
            splitter) may be handed it: each lone surrogate is read as U+FFFD, one code point for one,
            so every offset is unchanged."""

            def tokenize(self, text, *args, **kwargs):
                return super().tokenize(_without_surrogates(text), *args, **kwargs)

            def analyze(self, text, *args, **kwargs):
                return super().analyze(_without_surrogates(text), *args, **kwargs)

        from corpus.parallel import review_threads
        # two workers: batch analysis (the fluency checks) uses both cores; single calls are unaffected.
        # One worker in a pool worker process, where the other processes have the other cores (not 0:
        # Kiwi's single-thread mode cannot analyse a list).  Without the multi-word dictionary (proper-noun
        # phrases from Wikipedia titles): 190 MB less and a load 3x faster; the Maisky review and the
        # precision and garble benches are unchanged (one minor garble finding of 1,092 differs).
        _KIWI = SurrogateSafeKiwi(num_workers=min(2, review_threads()), load_multi_dict=False)
    return _KIWI


@dataclass(frozen=True, slots=True)
class Token:
    """One Kiwi morpheme with its character offsets into the analysed text."""

    form: str
    tag: str
    start: int
    end: int
    morph_id: int = -1      # Kiwi's dictionary id; the id of an unknown noun marks an out-of-vocabulary word


def _without_surrogates(text):
    """``text`` (a string or several) with each lone surrogate replaced by U+FFFD."""
    return without_surrogates(text) if isinstance(text, str) else [without_surrogates(t) for t in text]


def token(t) -> Token:
    """Our :class:`Token` of one kiwipiepy token.

    kiwipiepy makes a new string for a token's form and tag each time they are read; the few thousand
    distinct ones are shared (interned) instead, and the record has slots: a document's analyses take
    105 bytes a token instead of 257 (NTREX as one document: about 110,000 tokens kept).
    """
    return Token(sys.intern(t.form), sys.intern(t.tag), t.start, t.start + t.len, t.id)


_OOV_ID: list[int] = []


def oov_id() -> int:
    """The morpheme id Kiwi gives a noun it does not know (probed once)."""
    if not _OOV_ID:
        _OOV_ID.append(get_kiwi().tokenize("퀴블라릭스탄")[0].id)
    return _OOV_ID[0]


@lru_cache(maxsize=1)
def unknown_noun_ids() -> frozenset[int]:
    """The morpheme ids Kiwi gives common and proper nouns it does not know (its formless placeholder
    entries: the tag depends on the context, 퀴블라릭스탄 alone is NNG, in a sentence often NNP)."""
    kiwi = get_kiwi()
    return frozenset(i for i in range(64) if kiwi.morpheme(i).form == "" and kiwi.morpheme(i).tag in ("NNG", "NNP"))


def analyze(text: str) -> list[Token]:
    """Kiwi tokens of ``text`` with character offsets into ``text``."""
    if not text:
        return []
    return _analyze_cached(text)


@lru_cache(maxsize=8192)
def _analyze_cached(text: str) -> list[Token]:
    found = _PREFETCHED.pop(text, None)
    return found if found is not None else [token(t) for t in get_kiwi().tokenize(text)]


_PREFETCHED: dict[str, list[Token]] = {}
# Kiwi's log-probability of the best analysis of texts analysed in a batch (prefetched), kept for others who
# score the same texts alone (the review's language-model signals score every word of a document, most of
# which name discovery has just analysed): least recently stored dropped past SCORES_KEPT
SCORES_KEPT = 100_000
_SCORES: KeptMap[str, float] = KeptMap(SCORES_KEPT)


def known_scores(texts: Iterable[str]) -> dict[str, float]:
    """Kiwi's best-analysis scores of those ``texts`` already analysed in a batch (see :func:`prefetched`)."""
    return _SCORES.get_many(texts)


@contextmanager
def prefetched(texts: Iterable[str]) -> Iterator[None]:
    """Analyse in one batch the texts :func:`analyze` will be asked for one by one inside the block.

    Kiwi analyses a single text while holding the GIL; a batch it analyses in its worker threads, so
    the other threads of a review go on (name discovery strips the particles of every word of a
    document while the encoder embeds it).  Each analysis is handed out once (then cached as usual);
    those not asked for are dropped when the block ends.
    """
    missing = [t for t in dict.fromkeys(texts) if t and t not in _PREFETCHED]
    if missing:
        best = [r[0] for r in get_kiwi().analyze(missing, top_n=1)]   # (tokenize's tokens, with the score)
        _PREFETCHED.update(zip(missing, ([token(t) for t in toks] for toks, _ in best)))
        _SCORES.put_many((text, float(score)) for text, (_, score) in zip(missing, best))
    try:
        yield
    finally:
        for text in missing:
            _PREFETCHED.pop(text, None)


def readings(text: str, top_n: int = 5) -> list[tuple[list[Token], float]]:
    """Kiwi's ``top_n`` best readings of ``text`` (tokens with offsets, log-probability), best first, without
    repeats (Kiwi may return one reading twice)."""
    if not text:
        return []
    return _readings_cached(text, top_n)


@lru_cache(maxsize=4096)
def _readings_cached(text: str, top_n: int) -> list[tuple[list[Token], float]]:
    out, seen = [], set()
    for tokens, score in get_kiwi().analyze(text, top_n=top_n):
        reading = [token(t) for t in tokens]
        key = tuple((t.form, t.tag, t.start) for t in reading)
        if key not in seen:
            seen.add(key)
            out.append((reading, score))
    return out
