"""Neural quality estimation from a checkpoint the user brings (``--qe comet:PATH`` or ``--qe hf:PATH``).

mtreview's own ``quality`` (:mod:`review.quality`) needs no model download; a neural QE model that the
user has on disk sees meaning far better.  Two kinds are read, both from local files only:

* ``comet:PATH``: a COMET or CometKiwi checkpoint through ``unbabel-comet`` (``pip install
  "mtreview[qe]"``): PATH is the model folder (with ``checkpoints/model.ckpt`` and ``hparams.yaml``) or the
  ``.ckpt`` file.  Its encoder (XLM-R with a SentencePiece tokenizer) must be available locally too: the
  ``pretrained_model`` of ``hparams.yaml`` as a folder, or in the Hugging Face cache.  Reference-free
  models score (source, translation); scores are used as they come (CometKiwi's lie in [0, 1]) and clipped
  to [0, 1].
* ``hf:PATH``: a ``transformers`` sequence-classification cross-encoder saved with ``save_pretrained``
  (``pip install "mtreview[torch]"``), fed (English, Korean) as a text pair.  One output: the sigmoid of
  the logit, unless the config says ``problem_type: regression``, in which case the value is clipped to
  [0, 1].  Two or more outputs: the probability of the label named ``good``/``ok``/``correct`` (any case),
  else of the last label.

Higher is better for both.  A model is loaded once per process.
"""
from __future__ import annotations

import math
from pathlib import Path
from typing import Protocol, Sequence

from corpus.encoders import load_local_checkpoint
from corpus.errors import InputError, MtreviewError

QE_BATCH = 16
GOOD_LABELS = ("good", "ok", "correct", "acceptable")


class NeuralQE(Protocol):
    name: str

    def predict(self, sources: Sequence[str], translations: Sequence[str]) -> list[float]:
        """A score in [0, 1] per pair, higher = better."""


def _clip(v: float) -> float:
    return max(0.0, min(1.0, float(v)))


class HFCrossEncoderQE:
    """A local ``transformers`` sequence-classification model over (English, Korean) text pairs."""

    def __init__(self, path: str, max_length: int = 512):
        root, self._torch, self.tokenizer, self.model = load_local_checkpoint(
            path, "AutoModelForSequenceClassification", option="--qe hf:", kind="a sequence-classification model")
        self.max_length = max_length
        config = self.model.config
        self.regression = getattr(config, "problem_type", None) == "regression"
        labels = {int(k): str(v).lower() for k, v in (getattr(config, "id2label", None) or {}).items()}
        n = int(getattr(config, "num_labels", 1))
        self.good_index = next((i for i, lab in sorted(labels.items()) if lab in GOOD_LABELS), n - 1)
        self.name = f"hf:{root.resolve().name}"

    def predict(self, sources: Sequence[str], translations: Sequence[str]) -> list[float]:
        torch = self._torch
        out: list[float] = []
        with torch.inference_mode():
            for b in range(0, len(sources), QE_BATCH):
                batch = self.tokenizer(list(sources[b:b + QE_BATCH]), list(translations[b:b + QE_BATCH]),
                                       padding=True, truncation=True, max_length=self.max_length, return_tensors="pt")
                logits = self.model(**batch).logits.float()
                if logits.shape[-1] == 1:
                    values = logits[:, 0].tolist()
                    out.extend(_clip(v) if self.regression else 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, v))))
                               for v in values)
                else:
                    out.extend(torch.softmax(logits, dim=-1)[:, self.good_index].tolist())
        return out


class CometQE:
    """A COMET / CometKiwi checkpoint read through ``unbabel-comet``, on the CPU, from local files only."""

    def __init__(self, path: str, batch_size: int = QE_BATCH):
        root = Path(path).expanduser()
        ckpt = root / "checkpoints" / "model.ckpt" if root.is_dir() else root
        if not ckpt.is_file():
            raise InputError(str(path), "no COMET checkpoint here (expected checkpoints/model.ckpt in the folder, "
                                        "or the .ckpt file itself)")
        if not (ckpt.parents[1] / "hparams.yaml").is_file():
            raise InputError(str(ckpt.parents[1]), "hparams.yaml is missing beside the checkpoints folder")
        try:
            from comet import load_from_checkpoint
        except ImportError as e:
            raise MtreviewError("--qe comet: needs unbabel-comet: pip install 'mtreview[qe]'") from e
        try:
            self.model = load_from_checkpoint(str(ckpt), local_files_only=True)
        except (OSError, ValueError, KeyError) as e:
            raise InputError(str(path), f"cannot load this COMET checkpoint offline (its encoder must be a local "
                                        f"folder or in the Hugging Face cache): {e}") from None
        self.model.eval()
        self.batch_size = batch_size
        self.name = f"comet:{(root if root.is_dir() else ckpt.parents[1]).resolve().name}"

    def predict(self, sources: Sequence[str], translations: Sequence[str]) -> list[float]:
        data = [{"src": s, "mt": t} for s, t in zip(sources, translations)]
        if not data:
            return []
        result = self.model.predict(data, batch_size=self.batch_size, gpus=0, progress_bar=False)
        return [_clip(v) for v in result.scores]


_LOADED: dict[str, NeuralQE] = {}


def load_qe(spec: str) -> NeuralQE:
    """The QE model named by ``spec`` (``comet:PATH`` or ``hf:PATH``), loaded once per process."""
    if spec not in _LOADED:
        kind, sep, path = spec.partition(":")
        if not sep or not path or kind not in ("comet", "hf"):
            raise MtreviewError(f"unknown --qe {spec!r} (use comet:/path/to/checkpoint or hf:/path/to/model)")
        _LOADED[spec] = CometQE(path) if kind == "comet" else HFCrossEncoderQE(path)
    return _LOADED[spec]


def predict_pairs(spec: str, sources: Sequence[str], translations: Sequence[str]) -> list[float | None]:
    """Scores for pairs with both sides (None where either side is empty: nothing to judge)."""
    idx = [i for i, (s, t) in enumerate(zip(sources, translations)) if s.strip() and t.strip()]
    out: list[float | None] = [None] * len(sources)
    if idx:
        scores = load_qe(spec).predict([sources[i] for i in idx], [translations[i] for i in idx])
        for i, v in zip(idx, scores):
            out[i] = round(float(v), 4)
    return out
