"""The torch side of the transliteration model: vocabulary, BART config, batching and export.

Training and tests import this (it needs torch and transformers); the shipped
inference in :mod:`glossary.translit` reads only the exported ``.npz`` and
``vocab.json``.
"""
from __future__ import annotations

import collections
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from glossary.translit.text import JAMO, hangul_to_jamo, normalise_word

SPECIALS = ["<pad>", "<s>", "</s>", "<unk>"]
PAD, BOS, EOS, UNK = range(4)
MIN_LETTER_COUNT = 30   # rarer accented letters are folded to ASCII


@dataclass(frozen=True)
class Vocab:
    tokens: tuple[str, ...]
    letters: frozenset[str]   # the English input alphabet

    @classmethod
    def build(cls, english_words) -> "Vocab":
        counts = collections.Counter(ch for w in english_words for ch in w)
        letters = sorted(set("abcdefghijklmnopqrstuvwxyz'-") |
                         {ch for ch, n in counts.items() if n >= MIN_LETTER_COUNT})
        return cls(tuple(SPECIALS + letters + JAMO), frozenset(letters))

    @property
    def index(self) -> dict[str, int]:
        return {t: i for i, t in enumerate(self.tokens)}

    def encode_english(self, word: str) -> list[int]:
        idx = self.index
        return [idx.get(ch, UNK) for ch in normalise_word(word, self.letters)] + [EOS]

    def encode_korean(self, word: str) -> list[int]:
        idx = self.index
        return [idx[j] for j in hangul_to_jamo(word)] + [EOS]

    def to_json(self) -> dict:
        return {"tokens": list(self.tokens), "letters": sorted(self.letters),
                "pad": PAD, "bos": BOS, "eos": EOS, "unk": UNK}


@dataclass(frozen=True)
class ModelShape:
    d_model: int = 192
    layers: int = 3
    heads: int = 4
    ffn: int = 512
    max_positions: int = 64
    dropout: float = 0.1


def make_model(vocab_size: int, shape: ModelShape, seed: int = 0):
    import torch
    from transformers import BartConfig, BartForConditionalGeneration
    torch.manual_seed(seed)
    config = BartConfig(
        vocab_size=vocab_size, d_model=shape.d_model,
        encoder_layers=shape.layers, decoder_layers=shape.layers,
        encoder_attention_heads=shape.heads, decoder_attention_heads=shape.heads,
        encoder_ffn_dim=shape.ffn, decoder_ffn_dim=shape.ffn,
        max_position_embeddings=shape.max_positions, dropout=shape.dropout,
        attention_dropout=0.0, activation_dropout=0.0, activation_function="gelu_new",
        pad_token_id=PAD, bos_token_id=BOS, eos_token_id=EOS, decoder_start_token_id=BOS,
        forced_eos_token_id=None, scale_embedding=False, tie_word_embeddings=True,
    )
    config._attn_implementation = "eager"
    return BartForConditionalGeneration(config)


def pad_batch(seqs: list[list[int]]):
    import torch
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
    return ids, (ids != PAD).long()


def decoder_inputs(labels):
    """BOS + labels[:-1], with padding kept as padding."""
    import torch
    dec = torch.full_like(labels, PAD)
    dec[:, 0] = BOS
    dec[:, 1:] = labels[:, :-1]
    dec[dec == -100] = PAD
    return dec


def export(model, vocab: Vocab, out_dir: str | Path, dtype=np.float16) -> None:
    """Write ``model.npz`` (weights by role) and ``vocab.json`` (tokens, shape) for the numpy model."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    cfg = model.config
    sd = {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}
    arrays = {
        "embed": sd["model.shared.weight"],
        "lm_head": model.lm_head.weight.detach().cpu().numpy(),
        "final_logits_bias": sd["final_logits_bias"].reshape(-1),
    }
    for side in ("encoder", "decoder"):
        arrays[f"{side}.pos"] = sd[f"model.{side}.embed_positions.weight"]
        arrays[f"{side}.ln_emb.w"] = sd[f"model.{side}.layernorm_embedding.weight"]
        arrays[f"{side}.ln_emb.b"] = sd[f"model.{side}.layernorm_embedding.bias"]
        n_layers = cfg.encoder_layers if side == "encoder" else cfg.decoder_layers
        for i in range(n_layers):
            pre = f"model.{side}.layers.{i}."
            for k, v in sd.items():
                if k.startswith(pre):
                    arrays[f"{side}.{i}.{k[len(pre):]}"] = v
    if np.array_equal(arrays["lm_head"], arrays["embed"]):
        del arrays["lm_head"]   # tied: the loader reuses the embedding
    np.savez_compressed(out_dir / "model.npz", **{k: v.astype(dtype) for k, v in arrays.items()})
    meta = vocab.to_json()
    meta["config"] = {"d_model": cfg.d_model, "encoder_layers": cfg.encoder_layers,
                      "decoder_layers": cfg.decoder_layers, "heads": cfg.encoder_attention_heads,
                      "max_positions": cfg.max_position_embeddings,
                      "activation": cfg.activation_function, "scale_embedding": bool(cfg.scale_embedding)}
    (out_dir / "vocab.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
