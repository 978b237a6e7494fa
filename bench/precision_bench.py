#!/usr/bin/env python3
"""False alarms on clean human translations, next to the detection figures they must not cost.

    PYTHONPATH=. python bench/precision_bench.py [--shared ../shared] [--no-recall] [--examples N] [--dump FILE] [--profile FILE]

1. NTREX-128 references (newstest2019, professional translations), one review per
   document as ``mtreview review`` runs it: every registered check plus name discovery
   with the English (``glossary.discovery.discover``) and the name checks.
2. The MQM dev set's *reference* translations (research use only: read in place, never
   copied), judged as ``mtreview score`` judges a pairs file: one document per corpus
   (Global Voices, TED), no name discovery (the rows are unrelated sentences).

For each: the share of pairs with a major or critical finding (target <= 3%) and with any
finding (target <= 10%), broken down by check.  "Any finding" counts every finding of minor, major or
critical severity from a check that reports errors; the informational checks' notes (``no-source``,
``untranslated-gloss``: shown to the reviewer, no penalty, never queued) are left out and their share is
printed apart;
the share of pairs the worklist would hold on the garble score alone (no finding to say
why); and ``--examples N`` prints N flagged pairs per check to read.

3. Unless ``--no-recall``: the garble bench (bench/garble_bench.py, seed 13: AUROC overall
   >= 0.97, each type >= 0.95) and the MQM untranslated / encoding AUROCs (>= 0.95 / 0.98),
   so that precision is not bought with recall.
"""
from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from itertools import groupby

from common import mqm_rows, shared_dir

MAJOR_TARGET = 0.03
ANY_TARGET = 0.10


