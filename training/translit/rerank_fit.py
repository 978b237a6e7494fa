"""Fit the re-ranker of glossary/translit/rerank.py on the NIKL dev words; write glossary/data/translit/rerank.json.

    PYTHONPATH=. OMP_NUM_THREADS=1 python -m training.translit.rerank_fit [--pools build/rerank_pools.pkl]

The dev entries of the usage list (glossary.translit.nikl.split_of) are cut into word pairs (entries whose
English and Hangul have as many words); each word's candidate pool is what glossary.translit.standard's
search gathers (both models' beams of RERANK_BEAM, the English rules', German and French tables' readings,
the Japanese reading), and each word of an entry is one row group, with its entry's other words as context
(rerank.name_context).  The weights (one per feature) are fitted by the conditional logit likelihood; the
figures printed first are 5-fold cross-validated over the dev entries (words of names, all words, names with
every word right), so they are not in-sample figures.  The
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
from glossary.translit.rerank import (RERANK_WEIGHTS, Reranker, candidate_features, name_context, spelling_origin,
                                     standard_lm)
from glossary.translit.standard import RERANK_BEAM, SECOND_MODEL_DIR, StandardSearch
from glossary.translit.text import is_hangul_word


def dev_entries(path: Path = DEFAULT_TABLE) -> list[tuple[str, list[str], list[str], list[set[str]], bool]]:
    """The dev entries whose English and Hangul have as many words: (English, tokens, normalised words,
    each word's Hangul spellings, whether it is a name); an English written twice has its spellings merged."""
    model = default_model()
    merged: dict[str, tuple[list[str], list[str], list[set[str]]]] = {}
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
            entry = merged.setdefault(en, ([p.token for p in parts], [p.word for p in parts], [set() for _ in parts]))
            for spellings, k in zip(entry[2], kw):
                spellings.add(k)
    return [(en, toks, words, refs, en[:1].isupper()) for en, (toks, words, refs) in merged.items()]


def dev_words(entries) -> dict[str, tuple[str, set[str], bool]]:
    """token -> (normalised word, its Hangul spellings in the dev entries, whether some entry is a name)."""
    out: dict[str, tuple[str, set[str], bool]] = {}
    for en, toks, words, refs, name in entries:
        for t, w, r in zip(toks, words, refs):
            word, spellings, is_name = out.get(t, (w, set(), False))
            out[t] = (word, spellings | r, is_name or name)
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
        pools = gather(dev_words(dev_entries()))
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_bytes(pickle.dumps(pools))
    lm = standard_lm()
    origin = spelling_origin()
    # one row group per word of each dev entry, with the origin of the entry's other words as context
    data = []
    for en, toks, words, refs, name in dev_entries():
        rows = []
        for tok, word, spellings, context in zip(toks, words, refs, name_context(words, origin)):
            p = pools[tok]
            cands, X = candidate_features(word, p["info"], any("rule" in f for f in p["info"].values()),
                                          looks_japanese(tok), lm, origin, context)
            rows.append((X, np.array([c in spellings for c in cands])))
        data.append((rows, name))
    order = np.random.default_rng(0).permutation(len(data))
    hits = {"name words": [0, 0, 0], "all words": [0, 0, 0], "names (every word right)": [0, 0, 0]}
    for k in range(5):
        test = set(order[k::5].tolist())
        model = Reranker.fit([r for i, (rows, _) in enumerate(data) if i not in test for r in rows], l2=args.l2)
        for i in test:
            rows, name = data[i]
            right = True
            for X, y in rows:
                ranked = np.argsort(-model.logprobs(X))
                right &= bool(y[ranked[0]])
                for group in ("all words", "name words") if name else ("all words",):
                    hits[group][0] += 1
                    hits[group][1] += bool(y[ranked[0]])
                    hits[group][2] += bool(y[ranked[:5]].any())
            if name:
                hits["names (every word right)"][0] += 1
                hits["names (every word right)"][1] += right
    for group, (n, t1, t5) in hits.items():
        print(f"dev {group}, 5-fold CV by entry: n={n} top-1 {t1 / n:.1%}" + (f" top-5 {t5 / n:.1%}" if t5 else ""))
    model = Reranker.fit([r for rows, _ in data for r in rows], l2=args.l2)
    Path(args.out).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print("weights:", dict(zip(model.to_dict()["features"], model.to_dict()["weights"])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
