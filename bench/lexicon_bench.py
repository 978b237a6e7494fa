#!/usr/bin/env python3
"""The bilingual lexicon's word-level checks: MQM dev omissions found, clean NTREX pairs flagged.

    PYTHONPATH=. python bench/lexicon_bench.py [--shared ../shared] [--lexicon DIR] [--sweep]

Prints
- the lexicon's size and its coverage (share of English content words with a Korean counterpart)
  on held-out NTREX-128 documents (news the lexicon never saw) and on MQM dev references;
- MQM dev (evaluation only: read in place, never trained on): AUROC of the summed severity weights
  of the omission findings for "the annotators marked an omission", and the share of segments with
  and without an annotated omission that get a word-level omission finding;
- held-out NTREX-128 documents (clean human translations): pairs with a word-level omission,
  addition or mistranslation finding, and all major/critical findings of a full review (the issue's
  rule: no more than before).
``--sweep`` also prints, for thresholds of the closest-word cosine, MQM dev segments flagged with and
without an annotated omission against clean NTREX pairs flagged.
``--lexicon DIR`` evaluates another table (e.g. one learned from software help alone).
"""
from __future__ import annotations

import argparse
import re
import time
import zlib
from collections import Counter

import numpy as np

from common import auroc, mqm_rows, shared_dir


def ntrex_held_out(shared):
    d = shared / "data" / "ntrex128"
    ids = (d / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    src = (d / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    tgt = (d / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[tuple[str, str]]] = {}
    for doc, s, t in zip(ids, src, tgt):
        if zlib.crc32(doc.strip().encode()) % 2 == 0:   # the rule of training/lexicon/build_corpus.py
            docs.setdefault(doc, []).append((s, t))
    return docs


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared")
    ap.add_argument("--lexicon")
    ap.add_argument("--sweep", action="store_true")
    args = ap.parse_args()
    shared = shared_dir(args.shared)

    from glossary import lexicon as lexmod
    from review.assess import assess_pairs
    from review.checks import CheckPair, coverage

    if args.lexicon:
        lexmod.DATA_DIR = lexmod.Path(args.lexicon)
    lex = lexmod.load_lexicon()
    if args.sweep:
        coverage.WORD_MAX_COSINE = coverage.ADDED_MAX_COSINE = 1.0   # every candidate, its cosine in the message

    rows = mqm_rows(shared)
    src = [r["en_source"].strip() for r in rows]
    tgt = [r["ko_target"].strip() for r in rows]
    has = np.array([bool(re.search(r"\(omission/", r["annotation"])) for r in rows])
    docs = ntrex_held_out(shared)

    from glossary.morph import get_kiwi
    kiwi = get_kiwi()

    def coverage_of(pairs):
        toks = kiwi.tokenize([t for _, t in pairs])
        ms = [lexmod.match_pair(s, t, [lexmod_token(x) for x in k], lex) for (s, t), k in zip(pairs, toks)]
        words = [w for m in ms for w in m.english if w.occurrences > 0]
        return sum(w.matched for w in words) / max(1, len(words)), len(words)

    ntrex_pairs = [p for d in docs.values() for p in d]
    print(f"lexicon: {len(lex.english)} English lemmas, {len(lex.korean)} Korean units, {len(lex)} links; "
          f"trained on {lex.meta.get('sources')}")
    for name, pairs in (("NTREX-128 held-out references", ntrex_pairs),
                        ("MQM dev references", [(r["en_source"].strip(), r["ko_reference"].strip()) for r in rows])):
        cov, n = coverage_of(pairs)
        print(f"  coverage of known English content words, {name}: {cov:.3f} of {n}")

    start = time.perf_counter()
    mqm = assess_pairs([CheckPair(str(i), s, t) for i, (s, t) in enumerate(zip(src, tgt))])
    clean = [a for pairs in docs.values() for a in assess_pairs([CheckPair(str(i), s, t)
                                                                 for i, (s, t) in enumerate(pairs)])]
    seconds = time.perf_counter() - start

    def lexical(f):
        return "bilingual lexicon" in f.message

    def closest(a, check):
        """The lowest 'closest word cosine' of the pair's word-level findings of ``check``."""
        return min([float(re.search(r"cosine (?:with the English )?([-\d.]+)", f.message).group(1))
                    for f in a.findings if lexical(f) and check in f.check] or [9.0])

    weights = np.array([sum(f.severity.weight for f in a.findings if "omission" in f.check) for a in mqm], float)
    word = np.array([any(lexical(f) and "omission" in f.check for f in a.findings) for a in mqm])
    print(f"MQM dev ({len(rows)} segments, {int(has.sum())} with an annotated omission; {seconds:.0f} s with NTREX)")
    print(f"  omission AUROC (summed weights of omission findings): {auroc(list(weights[has]), list(weights[~has])):.4f}")
    print(f"  segments with a word-level omission finding: {word[has].mean():.3f} with an annotated omission, "
          f"{word[~has].mean():.3f} without")
    by_check = Counter(f.check for a in clean for f in a.findings if lexical(f))
    flagged = {c: sum(any(lexical(f) and f.check == c for f in a.findings) for a in clean)
               for c in ("omission", "addition", "mistranslation")}
    major = Counter(f.check for a in clean for f in a.findings if f.severity.value in ("major", "critical"))
    print(f"NTREX-128 held-out documents ({len(clean)} clean pairs, {len(docs)} documents):")
    for c, n in flagged.items():
        print(f"  pairs with a word-level {c} finding: {n} ({n / len(clean):.1%}; findings {by_check[c]})")
    print(f"  major/critical findings of all checks: {sum(major.values())} {dict(major.most_common())}")
    if args.sweep:
        for check in ("omission", "addition"):
            mqm_cos = np.array([closest(a, check) for a in mqm])
            clean_cos = np.array([closest(a, check) for a in clean])
            for thr in (0.0, 0.05, 0.1, 0.12, 0.15, 0.2, 0.25):
                print(f"  {check} with closest cosine <= {thr}: MQM flagged {np.mean(mqm_cos[has] <= thr):.3f} with / "
                      f"{np.mean(mqm_cos[~has] <= thr):.3f} without an omission; NTREX clean flagged "
                      f"{np.mean(clean_cos <= thr):.3f}")
    return 0


def lexmod_token(t):
    from glossary.morph import Token
    return Token(t.form, t.tag, t.start, t.start + t.len)


if __name__ == "__main__":
    raise SystemExit(main())