def ntrex_documents(shared) -> list[tuple[str, list[tuple[str, str]]]]:
    nt = shared / "data" / "ntrex128"
    src = (nt / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    tgt = (nt / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    ids = (nt / "DOCUMENT_IDS.tsv").read_text(encoding="utf-8").splitlines()
    if not (len(src) == len(tgt) == len(ids)):
        raise SystemExit(f"NTREX files differ in length: {len(src)} / {len(tgt)} / {len(ids)}")
    rows = list(zip(ids, src, tgt))
    return [(doc, [(s, t) for _, s, t in group]) for doc, group in groupby(rows, key=lambda r: r[0])]


def mqm_documents(shared) -> list[tuple[str, list[tuple[str, str]]]]:
    by_corpus: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in mqm_rows(shared):
        by_corpus[r["corpus"]].append((r["en_source"].strip(), r["ko_reference"].strip()))
    return sorted(by_corpus.items())


def review_documents(docs, names: bool, policy=None):
    """(doc id, CheckPair, findings, garble score) for every pair, each document reviewed on its own."""
    from review.assess import assess_pairs
    from review.checks import CheckPair, TermContext

    out = []
    for doc, pairs in docs:
        paragraph = "\n".join(t for _, t in pairs)
        offsets, pos = [], 0
        for _, t in pairs:
            offsets.append(pos)
            pos += len(t) + 1
        check_pairs = [CheckPair(f"{doc}:{i}", s, t, i, False, paragraph, off)
                       for i, ((s, t), off) in enumerate(zip(pairs, offsets))]
        terms = None
        if names:
            from glossary.discovery import discover
            found = discover(paragraph, en_text="\n".join(s for s, _ in pairs))
            terms = TermContext.from_proposals(found)
        for p, a in zip(check_pairs, assess_pairs(check_pairs, terms=terms, **({"policy": policy} if policy else {}))):
            out.append((doc, p, a.findings, a.score))
    return out


def report(title: str, reviewed, examples: int, dump=None) -> dict:
    from review.records import Severity
    from review.checks.registry import is_informational
    from review.scoring import GARBLE_FLAG_THRESHOLD

    n = len(reviewed)
    major = any_ = garble_only = noted = 0
    by_check_any: Counter = Counter()
    by_check_major: Counter = Counter()
    samples: dict[str, list[str]] = defaultdict(list)
    for doc, pair, findings, score in reviewed:
        found = [f for f in findings if not is_informational(f.check)]
        noted += len(found) < len(findings)
        serious = [f for f in found if f.severity in (Severity.MAJOR, Severity.CRITICAL)]
        major += bool(serious)
        any_ += bool(found)
        garble_only += all(f.check == "garble" for f in found) and score >= GARBLE_FLAG_THRESHOLD
        by_check_any.update({f.check for f in found})
        by_check_major.update({f.check for f in serious})
        for f in found:
            if dump is not None:
                where = f.tgt_spans[0].text if f.tgt_spans else (f.src_spans[0].text if f.src_spans else "")
                dump.write(json.dumps({"doc": doc, "check": f.check, "severity": f.severity.value,
                                       "message": f.message, "span": where, "ko": pair.tgt, "en": pair.src},
                                      ensure_ascii=False) + "\n")
            if len(samples[f.check]) < examples:
                where = f.tgt_spans[0].text if f.tgt_spans else (f.src_spans[0].text if f.src_spans else "")
                samples[f.check].append(f"[{f.severity.value}] {f.message} | span {where!r} | ko {pair.tgt[:90]!r}")
    mark = lambda share, target: "ok" if share <= target else "MISSED"  # noqa: E731
    print(f"{title}: {n} pairs")
    print(f"  with a major/critical finding: {major / n:6.2%}  (target <= {MAJOR_TARGET:.0%}: "
          f"{mark(major / n, MAJOR_TARGET)})")
    print(f"  with any finding:              {any_ / n:6.2%}  (target <= {ANY_TARGET:.0%}: {mark(any_ / n, ANY_TARGET)}; "
          "minor, major or critical findings of error checks)")
    print(f"  with an informational note (not counted above; e.g. a gloss 코무치(Komuch)): {noted / n:.2%}")
    print(f"  on the worklist by the garble score alone (only a garble finding): {garble_only / n:.2%}")
    print("  by check (share of pairs: major or critical / any):")
    for check, k in sorted(by_check_any.items(), key=lambda kv: -kv[1]):
        print(f"    {check:<20} {by_check_major[check] / n:6.2%} / {k / n:6.2%}")
    for check, lines in samples.items():
        print(f"  examples of {check}:")
        for line in lines:
            print(f"    {line}")
    return {"major": major / n, "any": any_ / n}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared")
    ap.add_argument("--no-recall", action="store_true", help="skip the garble bench and the MQM AUROCs")
    ap.add_argument("--no-names", action="store_true", help="skip name discovery on NTREX")
    ap.add_argument("--only", choices=("ntrex", "mqm"), help="one corpus only")
    ap.add_argument("--examples", type=int, default=0, help="flagged pairs to print per check")
    ap.add_argument("--profile", help="a house-style profile (TOML) to review with, as mtreview review --profile")
    ap.add_argument("--dump", help="write every finding on the clean pairs to this JSONL file, to read them")
    a = ap.parse_args()
    dump = open(a.dump, "w", encoding="utf-8") if a.dump else None
    policy = None
    if a.profile:
        from review.profile import load_profile
        policy = load_profile(a.profile)
    shared = shared_dir(a.shared)
    t0 = time.perf_counter()
    if a.only in (None, "ntrex"):
        report("NTREX-128 references, one review per document" + ("" if a.no_names else " (names discovered)"),
               review_documents(ntrex_documents(shared), names=not a.no_names, policy=policy), a.examples, dump)
    if a.only in (None, "mqm"):
        report("MQM dev reference translations, one document per corpus",
               review_documents(mqm_documents(shared), names=False, policy=policy), a.examples, dump)
    print(f"({time.perf_counter() - t0:.0f} s)")
    if not a.no_recall:
        import garble_bench
        garble_bench.garble(shared, 13)
        garble_bench.mqm(shared)


if __name__ == "__main__":
    main()
