"""The forward pass of a (post-layer-norm) BART encoder-decoder in numpy.

Reads the arrays written by ``training.translit.model.export``: the same
computation as ``transformers.BartForConditionalGeneration`` in eval mode
(learned positions offset by 2, layer norm on the embeddings, post-norm
layers, ``gelu_new``), so the shipped model runs without torch.
"""
from __future__ import annotations

import math

import numpy as np

NEG_BIAS = _NEG = np.float32(-1e9)   # the additive attention bias of a padding position


def _layer_norm(x, w, b, eps=1e-5):
    # np.add.reduce rather than .mean(): a third fewer Python-level calls on the per-step path.
    inv_d = np.float32(1.0 / x.shape[-1])
    xc = x - np.add.reduce(x, axis=-1, keepdims=True) * inv_d
    var = np.add.reduce(xc * xc, axis=-1, keepdims=True) * inv_d
    return xc / np.sqrt(var + np.float32(eps)) * w + b


def _gelu_new(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * (x * x * x))))


def _relu(x):
    return np.maximum(x, 0)


def _gelu_exact(x):
    erf = np.vectorize(math.erf, otypes=[np.float32])
    return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


_ACTIVATIONS = {"gelu_new": _gelu_new, "relu": _relu, "gelu": _gelu_exact}


def log_softmax(x):
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


class _Linear:
    __slots__ = ("wt", "b")

    def __init__(self, w, b):
        self.wt = np.ascontiguousarray(w.T.astype(np.float32))
        self.b = b.astype(np.float32)

    def __call__(self, x):
        if x.ndim > 2:   # one matrix product over all rows: numpy multiplies a 3-d stack slice by slice
            return (x.reshape(-1, x.shape[-1]) @ self.wt).reshape(*x.shape[:-1], -1) + self.b
        return x @ self.wt + self.b


class _Attention:
    def __init__(self, arrays, prefix, heads):
        self.q = _Linear(arrays[prefix + "q_proj.weight"], arrays[prefix + "q_proj.bias"])
        self.k = _Linear(arrays[prefix + "k_proj.weight"], arrays[prefix + "k_proj.bias"])
        self.v = _Linear(arrays[prefix + "v_proj.weight"], arrays[prefix + "v_proj.bias"])
        self.out = _Linear(arrays[prefix + "out_proj.weight"], arrays[prefix + "out_proj.bias"])
        self.heads = heads
        self.head_dim = self.q.wt.shape[1] // heads
        self.scale = np.float32(self.head_dim ** -0.5)
        # One matmul for q (pre-scaled), k and v on the per-step path.
        self.qkv_wt = np.ascontiguousarray(np.concatenate([self.q.wt * self.scale, self.k.wt, self.v.wt], 1))
        self.qkv_b = np.concatenate([self.q.b * self.scale, self.k.b, self.v.b])

    def split(self, x):   # [B, T, D] -> [B, H, T, hd]
        b, t, _ = x.shape
        return x.reshape(b, t, self.heads, self.head_dim).transpose(0, 2, 1, 3)

    def keys_values(self, x):
        return self.split(self.k(x)), self.split(self.v(x))

    def attend(self, x, k, v, bias):
        """x [B,T,D] queries against k, v [B,H,S,hd]; bias broadcastable to [B,H,T,S]."""
        q = self.split(self.q(x)) * self.scale
        scores = q @ k.transpose(0, 1, 3, 2)
        if bias is not None:
            scores = scores + bias
        scores = scores - scores.max(-1, keepdims=True)
        w = np.exp(scores)
        w /= w.sum(-1, keepdims=True)
        ctx = (w @ v).transpose(0, 2, 1, 3)
        return self.out(ctx.reshape(ctx.shape[0], ctx.shape[1], -1))


class _Layer:
    def __init__(self, arrays, prefix, heads, act, cross: bool):
        g = lambda name: arrays[prefix + name]
        self.self_attn = _Attention(arrays, prefix + "self_attn.", heads)
        self.ln_self = (g("self_attn_layer_norm.weight").astype(np.float32),
                        g("self_attn_layer_norm.bias").astype(np.float32))
        self.cross_attn = _Attention(arrays, prefix + "encoder_attn.", heads) if cross else None
        if cross:
            self.ln_cross = (g("encoder_attn_layer_norm.weight").astype(np.float32),
                             g("encoder_attn_layer_norm.bias").astype(np.float32))
        self.fc1 = _Linear(g("fc1.weight"), g("fc1.bias"))
        self.fc2 = _Linear(g("fc2.weight"), g("fc2.bias"))
        self.ln_final = (g("final_layer_norm.weight").astype(np.float32),
                         g("final_layer_norm.bias").astype(np.float32))
        self.act = act

    def feed_forward(self, x):
        return _layer_norm(x + self.fc2(self.act(self.fc1(x))), *self.ln_final)


