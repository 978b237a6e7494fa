"""Word pairs from the NIKL usage list for training the transliteration model towards the standard.

    PYTHONPATH=. python -m training.translit.clean /work/shared/data/names/wd_korean.tsv --out build/translit
    PYTHONPATH=. python -m training.translit.nikl_pairs --wikidata build/translit --out build/nikl

Writes into ``--out``:
- ``nikl_train.tsv``: word pairs of the list's 'train' entries (glossary.translit.nikl.split_of);
- ``wd_train.tsv``: the Wikidata training pairs (pre-training, for variety);
- ``train.tsv``: both, the NIKL pairs repeated ``--nikl-weight`` times;
- ``dev.tsv``: word pairs of the 'dev' entries (choices are made on these);
- ``test_entries.tsv``: the 'test' entries as whole names (bench/translit_bench.py reads the shipped list
  itself; this copy is for inspection).

No word of a dev or test entry is a training word, from either source: the test figure measures names
the model has never seen.  Entries written in capitals (acronyms: 'LRCS' -> 엘아르시에스, read letter by
letter or as a word) are left out of training, and multi-word entries are used only when both sides have
the same number of words.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from glossary.translit import nikl
from glossary.translit.nikl import split_of
from training.translit.clean import WordPair, read_pairs


def entry_word_pairs(english: str, korean: str) -> list[WordPair]:
    """The word pairs of one list entry ([] when its words cannot be paired one to one)."""
    return [WordPair(en, ko) for en, ko in nikl.entry_word_pairs(english, korean)]


entry_words = nikl.entry_words


def read_entries(path: Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        next(f)
        return [tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()]


def write_pairs(path: Path, pairs) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for p in pairs:
            f.write(f"{p.english}\t{p.korean}\n")


def main(argv: list[str] | None = None) -> int:
    from glossary.translit.nikl import DEFAULT_TABLE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nikl", default=str(DEFAULT_TABLE))
    ap.add_argument("--wikidata", default="build/translit", help="folder with training.translit.clean's train.tsv")
    ap.add_argument("--out", default="build/nikl")
    ap.add_argument("--nikl-weight", type=int, default=2)
    args = ap.parse_args(argv)

    entries = read_entries(Path(args.nikl))
    held_words: set[str] = set()
    by_split: dict[str, list[tuple[str, str]]] = {"train": [], "dev": [], "test": []}
    for en, ko in entries:
        split = split_of(en)
        by_split[split].append((en, ko))
        if split != "train":
            held_words |= entry_words(en)

    def pairs_of(split):
        seen, out = set(), []
        for en, ko in by_split[split]:
            for p in entry_word_pairs(en, ko):
                if p not in seen:
                    seen.add(p)
                    out.append(p)
        return out

    nikl_train = [p for p in pairs_of("train") if p.english not in held_words]
    dev = pairs_of("dev")
    wd_train = [p for p in read_pairs(Path(args.wikidata) / "train.tsv") if p.english not in held_words]
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_pairs(out / "nikl_train.tsv", nikl_train)
    write_pairs(out / "wd_train.tsv", wd_train)
    write_pairs(out / "train.tsv", wd_train + nikl_train * args.nikl_weight)
    write_pairs(out / "dev.tsv", dev)
    with open(out / "test_entries.tsv", "w", encoding="utf-8") as f:
        for en, ko in by_split["test"]:
            f.write(f"{en}\t{ko}\n")
    print(f"NIKL entries: train {len(by_split['train'])}, dev {len(by_split['dev'])}, test {len(by_split['test'])}; "
          f"word pairs: NIKL train {len(nikl_train)}, Wikidata train {len(wd_train)}, dev {len(dev)}; "
          f"held-out words kept out of training: {len(held_words)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
