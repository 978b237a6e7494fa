"""Time and memory of name discovery as the document grows, and its false alarms on clean human text.

    PYTHONPATH=. python bench/discovery_scale_bench.py [--ntrex DIR] [--no-english] [--parts 16,4,1] [--repeat 1,4,16]

The document is NTREX-128's newstest2019 (1,997 English news sentences and their
professional Korean references) taken as one file, as a reviewer would submit it.
Wall seconds depend on the machine's load; CPU seconds (this process) less so.
Two kinds of growth are measured, each size in a fresh process so peak memory is its own:

* ``--parts``: the first 1/16, 1/4 and all of the document (new words keep coming: the honest
  test of blocking);
* ``--repeat``: the whole document written 1, 4 and 16 times over (16x = 32k sentences; the
  same names recur, as in a long wiki article or a corpus).

For the whole document with English it also counts the ``name-inconsistent`` findings the
proposals raise over the line pairs: the references are clean human translations, so every
one of them is a false alarm (``--no-english`` runs discovery on the Korean alone).
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NTREX = Path("/work/shared/data/ntrex128")


def _lines(ntrex: Path) -> tuple[list[str], list[str]]:
    ko = (ntrex / "newstest2019-ref.kor.txt").read_text("utf-8").splitlines()
    en = (ntrex / "newstest2019-src.eng.txt").read_text("utf-8").splitlines()
    if len(ko) != len(en):
        raise SystemExit(f"{ntrex}: {len(ko)} Korean lines but {len(en)} English lines")
    return ko, en


def run_one(ntrex: Path, fraction: float, repeat: int, english: bool, inconsistent: bool) -> dict:
    """Discovery over one document size, in this process (called in a child process)."""
    from glossary.discovery import discover
    ko, en = _lines(ntrex)
    n = max(1, round(len(ko) * fraction))
    ko, en = ko[:n] * repeat, en[:n] * repeat
    discover("마이스키와 메이스키", en_text="Maisky" if english else None)  # load Kiwi and the models first
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0, c0 = time.perf_counter(), time.process_time()
    proposals = discover("\n".join(ko), en_text="\n".join(en) if english else None)
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {"lines": len(ko), "seconds": round(seconds, 2), "cpu": round(cpu, 2),
           "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
           "before_mb": round(rss_before, 1), "proposals": len(proposals),
           "multi": sum(1 for p in proposals if p.multi_spelling)}
    if inconsistent:
        from glossary.evidence import DocumentNames, pair_evidence
        context = DocumentNames.from_proposals(proposals)
        per_pair = [sum(1 for i in pair_evidence(e if english else None, k, None, context)
                        if i.kind == "name-inconsistent") for k, e in zip(ko, en)]
        out["name_inconsistent"] = sum(per_pair)
        out["pairs_flagged"] = sum(1 for n in per_pair if n)
        out["merged"] = [p.variants for p in proposals if len(p.hangul_variants) > 1]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", type=Path, default=NTREX)
    ap.add_argument("--no-english", action="store_true", help="discover on the Korean alone")
    ap.add_argument("--parts", default="16,4,1", help="document fractions 1/N to run (empty: none)")
    ap.add_argument("--repeat", default="1,4,16", help="copies of the whole document to run (empty: none)")
    ap.add_argument("--show-merged", action="store_true", help="list the multi-spelling Hangul proposals")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    english = not args.no_english
    if args.child:
        fraction, repeat, inconsistent = json.loads(args.child)
        print(json.dumps(run_one(args.ntrex, fraction, repeat, english, inconsistent), ensure_ascii=False))
        return 0
    runs = [(1 / int(p), 1, int(p) == 1) for p in args.parts.split(",") if p] + \
           [(1.0, int(r), False) for r in args.repeat.split(",") if r and int(r) != 1]
    print(f"name discovery on NTREX newstest2019 as one document, English {'on' if english else 'off'}")
    print(f"{'size':>8} {'lines':>7} {'seconds':>8} {'cpu s':>8} {'peak MB':>8} {'(before)':>8} {'proposals':>9} {'multi':>6}")
    for fraction, repeat, inconsistent in runs:
        cmd = [sys.executable, __file__, "--ntrex", str(args.ntrex), "--child", json.dumps([fraction, repeat, inconsistent])]
        if not english:
            cmd.append("--no-english")
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        if done.returncode != 0:
            print(done.stderr, file=sys.stderr)
            return 1
        r = json.loads(done.stdout.strip().splitlines()[-1])
        size = f"{repeat}x" if repeat != 1 else f"1/{round(1 / fraction)}" if fraction < 1 else "1x"
        print(f"{size:>8} {r['lines']:>7} {r['seconds']:>8.1f} {r['cpu']:>8.1f} {r['peak_mb']:>8.0f} {r['before_mb']:>8.0f} "
              f"{r['proposals']:>9} {r['multi']:>6}", flush=True)
        if "name_inconsistent" in r:
            print(f"         name-inconsistent findings on the clean references: {r['name_inconsistent']} "
                  f"({r['pairs_flagged']} of {r['lines']} pairs)", flush=True)
            if args.show_merged:
                for v in r["merged"]:
                    print("         merged:", " / ".join(v))
    return 0


if __name__ == "__main__":
    sys.exit(main())
