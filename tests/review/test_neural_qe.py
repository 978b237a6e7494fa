"""--qe hf:PATH: a local transformers cross-encoder, built tiny in a temp dir (never a download)."""
from __future__ import annotations

import json

import pytest

from corpus.errors import InputError, MtreviewError
from review.neural_qe import HFCrossEncoderQE, load_qe, predict_pairs

import torch  # noqa: E402 - the test extra installs the CPU build: a missing torch is a broken extra, not a skip

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cat", "sat", "on", "mat", "dog", "ran",
         "고양이", "개", "가", "##s", "."]
PAIRS = [("the cat sat on the mat .", "고양이 가 ."), ("the dog ran .", "개 가 ."), ("the cats sat .", "고양이 .")]


def _save_classifier(folder, num_labels: int, **config_kwargs):
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer
    torch.manual_seed(0)
    folder.mkdir(parents=True, exist_ok=True)
    vocab = folder / "vocab.txt"
    vocab.write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = BertConfig(vocab_size=len(VOCAB), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=32, max_position_embeddings=64, num_labels=num_labels, **config_kwargs)
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder)
    BertTokenizer(str(vocab)).save_pretrained(folder)
    return model, BertTokenizer(str(vocab))


def _reference_logits(model, tokenizer, pairs):
    model.eval()
    with torch.inference_mode():
        batch = tokenizer([s for s, _ in pairs], [t for _, t in pairs], padding=True, return_tensors="pt")
        return model(**batch).logits


def test_two_label_model_gives_the_probability_of_good(tmp_path):
    model, tok = _save_classifier(tmp_path / "qe2", 2, id2label={0: "GOOD", 1: "BAD"}, label2id={"GOOD": 0, "BAD": 1})
    qe = HFCrossEncoderQE(str(tmp_path / "qe2"))
    got = qe.predict([s for s, _ in PAIRS], [t for _, t in PAIRS])
    want = torch.softmax(_reference_logits(model, tok, PAIRS), dim=-1)[:, 0].tolist()  # label 0 is GOOD
    assert got == pytest.approx(want, abs=1e-5)
    assert all(0.0 <= v <= 1.0 for v in got)


def test_single_output_model_sigmoid_or_regression(tmp_path):
    model, tok = _save_classifier(tmp_path / "qe1", 1)
    got = HFCrossEncoderQE(str(tmp_path / "qe1")).predict([s for s, _ in PAIRS], [t for _, t in PAIRS])
    want = torch.sigmoid(_reference_logits(model, tok, PAIRS)[:, 0]).tolist()
    assert got == pytest.approx(want, abs=1e-5)
    model, tok = _save_classifier(tmp_path / "qer", 1, problem_type="regression")
    got = HFCrossEncoderQE(str(tmp_path / "qer")).predict([s for s, _ in PAIRS], [t for _, t in PAIRS])
    raw = _reference_logits(model, tok, PAIRS)[:, 0].tolist()
    assert got == pytest.approx([min(1.0, max(0.0, v)) for v in raw], abs=1e-5)


def test_pairs_without_both_sides_get_no_score(tmp_path):
    _save_classifier(tmp_path / "qe", 2)
    out = predict_pairs(f"hf:{tmp_path / 'qe'}", ["the cat .", "", "the dog ."], ["고양이 .", "개 .", ""])
    assert out[0] is not None and out[1] is None and out[2] is None


def test_bad_qe_specs_are_clear(tmp_path):
    with pytest.raises(MtreviewError, match="unknown --qe"):
        load_qe("bleurt:/x")
    with pytest.raises(InputError, match="no such model folder"):
        load_qe(f"hf:{tmp_path / 'missing'}")
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="cannot load"):
        load_qe(f"hf:{tmp_path / 'empty'}")
    with pytest.raises(InputError, match="no COMET checkpoint"):
        load_qe(f"comet:{tmp_path / 'empty'}")


def test_score_command_writes_the_neural_score(tmp_path):
    from review.cli import main
    _save_classifier(tmp_path / "qe", 2)
    src = tmp_path / "pairs.jsonl"
    src.write_text("".join(json.dumps({"id": f"p{i}", "src": s, "tgt": t}, ensure_ascii=False) + "\n"
                           for i, (s, t) in enumerate(PAIRS)), encoding="utf-8")
    out = tmp_path / "scored.jsonl"
    assert main(["score", "--input", str(src), "--output", str(out), "--qe", f"hf:{tmp_path / 'qe'}"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]
    header, scored = records[0], [r for r in records if "id" in r]
    assert header["models"]["qe"] == f"hf:{tmp_path / 'qe'}"
    assert len(scored) == 3 and all(0.0 <= r["qe"] <= 1.0 and 0.0 <= r["quality"] <= 1.0 for r in scored)


def test_comet_without_unbabel_comet_says_how_to_install(tmp_path, monkeypatch):
    import builtins
    folder = tmp_path / "kiwi"
    (folder / "checkpoints").mkdir(parents=True)
    (folder / "checkpoints" / "model.ckpt").write_bytes(b"not read")
    with pytest.raises(InputError, match="hparams.yaml is missing"):
        load_qe(f"comet:{folder}")
    (folder / "hparams.yaml").write_text("class_identifier: unified_metric\n", encoding="utf-8")
    real_import = builtins.__import__

    def no_comet(name, *args, **kwargs):
        if name == "comet" or name.startswith("comet."):
            raise ImportError("No module named 'comet'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_comet)
    with pytest.raises(MtreviewError, match=r"pip install 'mtreview\[qe\]'"):
        load_qe(f"comet:{folder / 'checkpoints' / 'model.ckpt'}")
