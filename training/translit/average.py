"""Average the weights of several checkpoints of one run, report dev accuracy, optionally export.

    PYTHONPATH=. python -m training.translit.average build/translit/ckpt-e10.pt build/translit/ckpt-e11.pt \\
        build/translit/ckpt.pt --data build/translit --out glossary/data/translit

Prints the greedy dev accuracy of each checkpoint and of the average (the
choice is made on dev, never on the held-out test split); ``--out`` exports
the average.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from training.translit.clean import read_pairs
from training.translit.model import ModelShape, Vocab, export, make_model
from training.translit.train import greedy_accuracy


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ckpts", nargs="+")
    ap.add_argument("--data", default="build/translit")
    ap.add_argument("--out", help="export the average here")
    ap.add_argument("--save", help="also save the averaged state dict here (to fine-tune from)")
    ap.add_argument("--d-model", type=int, default=ModelShape.d_model)
    ap.add_argument("--layers", type=int, default=ModelShape.layers)
    ap.add_argument("--ffn", type=int, default=ModelShape.ffn)
    args = ap.parse_args(argv)

    import torch
    torch.set_num_threads(1)
    train = read_pairs(Path(args.data) / "train.tsv")
    dev = read_pairs(Path(args.data) / "dev.tsv")
    vocab = Vocab.build(p.english for p in train)
    model = make_model(len(vocab.tokens), ModelShape(d_model=args.d_model, layers=args.layers, ffn=args.ffn))
    states = [torch.load(p, map_location="cpu")["model"] for p in args.ckpts]
    for path, state in zip(args.ckpts, states):
        model.load_state_dict(state)
        print(f"{path}: dev greedy acc {greedy_accuracy(model, vocab, dev):.3f}", flush=True)
    avg = {k: sum(s[k].float() for s in states) / len(states) if states[0][k].is_floating_point() else states[0][k]
           for k in states[0]}
    model.load_state_dict(avg)
    print(f"average of {len(states)}: dev greedy acc {greedy_accuracy(model, vocab, dev):.3f}", flush=True)
    if args.save:
        torch.save({"model": model.state_dict()}, args.save)
    if args.out:
        model.eval()
        export(model, vocab, args.out)
        print(f"exported to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
