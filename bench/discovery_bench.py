"""Precision and recall of name-variant discovery against the hand annotation of the Maisky text.

    PYTHONPATH=. python bench/discovery_bench.py [KO_FILE] [--fixture tests/fixtures/maisky_variant_clusters.json]

Recall: annotated multi-spelling clusters whose every spelling lies in one proposed
cluster.  Precision: proposed multi-spelling clusters whose spellings all belong to
one annotated name (an annotated cluster or a 'correct_other' pair).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from glossary.discovery import discover  # noqa: E402


def evaluate(proposals, fixture: dict) -> dict:
    gold = fixture["clusters"]
    names = dict(gold)
    names.update(fixture.get("correct_other", {}))
    owner = {}
    for name, spellings in names.items():
        for s in spellings:
            owner.setdefault(s, set()).add(name)
    multi = [p for p in proposals if len(p.variants) > 1]
    found, missed = [], []
    for name, spellings in gold.items():
        if any(set(spellings) <= set(p.variants) for p in multi):
            found.append(name)
        else:
            missed.append(name)
    correct, wrong = [], []
    for p in multi:
        common = None
        for v in p.variants:
            common = owner.get(v, set()) if common is None else common & owner.get(v, set())
        (correct if common else wrong).append(p.variants)
    return {"recall": len(found) / len(gold), "found": found, "missed": missed,
            "precision": len(correct) / max(1, len(multi)), "correct": len(correct), "proposed": len(multi),
            "wrong": wrong}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ko", nargs="?", default=str(ROOT / "review/data/sample/maisky.ko.txt"))
    ap.add_argument("--fixture", default=str(ROOT / "tests/fixtures/maisky_variant_clusters.json"))
    args = ap.parse_args(argv)
    fixture = json.loads(Path(args.fixture).read_text("utf-8"))
    t0 = time.time()
    proposals = discover(Path(args.ko).read_text("utf-8"))
    r = evaluate(proposals, fixture)
    print(f"annotated clusters: {len(fixture['clusters'])}  found whole: {len(r['found'])}  "
          f"recall {r['recall']:.3f}")
    print(f"proposed multi-spelling clusters: {r['proposed']}  correct: {r['correct']}  "
          f"precision {r['precision']:.3f}  [{time.time() - t0:.1f} s]")
    req = [n for n in fixture["required"] if n in r["missed"]]
    print("issue-4 clusters missed:", ", ".join(req) or "none")
    print("missed:", ", ".join(r["missed"]) or "none")
    for w in r["wrong"]:
        print("wrong:", " / ".join(w))
    return 0


if __name__ == "__main__":
    sys.exit(main())
