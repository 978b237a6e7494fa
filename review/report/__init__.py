"""Reports over a review: the HTML report, the worklist, reference scores, terminal summaries.

:func:`write_reports` is the one call the pipeline makes at the end of a run.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Sequence

from corpus.records import Document
from review.records import ReviewedPair


def write_reports(out_dir: str | Path, header: dict[str, Any] | None, pairs: Sequence[ReviewedPair], *,
                  target: Document | None = None, source: Document | None = None,
                  glossary_proposals: Sequence[dict[str, Any]] | None = None,
                  reference_path: str | Path | None = None, encoding: str | None = None,
                  decisions_dir: str | Path | None = None) -> dict[str, Path]:
    """Write ``report.html``, ``worklist.csv``, ``worklist.jsonl`` (and ``reference.jsonl`` when a
    reference is given) into ``out_dir``; returns ``{name: path}``.

    The reviewer's decisions in ``decisions.sqlite`` of ``decisions_dir`` (default ``out_dir``; a run
    writes into a staging folder, its decisions stay in the output folder) are shown in the
    report, and the findings marked as false alarms are left out of the worklist."""
    from review.decisions import load_decisions
    from review.report.html import write_html_report
    from review.report.reference import read_reference, score_reference, write_reference_jsonl
    from review.report.worklist import write_worklist

    out_dir = Path(out_dir)
    files: dict[str, Path] = {}
    reference = None
    if reference_path is not None:
        ref_doc = read_reference(reference_path, encoding)
        reference = score_reference(pairs, ref_doc, str(reference_path),
                                    target_paragraphs=len(target.paragraphs) if target is not None else None)
        files["reference"] = write_reference_jsonl(out_dir / "reference.jsonl", reference)
    else:
        stale = out_dir / "reference.jsonl"
        if stale.is_file():  # from an earlier run with --reference: it no longer describes this output
            stale.unlink()
    # Decisions a reviewer made on an earlier run of this output (``mtreview serve``) carry over.
    decisions = load_decisions(Path(decisions_dir) if decisions_dir is not None else out_dir)
    files["report"] = write_html_report(out_dir / "report.html", header, pairs, target=target, source=source,
                                        glossary_proposals=glossary_proposals, reference=reference,
                                        decisions=decisions)
    # the worklist's output column names the folder the files end up in, not the staging folder
    files.update(write_worklist(out_dir, pairs, reference, decisions,
                                output_dir=decisions_dir if decisions_dir is not None else out_dir))
    return files
