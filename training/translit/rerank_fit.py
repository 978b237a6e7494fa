"""Fit the re-ranker of glossary/translit/rerank.py on the NIKL dev words; write glossary/data/translit/rerank.json.

    PYTHONPATH=. OMP_NUM_THREADS=1 python -m training.translit.rerank_fit [--pools build/rerank_pools.pkl]

The dev entries of the usage list (glossary.translit.nikl.split_of) are cut into word pairs (entries whose
English and Hangul have as many words); each word's candidate pool is what glossary.translit.standard's
search gathers (both models' beams of RERANK_BEAM, the English rules' readings, the Japanese reading).
The weights (one per feature) are fitted by the conditional logit likelihood; the figure printed first is
5-fold cross-validated over the dev words (names and all words), so it is not an in-sample figure.  The
test split is never read.  The pools take a few minutes to gather on one core and are cached in --pools.
"""
from __future__ import annotations

import argparse
import json
import pickle
import sys
from pathlib import Path

import numpy as np

from glossary.translit import TransliterationInputError, TransliterationModel, _parse_name, default_model
from glossary.translit.japanese import looks_japanese
from glossary.translit.nikl import DEFAULT_TABLE, is_acronym, split_of
from glossary.translit.rerank import RERANK_WEIGHTS, Reranker, candidate_features, standard_lm
from glossary.translit.standard import RERANK_BEAM, SECOND_MODEL_DIR, StandardSearch
from glossary.translit.text import is_hangul_word


def dev_words(path: Path = DEFAULT_TABLE) -> dict[str, tuple[str, set[str], bool]]:
    """token -> (normalised word, its Hangul spellings in the dev entries, whether some entry is a name)."""
    model = default_model()
    out: dict[str, tuple[str, set[str], bool]] = {}
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            en, ko = line.rstrip("\n").split("\t")
            if split_of(en) != "dev" or is_acronym(en):
                continue
            try:
                parts = [p for p in _parse_name(en, model.letters) if p.word]
            except TransliterationInputError:
                continue
            kw = ko.split()
            if len(kw) != len(parts) or not all(is_hangul_word(k) for k in kw):
                continue
            for p, k in zip(parts, kw):
                word, refs, name = out.get(p.token, (p.word, set(), False))
                out[p.token] = (word, refs | {k}, name or en[:1].isupper())
    return out


def gather(words, batch: int = 32) -> dict[str, dict]:
    # the shipped models, without the shipped re-ranker (whose features may be older than this code's)
    search = StandardSearch([default_model(), TransliterationModel.load(SECOND_MODEL_DIR)], reranker=None,
                            beam=RERANK_BEAM)
    items = sorted(words.items())
    pools = {}
    for s in range(0, len(items), batch):
        chunk = items[s:s + batch]
        infos = search.pools([w for _, (w, _, _) in chunk], [t for t, _ in chunk])
        for (tok, (w, refs, name)), info in zip(chunk, infos):
            pools[tok] = {"word": w, "refs": refs, "name": name, "info": info}
    return pools


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pools", default="build/rerank_pools.pkl")
    ap.add_argument("--out", default=str(RERANK_WEIGHTS))
    ap.add_argument("--l2", type=float, default=1e-3)
    args = ap.parse_args(argv)
    cache = Path(args.pools)
    if cache.is_file():
        pools = pickle.loads(cache.read_bytes())
    else:
        pools = gather(dev_words())
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(pools))
    lm = standard_lm()
    data = []
    for tok, p in sorted(pools.items()):
        cands, X = candidate_features(p["word"], p["info"], any("rule" in f for f in p["info"].values()),
                                      looks_japanese(tok), lm)
        data.append((X, np.array([c in p["refs"] for c in cands]), p["name"]))
    order = np.random.default_rng(0).permutation(len(data))
    hits = {"all": [0, 0, 0], "names": [0, 0, 0]}
    for k in range(5):
        test = set(order[k::5].tolist())
        model = Reranker.fit([(X, y) for i, (X, y, _) in enumerate(data) if i not in test], l2=args.l2)
        for i in test:
            X, y, name = data[i]
            ranked = np.argsort(-model.logprobs(X))
            for group in ("all", "names") if name else ("all",):
                hits[group][0] += 1
                hits[group][1] += bool(y[ranked[0]])
                hits[group][2] += bool(y[ranked[:5]].any())
    for group, (n, t1, t5) in hits.items():
        print(f"dev words ({group}), 5-fold CV: n={n} top-1 {t1 / n:.1%} top-5 {t5 / n:.1%}")
    model = Reranker.fit([(X, y) for X, y, _ in data], l2=args.l2)
    Path(args.out).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print("weights:", dict(zip(model.to_dict()["features"], model.to_dict()["weights"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
