"""How long the reports take: HTML report, worklist and reference scoring on the bundled sample, scaled up.

    PYTHONPATH=. python bench/report_speed.py [--copies N]

One pair per Korean sentence of the Maisky sample (repeated N times), a
synthetic finding on every third pair (its first word), scored against the
sample's own Korean with one sentence in ten edited.  Prints seconds per stage.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from corpus.readers import read_bitext
from corpus.records import Span
from review.pipeline import sample_paths
from review.records import Category, Finding, ReviewedPair, Severity
from review.report.html import write_html_report
from review.report.reference import read_reference, score_reference
from review.report.worklist import write_worklist


def build_pairs(copies: int) -> list[ReviewedPair]:
    target = read_bitext(None, str(sample_paths()[1])).target
    pairs = []
    for rep in range(copies):
        for s in target.segments:
            k = len(pairs)
            findings = ()
            if k % 3 == 0 and s.text.split():
                word = s.text.split()[0]
                findings = (Finding("repetition", Category.FLUENCY, Severity.MAJOR if k % 2 else Severity.MINOR,
                                    "synthetic", (Span.of(s.text, 0, len(word)),), suggestion=word),)
            pen = float(sum(f.severity.weight for f in findings))
            pairs.append(ReviewedPair(id=f"maisky:{k}", doc_id="maisky", position=k, src_idx=(), tgt_idx=(k,),
                                      src="", tgt=s.text, paragraph=s.paragraph + rep * len(target.paragraphs),
                                      no_source=True, score=(k % 10) / 10, penalty=pen, priority=pen + k % 7,
                                      findings=findings))
    return pairs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=1)
    args = ap.parse_args()
    pairs = build_pairs(args.copies)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        path = write_html_report(out / "report.html", {}, pairs)
        t1 = time.perf_counter()
        write_worklist(out, pairs)
        t2 = time.perf_counter()
        lines = [line for line in sample_paths()[1].read_text(encoding="utf-8").split("\n") if line.strip()]
        edited = "\n".join(line.replace("습니다", "었다", 1) if k % 10 == 5 else line for k, line in enumerate(lines))
        (out / "ref.txt").write_text(edited, encoding="utf-8")
        t3 = time.perf_counter()
        scores = score_reference(pairs[: len(pairs) // args.copies], read_reference(out / "ref.txt"))
        t4 = time.perf_counter()
        print(f"pairs: {len(pairs)}, findings: {sum(len(p.findings) for p in pairs)}")
        print(f"html report: {t1 - t0:.3f} s ({path.stat().st_size / 1024:.0f} KiB)")
        print(f"worklist (csv + jsonl): {t2 - t1:.3f} s")
        print(f"reference ({scores.method} alignment, {len(scores.pairs)} pairs, sacrebleu chrF + TER): "
              f"{t4 - t3:.3f} s; corpus chrF {scores.corpus_chrf:.2f}")


if __name__ == "__main__":
    main()