class NumpyBart:
    """Encoder, full-sequence decoder (forced decoding) and one-step decoder with a cache."""

    def __init__(self, arrays: dict[str, np.ndarray], config: dict):
        act = _ACTIVATIONS[config.get("activation", "gelu_new")]
        heads = config["heads"]
        d = config["d_model"]
        self.embed = arrays["embed"].astype(np.float32)
        if config.get("scale_embedding"):
            self.embed = self.embed * np.float32(math.sqrt(d))
        lm_head = arrays["lm_head"] if "lm_head" in arrays else arrays["embed"]
        self.lm_head = _Linear(lm_head, arrays["final_logits_bias"])   # (hidden -> logits over the symbols)
        self.enc_pos = arrays["encoder.pos"].astype(np.float32)
        self.dec_pos = arrays["decoder.pos"].astype(np.float32)
        self.enc_ln = (arrays["encoder.ln_emb.w"].astype(np.float32), arrays["encoder.ln_emb.b"].astype(np.float32))
        self.dec_ln = (arrays["decoder.ln_emb.w"].astype(np.float32), arrays["decoder.ln_emb.b"].astype(np.float32))
        self.encoder = [_Layer(arrays, f"encoder.{i}.", heads, act, cross=False)
                        for i in range(config["encoder_layers"])]
        self.decoder = [_Layer(arrays, f"decoder.{i}.", heads, act, cross=True)
                        for i in range(config["decoder_layers"])]
        self.max_positions = self.enc_pos.shape[0] - 2

    def encode(self, ids: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """ids, mask [B, S] -> hidden [B, S, D] and the additive key bias [B, 1, 1, S]."""
        x = self.embed[ids] + self.enc_pos[2:2 + ids.shape[1]]
        x = _layer_norm(x, *self.enc_ln)
        bias = np.where(mask[:, None, None, :] > 0, np.float32(0), _NEG).astype(np.float32)
        for layer in self.encoder:
            k, v = layer.self_attn.keys_values(x)
            x = _layer_norm(x + layer.self_attn.attend(x, k, v, bias), *layer.ln_self)
            x = layer.feed_forward(x)
        return x, bias

    def cross_keys_values(self, enc: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        return [layer.cross_attn.keys_values(enc) for layer in self.decoder]

    def decode(self, dec_ids: np.ndarray, enc: np.ndarray, enc_bias: np.ndarray) -> np.ndarray:
        """Forced decoding: dec_ids [B, T] -> log-probabilities [B, T, V] of the next token."""
        t = dec_ids.shape[1]
        x = _layer_norm(self.embed[dec_ids] + self.dec_pos[2:2 + t], *self.dec_ln)
        causal = np.triu(np.full((t, t), _NEG, dtype=np.float32), 1)[None, None]
        for layer in self.decoder:
            k, v = layer.self_attn.keys_values(x)
            x = _layer_norm(x + layer.self_attn.attend(x, k, v, causal), *layer.ln_self)
            ck, cv = layer.cross_attn.keys_values(enc)
            x = _layer_norm(x + layer.cross_attn.attend(x, ck, cv, enc_bias), *layer.ln_cross)
            x = layer.feed_forward(x)
        return log_softmax(self.lm_head(x))

    def step(self, tokens, position, cache, cross, enc_bias):
        """One decoding step for N hypotheses.

        tokens [N] are the previous tokens; cache holds each layer's self-attention
        keys/values [N, H, position, hd] ((None, None) at position 0) and is
        returned extended; cross holds each layer's encoder keys/values per
        hypothesis [N, H, S, hd] and enc_bias [N, 1, 1, S] the encoder padding.
        Returns log-probabilities [N, V] and the new cache.
        """
        n = len(tokens)
        x = _layer_norm(self.embed[tokens] + self.dec_pos[2 + position], *self.dec_ln)   # [N, D]
        new_cache = []
        for layer, (pk, pv), (ck, cv) in zip(self.decoder, cache, cross):
            att = layer.self_attn
            h, hd = att.heads, att.head_dim
            qkv = (x @ att.qkv_wt + att.qkv_b).reshape(n, 3, h, 1, hd)
            q, k, v = qkv[:, 0], qkv[:, 1], qkv[:, 2]
            if pk is not None:
                k = np.concatenate([pk, k], axis=2)
                v = np.concatenate([pv, v], axis=2)
            new_cache.append((k, v))
            x = _layer_norm(x + att.out(self._attend_one(q, k, v, None).reshape(n, -1)), *layer.ln_self)
            catt = layer.cross_attn
            q = (x @ catt.q.wt + catt.q.b).reshape(n, h, 1, hd) * catt.scale
            x = _layer_norm(x + catt.out(self._attend_one(q, ck, cv, enc_bias).reshape(n, -1)), *layer.ln_cross)
            x = layer.feed_forward(x)
        return log_softmax(self.lm_head(x)), new_cache

    @staticmethod
    def _attend_one(q, k, v, bias):
        scores = q @ k.transpose(0, 1, 3, 2)       # [N, H, 1, S]
        if bias is not None:
            scores = scores + bias
        w = np.exp(scores - scores.max(-1, keepdims=True))
        w /= w.sum(-1, keepdims=True)
        return w @ v                               # [N, H, 1, hd]
