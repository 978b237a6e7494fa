#!/usr/bin/env python3
"""Check ``--qe comet:PATH`` against unbabel-comet itself, offline, on a tiny checkpoint built here.

    pip install ".[qe]" && PYTHONPATH=. python bench/comet_qe_check.py [FOLDER]

Builds a tiny CometKiwi-style model (unbabel-comet's ``unified_metric`` over a two-layer XLM-R with a
hand-made Unigram tokenizer), saves it as COMET saves checkpoints (``checkpoints/model.ckpt`` and
``hparams.yaml``), scores two pairs with unbabel-comet's own ``predict`` and with mtreview's
``review.neural_qe`` loader, and prints both; they must agree.  It is not part of the test suite because
unbabel-comet pins numpy < 2, protobuf < 5 and an old torchmetrics (which needs setuptools' pkg_resources),
which would downgrade the whole test environment; the ``qe`` extra installs it for the users who want it.
"""
import sys, tempfile, pathlib, time
import torch, yaml
from tokenizers import Tokenizer, models, pre_tokenizers, decoders, processors
from transformers import XLMRobertaConfig, XLMRobertaTokenizerFast

def build(root: pathlib.Path) -> pathlib.Path:
    enc = root / "tiny-xlmr"; enc.mkdir(parents=True)
    pieces = ["▁the", "▁cat", "▁sat", "▁dog", "▁ran", "▁고양이", "가", "▁개", "▁앉았다", "▁달렸다", "▁", "t", "h", "e", "a", "s", "d", "o", "g", "r", "n", "c"]
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + [(p, -float(i + 1)) for i, p in enumerate(pieces)] + [("<mask>", 0.0)]
    tk = Tokenizer(models.Unigram(vocab, unk_id=3))
    tk.pre_tokenizer = pre_tokenizers.Metaspace()
    tk.decoder = decoders.Metaspace()
    tk.post_processor = processors.TemplateProcessing(single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
                                                      special_tokens=[("<s>", 0), ("</s>", 2)])
    fast = XLMRobertaTokenizerFast(tokenizer_object=tk, bos_token="<s>", eos_token="</s>", sep_token="</s>",
                                   cls_token="<s>", unk_token="<unk>", pad_token="<pad>", mask_token="<mask>")
    fast.save_pretrained(enc)
    XLMRobertaConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=130, pad_token_id=1, bos_token_id=0,
                     eos_token_id=2).save_pretrained(enc)
    from comet.models import UnifiedMetric
    import pytorch_lightning as pl
    torch.manual_seed(0)
    model = UnifiedMetric(pretrained_model=str(enc), hidden_sizes=[8], input_segments=["mt", "src"], word_layer=2,
                          sent_layer="mix", layer_transformation="softmax", load_pretrained_weights=False,
                          local_files_only=True, final_activation="Sigmoid")
    mdir = root / "tiny-cometkiwi"; (mdir / "checkpoints").mkdir(parents=True)
    hp = dict(model.hparams)
    torch.save({"state_dict": model.state_dict(), "hyper_parameters": hp, "pytorch-lightning_version": pl.__version__},
               mdir / "checkpoints" / "model.ckpt")
    (mdir / "hparams.yaml").write_text(yaml.safe_dump({**hp, "class_identifier": "unified_metric"}))
    return mdir

if __name__ == "__main__":
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp())
    t0 = time.time()
    mdir = build(root)
    from comet import load_from_checkpoint
    m = load_from_checkpoint(str(mdir / "checkpoints" / "model.ckpt"), local_files_only=True)
    out = m.predict([{"src": "the cat sat", "mt": "고양이가 앉았다"}, {"src": "the dog ran", "mt": "개가 달렸다"}],
                    batch_size=2, gpus=0, progress_bar=False)
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
    from review.neural_qe import predict_pairs
    ours = predict_pairs(f"comet:{mdir}", ["the cat sat", "the dog ran"], ["고양이가 앉았다", "개가 달렸다"])
    print("unbabel-comet predict:", [round(v, 4) for v in out.scores])
    print("mtreview --qe comet:  ", ours, f"({time.time() - t0:.1f} s)")
    if [round(v, 4) for v in out.scores] != ours:
        sys.exit("MISMATCH")
    print("agree")
