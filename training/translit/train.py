"""Train the English->Hangul transliteration model from scratch on CPU and export it.

    PYTHONPATH=. python -m training.translit.clean SHARED/data/names/wd_korean.tsv --out build/translit
    PYTHONPATH=. OMP_NUM_THREADS=1 python -m training.translit.train --data build/translit \\
        --out glossary/data/translit --minutes 40

A small BART (3+3 layers, d=192) over characters in and conjoining jamo out.
Seeds are fixed; the schedule is fixed by ``--epochs``; ``--minutes`` is a
safety stop (the run stops early, keeping the last checkpoint, when it runs
past it).  After every epoch the weights are checkpointed and exported, so a
partial run still leaves usable weights.  Prints dev loss and greedy dev
accuracy per epoch.
"""
from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import time
from pathlib import Path

from training.translit.clean import read_pairs
from training.translit.model import (BOS, EOS, PAD, ModelShape, Vocab, decoder_inputs, export,
                                  make_model, pad_batch)


def batches(examples, batch_size: int, rng: random.Random):
    """Shuffled batches of similar-length examples (less padding, same randomness each run)."""
    order = list(range(len(examples)))
    rng.shuffle(order)
    chunk = batch_size * 50
    out = []
    for start in range(0, len(order), chunk):
        part = sorted(order[start:start + chunk], key=lambda i: (len(examples[i][0]), len(examples[i][1])))
        out.extend(part[j:j + batch_size] for j in range(0, len(part), batch_size))
    rng.shuffle(out)
    return out


