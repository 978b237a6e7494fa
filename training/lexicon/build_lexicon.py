#!/usr/bin/env python3
"""Learn the bilingual lexicon shipped in glossary/data/lexicon/ from the corpus of build_corpus.py.

    PYTHONPATH=. python training/lexicon/build_lexicon.py [--corpus build/lexicon/corpus] \
        [--sources libreoffice,debian-faq,ntrex128] [--out glossary/data/lexicon]

English is tokenised into lemmas (:func:`glossary.lexicon.english_words`), Korean into Kiwi
content units (:func:`glossary.lexicon.korean_units`); eflomal (PyPI) aligns them in both
directions; the union of the two directions gives, per English lemma, how often it was
linked to each Korean unit and how often it was left with no link at all.  Pairs seen
fewer than ``--min-count`` times are pruned.  Writes ``lexicon.npz`` + ``vocab.json``
(loaded by :func:`glossary.lexicon.load_lexicon`) and ``PROVENANCE.md``.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from glossary.lexicon import Lexicon, english_words, korean_units, match_pair
from glossary.morph import Token

csv.field_size_limit(10 ** 8)


def read_corpus(path: Path, sources: set[str]) -> list[tuple[str, str, str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return [tuple(r) for r in csv.reader(f, delimiter="\t") if r[0] in sources]


def tokenise(rows) -> tuple[list[list[str]], list[list[str]], list[list[Token]]]:
    from glossary.morph import get_kiwi
    kiwi = get_kiwi()
    en = [[w.lemma for w in english_words(r[2])] for r in rows]
    tokens = [[Token(t.form, t.tag, t.start, t.start + t.len) for t in toks]
              for toks in kiwi.tokenize([r[3] for r in rows])]
    ko = [[u.key.replace(" ", "_") for u in korean_units(toks)] for toks in tokens]
    return en, ko, tokens


def match_counts(lex: Lexicon, rows, tokens, news_sources: set[str], english: dict[str, int],
                 korean: dict[str, int], out: dict[str, np.ndarray]) -> None:
    """Add, per English lemma (index in ``english``), its occurrences as a content word and how often
    :func:`match_pair` with ``lex`` found its counterpart in the human translation, overall and in
    news; per Korean unit (index in ``korean``), its occurrences and how often it rendered an English
    word.  Measured with a table that did not see these rows, these rates say how much a missing
    counterpart means."""
    for r, toks in zip(rows, tokens):
        news = r[0] in news_sources
        m = match_pair(r[2], r[3], toks, lex)
        for w in m.english:
            e = english.get(w.word.lemma)
            if e is None:
                continue
            out["seen"][e] += 1
            out["matched"][e] += w.matched
            if news:
                out["news_seen"][e] += 1
                out["news_matched"][e] += w.matched
        for u, linked in zip(m.korean, m.korean_linked):
            k = korean.get(u.key)
            if k is not None:
                out["ko_seen"][k] += 1
                out["ko_matched"][k] += linked


def build_tables(en, ko, fwd, rev, min_count: int, min_english: int):
    """Vocabularies and count arrays (the keyword arguments of :class:`Lexicon`) from the links."""
    pair_counts: Counter = Counter()
    en_occ, en_linked, ko_occ, ko_linked = Counter(), Counter(), Counter(), Counter()
    for e, k, f, r in zip(en, ko, fwd, rev):
        union = set(f) | set(r)
        en_occ.update(e)
        ko_occ.update(k)
        en_linked.update(e[i] for i in {i for i, _ in union})
        ko_linked.update(k[j] for j in {j for _, j in union})
        pair_counts.update((e[i], k[j]) for i, j in union)
    en_vocab = sorted(w for w, c in en_occ.items() if c >= min_english)
    ko_vocab = sorted({k for (e, k), c in pair_counts.items() if c >= min_count} | {
        k for k, c in ko_occ.items() if c >= min_english})
    e_id, k_id = {w: i for i, w in enumerate(en_vocab)}, {w: i for i, w in enumerate(ko_vocab)}
    kept = sorted((e_id[e], k_id[k], c) for (e, k), c in pair_counts.items()
                  if c >= min_count and e in e_id and k in k_id)
    arr = np.array(kept, dtype=np.int32).reshape(-1, 3)
    tables = dict(en=arr[:, 0], ko=arr[:, 1], count=arr[:, 2],
                  en_count=np.array([en_occ[w] for w in en_vocab], np.int32),
                  en_linked=np.array([en_linked[w] for w in en_vocab], np.int32),
                  ko_count=np.array([ko_occ[w] for w in ko_vocab], np.int32),
                  ko_linked=np.array([ko_linked[w] for w in ko_vocab], np.int32))
    return en_vocab, ko_vocab, tables


def links(en: list[list[str]], ko: list[list[str]]) -> tuple[list, list]:
    """eflomal's forward and reverse links (Pharaoh i-j lines) for each sentence pair."""
    from eflomal import Aligner
    with tempfile.TemporaryDirectory() as tmp:
        fwd, rev = os.path.join(tmp, "fwd"), os.path.join(tmp, "rev")
        src = io.StringIO("".join(" ".join(s) + "\n" for s in en))
        trg = io.StringIO("".join(" ".join(s) + "\n" for s in ko))
        Aligner(model=3, n_samplers=2).align(src, trg, links_filename_fwd=fwd, links_filename_rev=rev, quiet=True)

        def read(p):
            return [[tuple(map(int, x.split("-"))) for x in line.split()] for line in open(p, encoding="utf-8")]
        return read(fwd), read(rev)


