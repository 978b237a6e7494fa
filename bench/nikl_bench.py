"""How often the suggested spelling of a name is the NIKL standard one (top-1 / top-5).

    PYTHONPATH=. OMP_NUM_THREADS=1 python bench/nikl_bench.py [--split test|dev] [--limit N] [--model-dir DIR]

Entries are the NIKL usage list's (glossary/data/nikl/usage.tsv) of one split of
glossary.translit.nikl.split_of (a hash of the folded English; choices are made on 'dev', 'test'
is only reported).  No word of a dev or test entry was seen in training, NIKL or Wikidata
(training/translit/nikl_pairs.py).  Printed, for names (entries with a capital letter, acronyms aside)
and for all entries:

- model alone: lookup off, the transliteration model only (the shipped search: both neural models, the
  English and Japanese rules, the re-ranker of glossary/translit/rerank.py; --model-dir: that model alone);
- lookup on, this split taken out of the table: what the list still gives for names it lacks
  (every word of 'Hilary Ann' may be in it);
- lookup on, the shipped table (these entries are in it, so this is the list's own coverage);

then the model's top-1 / top-5 on the Wikidata held-out words (bench/data/translit_heldout.tsv).
A suggestion counts when it equals one of the entry's spellings with spaces ignored (the list
writes 'White Oak' as 화이트오크 and personal names with a space); the exact figure is printed too.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from glossary.translit import TransliterationInputError, TransliterationModel, default_model  # noqa: E402
from glossary.translit.nikl import DEFAULT_TABLE, NiklTable, is_acronym, split_of  # noqa: E402
from glossary.translit.standard import suggest_standard  # noqa: E402

WIKIDATA_HELDOUT = Path(__file__).resolve().parent / "data" / "translit_heldout.tsv"


def entries_of(split: str, path: Path = DEFAULT_TABLE) -> dict[str, set[str]]:
    refs: dict[str, set[str]] = defaultdict(set)
    with open(path, encoding="utf-8") as f:
        next(f)
        for line in f:
            en, ko = line.rstrip("\n").split("\t")
            if split_of(en) == split:
                refs[en].add(ko)
    return refs


def is_name(english: str) -> bool:
    return english[:1].isupper() and not is_acronym(english)


def evaluate(refs: dict[str, set[str]], suggest) -> dict[str, float]:
    hits = {"top1": 0, "top5": 0, "exact1": 0, "n": 0}
    for en, kos in refs.items():
        try:
            cands = suggest(en)
        except TransliterationInputError:
            cands = []
        bare = {k.replace(" ", "") for k in kos}
        hits["n"] += 1
        hits["top1"] += bool(cands) and cands[0].replace(" ", "") in bare
        hits["top5"] += any(c.replace(" ", "") in bare for c in cands[:5])
        hits["exact1"] += bool(cands) and cands[0] in kos
    return hits


def line(label: str, h: dict) -> str:
    n = max(h["n"], 1)
    return (f"{label:<52} n={h['n']:5d}  top-1 {h['top1'] / n:6.1%}  top-5 {h['top5'] / n:6.1%}  "
            f"(top-1 exact spacing {h['exact1'] / n:.1%})")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "dev"])
    ap.add_argument("--limit", type=int, default=0, help="use every Nth entry so that about N are used")
    ap.add_argument("--model-dir", default=None)
    ap.add_argument("--names-only", action="store_true", help="skip the loanwords (lowercase entries)")
    args = ap.parse_args(argv)

    # The shipped search (both models, rules, re-ranker) unless another model is given to try alone.
    model = TransliterationModel.load(args.model_dir) if args.model_dir else default_model()
    refs = entries_of(args.split)
    if args.limit and len(refs) > args.limit:
        step = len(refs) // args.limit
        refs = {en: refs[en] for en in sorted(refs)[::step]}
    groups = {"names": {en: ko for en, ko in refs.items() if is_name(en)}}
    if not args.names_only:
        groups["all entries"] = refs
    without_split = NiklTable.load(exclude_splits=frozenset({args.split}))
    shipped = NiklTable.load()
    print(f"NIKL {args.split} split: {len(refs)} entries, {len(groups['names'])} names")
    for group, subset in groups.items():
        t0 = time.perf_counter()
        alone = evaluate(subset, lambda en: [s.korean for s in suggest_standard(en, 5, lookup=False, model=model)])
        secs = time.perf_counter() - t0
        print(line(f"{group}: model alone (lookup off)", alone) + f"  {secs / max(alone['n'], 1) * 1000:.0f} ms/name")
        print(line(f"{group}: lookup on, {args.split} entries not in the table", evaluate(
            subset, lambda en: [s.korean for s in suggest_standard(en, 5, model=model, table=without_split)])))
        print(line(f"{group}: lookup on, shipped table", evaluate(
            subset, lambda en: [s.korean for s in suggest_standard(en, 5, model=model, table=shipped)])))

    wd: dict[str, set[str]] = defaultdict(set)
    with open(WIKIDATA_HELDOUT, encoding="utf-8") as f:
        for row in f:
            en, ko = row.rstrip("\n").split("\t")
            wd[en].add(ko)
    if args.limit and len(wd) > args.limit:
        wd = {en: wd[en] for en in sorted(wd)[::len(wd) // args.limit]}
    print(line("Wikidata held-out words: model alone", evaluate(wd, lambda en: [ko for ko, _ in model.suggest(en, 5)])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