def greedy_accuracy(model, vocab: Vocab, pairs, max_len: int = 40, device: str = "cpu") -> float:
    """Share of English words whose greedy output is one of their Korean references."""
    import torch
    from glossary.translit.text import jamo_to_hangul
    refs: dict[str, set[str]] = {}
    for p in pairs:
        refs.setdefault(p.english, set()).add(p.korean)
    words = sorted(refs)
    hits = 0
    model.eval()
    with torch.no_grad():
        for start in range(0, len(words), 256):
            chunk = words[start:start + 256]
            ids, mask = pad_batch([vocab.encode_english(w) for w in chunk])
            ids, mask = ids.to(device), mask.to(device)
            enc = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
            dec = torch.full((len(chunk), 1), BOS, dtype=torch.long, device=device)
            done = torch.zeros(len(chunk), dtype=torch.bool, device=device)
            for _ in range(max_len):
                logits = model(encoder_outputs=(enc,), attention_mask=mask, decoder_input_ids=dec).logits[:, -1]
                nxt = logits.argmax(-1)
                nxt[done] = PAD
                dec = torch.cat([dec, nxt[:, None]], 1)
                done |= nxt == EOS
                if done.all():
                    break
            for w, row in zip(chunk, dec[:, 1:].tolist()):
                jamo = "".join(vocab.tokens[t] for t in row if t not in (PAD, EOS))
                hits += jamo_to_hangul(jamo) in refs[w]
    model.train()
    return hits / len(words)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="build/translit", help="folder with train.tsv and dev.tsv from training.translit.clean")
    ap.add_argument("--out", default="glossary/data/translit", help="where model.npz and vocab.json go")
    ap.add_argument("--ckpt", default="build/translit/ckpt.pt")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1.5e-3)
    ap.add_argument("--warmup", type=int, default=800)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--minutes", type=float, default=55.0, help="stop after this much wall time")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--keep-from", type=int, default=0,
                    help="also keep each checkpoint from this epoch on as CKPT-eN.pt (for training.translit.average)")
    ap.add_argument("--device", default="cpu", help="torch device ('cuda' where one is lent; nothing ships needs it)")
    ap.add_argument("--vocab-data", help="build the vocabulary from this pairs file rather than train.tsv "
                    "(a fine-tuning run keeps its initial model's vocabulary)")
    ap.add_argument("--init", help="start from this checkpoint (a fine-tuning run) instead of random weights")
    ap.add_argument("--d-model", type=int, default=ModelShape.d_model)
    ap.add_argument("--layers", type=int, default=ModelShape.layers)
    ap.add_argument("--ffn", type=int, default=ModelShape.ffn)
    args = ap.parse_args(argv)

    import torch
    import torch.nn.functional as F
    torch.set_num_threads(args.threads)
    random.seed(args.seed)
    torch.manual_seed(args.seed)
    started = time.monotonic()

    train = read_pairs(Path(args.data) / "train.tsv")
    dev = read_pairs(Path(args.data) / "dev.tsv")
    vocab = Vocab.build(p.english for p in (read_pairs(args.vocab_data) if args.vocab_data else train))
    examples = [(vocab.encode_english(p.english), vocab.encode_korean(p.korean)) for p in train]
    dev_examples = [(vocab.encode_english(p.english), vocab.encode_korean(p.korean)) for p in dev]
    shape = ModelShape(d_model=args.d_model, layers=args.layers, ffn=args.ffn)
    model = make_model(len(vocab.tokens), shape, seed=args.seed)
    if args.init:
        state = torch.load(args.init, map_location="cpu")
        model.load_state_dict(state.get("model", state))
        print(f"initialised from {args.init}", flush=True)
    model.to(args.device)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"train pairs {len(train)}, dev pairs {len(dev)}, vocab {len(vocab.tokens)} "
          f"({len(vocab.letters)} letters), params {n_params:,}", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, betas=(0.9, 0.98), weight_decay=0.01)
    rng = random.Random(args.seed)
    steps_per_epoch = math.ceil(len(examples) / args.batch)
    total = steps_per_epoch * args.epochs

    def lr_at(step):   # linear warmup, cosine decay to 5%
        if step < args.warmup:
            return args.lr * (step + 1) / args.warmup
        t = (step - args.warmup) / max(1, total - args.warmup)
        return args.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, t))))

    def loss_of(batch, smoothing):
        src, mask = pad_batch([e[0] for e in batch])
        labels, _ = pad_batch([e[1] for e in batch])
        labels[labels == PAD] = -100
        src, mask, labels = src.to(args.device), mask.to(args.device), labels.to(args.device)
        logits = model(input_ids=src, attention_mask=mask, decoder_input_ids=decoder_inputs(labels)).logits
        return F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1),
                               ignore_index=-100, label_smoothing=smoothing)

    step = 0
    model.train()
    for epoch in range(1, args.epochs + 1):
        t0 = time.monotonic()
        total_loss = 0.0
        for idx in batches(examples, args.batch, rng):
            for g in opt.param_groups:
                g["lr"] = lr_at(step)
            loss = loss_of([examples[i] for i in idx], args.label_smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            total_loss += loss.item()
            step += 1
        model.eval()
        with torch.no_grad():
            dev_loss = sum(loss_of(dev_examples[i:i + 256], 0.0).item() * len(dev_examples[i:i + 256])
                           for i in range(0, len(dev_examples), 256)) / len(dev_examples)
        model.train()
        acc = greedy_accuracy(model, vocab, dev, device=args.device) if epoch % 3 == 0 or epoch == args.epochs else float("nan")
        Path(args.ckpt).parent.mkdir(parents=True, exist_ok=True)
        torch.save({"model": model.state_dict(), "epoch": epoch, "step": step}, args.ckpt)
        if args.keep_from and epoch >= args.keep_from:
            ckpt = Path(args.ckpt)
            shutil.copyfile(ckpt, ckpt.with_name(f"{ckpt.stem}-e{epoch}{ckpt.suffix}"))
        model.eval()
        export(model, vocab, args.out)
        model.train()
        elapsed = (time.monotonic() - started) / 60
        print(f"epoch {epoch:2d} step {step:6d} lr {lr_at(step):.2e} train loss {total_loss / steps_per_epoch:.4f} "
              f"dev loss {dev_loss:.4f} dev greedy acc {acc:.3f} epoch {time.monotonic() - t0:.0f}s "
              f"total {elapsed:.1f} min", flush=True)
        if elapsed > args.minutes:
            print(f"stopping after epoch {epoch}: past --minutes {args.minutes}", flush=True)
            break
    print(f"exported to {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