def write_provenance(out: Path, corpus: Path, meta: dict, links_kept: int, args) -> None:
    """PROVENANCE.md next to the table: sources, versions, licences, counts and the commands."""
    try:
        sources = json.loads((corpus / "sources.json").read_text(encoding="utf-8"))
    except OSError:
        sources = {}
    lines = ["# Provenance of the bilingual lexicon (lexicon.npz, vocab.json)", "",
             "Word-alignment counts between English lemmas and Korean Kiwi content morphemes, learned by",
             "`training/lexicon/` from human translations. The corpus itself is not shipped.", "",
             f"Rebuild: `python training/lexicon/build_corpus.py --out {corpus.parent}` then",
             f"`python training/lexicon/build_lexicon.py --corpus {corpus} --sources {args.sources} "
             f"--min-count {args.min_count} --min-english {args.min_english}`.", "",
             "## Sources and Licence", "",
             "| source | licence | Debian package versions | training pairs |", "|---|---|---|---|"]
    pkgs = sources.get("packages", {})
    for name, family in (("libreoffice", "libreoffice-help"), ("debian-faq", "debian-faq")):
        entries = {p: v for p, v in pkgs.items() if p.startswith(family)}
        licence = "; ".join(sorted({v["licence"] for v in entries.values()})) or "?"
        debs = ", ".join(d for v in entries.values() for d in v["deb"])
        lines.append(f"| {name} | {licence} | {debs} | {meta['sources'].get(name, 0)} |")
    nt = sources.get("ntrex128", {})
    lines.append(f"| ntrex128 (half of the documents; {nt.get('held_out_rule', '')}; commit {nt.get('commit', '?')}) "
                 f"| {nt.get('licence', 'CC BY-SA 4.0')} | - | {meta['sources'].get('ntrex128', 0)} |")
    lines += ["", "The table is distributed under CC BY-SA 4.0 (the NTREX-128 part requires it); its LibreOffice",
              "part derives from MPL-2.0 documentation whose source is the Debian packages above, and the Debian",
              "FAQ part from text under the FAQ's permission notice (modified versions allowed).",
              "GIMP help (GFDL-1.2) and gettext catalogues (mostly GPL) were left out on purpose.", "",
              "## Contents", "",
              f"- {len(meta['english'])} English lemmas, {len(meta['korean'])} Korean units, {links_kept} links "
              f"(pairs aligned at least {args.min_count} times), from {meta['pairs']} sentence pairs.",
              f"- Aligner: {meta['aligner']}.",
              "- `seen`/`matched` (and `news_*`, `ko_*`): how often `glossary.lexicon.match_pair` found a counterpart",
              "  in the human translation, cross-fitted (each half of the documents matched with a table learned",
              "  from the other half): the reliability of a missing counterpart as evidence."]
    (out / "PROVENANCE.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default="build/lexicon/corpus")
    ap.add_argument("--sources", default="libreoffice,debian-faq,ntrex128")
    ap.add_argument("--out", default="glossary/data/lexicon")
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--min-english", type=int, default=3, help="English lemmas seen fewer times are left out")
    args = ap.parse_args()
    sources = set(args.sources.split(","))
    rows = read_corpus(Path(args.corpus) / "train.tsv", sources)
    t0 = time.perf_counter()
    en, ko, tokens = tokenise(rows)
    t1 = time.perf_counter()
    keep = [i for i in range(len(rows)) if en[i] and ko[i]]
    en, ko, rows, tokens = [en[i] for i in keep], [ko[i] for i in keep], [rows[i] for i in keep], [tokens[i] for i in keep]
    fwd, rev = links(en, ko)
    t2 = time.perf_counter()
    en_vocab, ko_vocab, tables = build_tables(en, ko, fwd, rev, args.min_count, args.min_english)
    # reliability of a missing counterpart, cross-fitted: each half of the documents is matched with
    # a table learned from the other half, so the rates are those of text the table has not seen
    english, korean = {w: i for i, w in enumerate(en_vocab)}, {w: i for i, w in enumerate(ko_vocab)}
    rates = {k: np.zeros(len(en_vocab), np.int32) for k in ("seen", "matched", "news_seen", "news_matched")}
    rates.update({k: np.zeros(len(ko_vocab), np.int32) for k in ("ko_seen", "ko_matched")})
    fold = [zlib.crc32(r[1].encode()) % 2 for r in rows]
    for f in (0, 1):
        fit = [i for i in range(len(rows)) if fold[i] != f]
        held = [i for i in range(len(rows)) if fold[i] == f]
        f_fwd, f_rev = links([en[i] for i in fit], [ko[i] for i in fit])
        h_en, h_ko, h_tables = build_tables([en[i] for i in fit], [ko[i] for i in fit], f_fwd, f_rev,
                                            args.min_count, args.min_english)
        half = Lexicon(h_en, h_ko, **h_tables)
        match_counts(half, [rows[i] for i in held], [tokens[i] for i in held], {"ntrex128"}, english, korean, rates)
    tables.update(rates)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "lexicon.npz", **tables)
    counts = Counter(r[0] for r in rows)
    meta = {"english": en_vocab, "korean": ko_vocab, "sources": dict(counts), "pairs": len(en),
            "min_count": args.min_count, "min_english": args.min_english, "aligner": "eflomal (model 3), union of both directions"}
    (out / "vocab.json").write_text(json.dumps(meta, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    write_provenance(out, Path(args.corpus), meta, len(tables["count"]), args)
    print(f"{len(en)} pairs from {dict(counts)}; tokenised {t1 - t0:.0f} s, aligned {t2 - t1:.0f} s; "
          f"{len(en_vocab)} English lemmas, {len(ko_vocab)} Korean units, {len(tables['count'])} pairs kept",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
