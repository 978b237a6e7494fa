"""The numpy forward pass reproduces the torch BART it was exported from (tiny random model)."""
from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from glossary.translit import TransliterationModel
from training.translit.model import BOS, PAD, ModelShape, Vocab, decoder_inputs, export, make_model, pad_batch

pytestmark = pytest.mark.slow  # torch models built and exported: the fast loop skips them

WORDS = ["maisky", "beaverbrook", "jürgen", "o'brien"]
KOREAN = ["마이스키", "비버브룩", "위르겐", "오브라이언"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    vocab = Vocab.build(["jürgen"] * 40 + ["abc"])
    shape = ModelShape(d_model=32, layers=2, heads=4, ffn=48, max_positions=40, dropout=0.0)
    model = make_model(len(vocab.tokens), shape, seed=3)
    with torch.no_grad():   # random layer norms and bias too, so a mix-up of any array shows
        for name, p in model.named_parameters():
            if "layer_norm" in name or "layernorm" in name:
                p.add_(0.3 * torch.randn_like(p))
        model.final_logits_bias.add_(torch.randn_like(model.final_logits_bias))
    model.eval()
    out = tmp_path_factory.mktemp("tiny")
    export(model, vocab, out, dtype=np.float32)
    return model, vocab, out


def _torch_logprobs(model, vocab):
    src, mask = pad_batch([vocab.encode_english(w) for w in WORDS])
    labels, _ = pad_batch([vocab.encode_korean(k) for k in KOREAN])
    labels[labels == PAD] = -100
    with torch.no_grad():
        logits = model(input_ids=src, attention_mask=mask, decoder_input_ids=decoder_inputs(labels)).logits
    return src.numpy(), mask.numpy(), labels.numpy(), torch.log_softmax(logits, -1).numpy()


def test_forced_decoding_matches_torch(tiny):
    model, vocab, out = tiny
    src, mask, labels, expected = _torch_logprobs(model, vocab)
    net = TransliterationModel.load(out).net
    enc, bias = net.encode(src, mask)
    dec = np.where(labels == -100, PAD, labels)
    dec = np.concatenate([np.full((len(dec), 1), BOS), dec[:, :-1]], 1)
    got = net.decode(dec, enc, bias)
    valid = labels != -100
    assert np.abs(got[valid] - expected[valid]).max() < 1e-4


def test_incremental_steps_match_full_decoding(tiny):
    model, vocab, out = tiny
    src, mask, labels, expected = _torch_logprobs(model, vocab)
    net = TransliterationModel.load(out).net
    enc, bias = net.encode(src, mask)
    cross = net.cross_keys_values(enc)
    cache = [(None, None)] * len(net.decoder)
    tokens = np.full(len(WORDS), BOS)
    for pos in range(labels.shape[1]):
        step, cache = net.step(tokens, pos, cache, cross, bias)
        valid = labels[:, pos] != -100
        assert np.abs(step[valid] - expected[valid, pos]).max() < 1e-4
        tokens = np.where(valid, labels[:, pos], PAD)


def test_score_is_mean_logprob_of_torch(tiny):
    model, vocab, out = tiny
    _, _, labels, expected = _torch_logprobs(model, vocab)
    tm = TransliterationModel.load(out)
    for i, (en, ko) in enumerate(zip(WORDS, KOREAN)):
        n = int((labels[i] != -100).sum())
        want = expected[i, np.arange(n), labels[i, :n]].mean()
        assert tm.score(en, ko) == pytest.approx(float(want), abs=1e-4)


def test_float16_export_stays_close(tiny, tmp_path):
    model, vocab, _ = tiny
    export(model, vocab, tmp_path, dtype=np.float16)
    src, mask, labels, expected = _torch_logprobs(model, vocab)
    tm = TransliterationModel.load(tmp_path)
    i = 0
    n = int((labels[i] != -100).sum())
    want = expected[i, np.arange(n), labels[i, :n]].mean()
    assert tm.score(WORDS[i], KOREAN[i]) == pytest.approx(float(want), abs=2e-2)


def test_exported_weights_read_back_into_torch(tiny):
    # rank_tune fine-tunes from the shipped npz: reading it back must give the same network.
    from training.translit.rank_tune import load_shipped
    model, vocab, out = tiny
    back, back_vocab = load_shipped(out)
    assert back_vocab.tokens == vocab.tokens
    back.config.dropout = 0.0
    back.eval()
    _, _, labels, expected = _torch_logprobs(model, vocab)
    _, _, _, got = _torch_logprobs(back, vocab)
    valid = labels != -100
    assert np.abs(got[valid] - expected[valid]).max() < 1e-5


def test_near_misses_are_other_hangul_words():
    import random

    from training.translit.rank_tune import near_miss
    from glossary.translit.text import is_hangul_word
    rng = random.Random(0)
    misses = [near_miss("마이스키", rng) for _ in range(200)]
    assert all(is_hangul_word(m) and len(m) == 4 for m in misses)
    assert sum(m == "마이스키" for m in misses) < 10   # two edits can cancel out; training drops those
    assert len(set(misses)) > 50
    assert "메이스키" in misses or "마이스크" in misses or "마이즈키" in misses
