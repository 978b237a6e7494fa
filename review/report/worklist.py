"""The retranslation worklist: pairs worth fixing, highest priority first.

``worklist.csv`` and ``worklist.jsonl`` are written beside ``segments.jsonl``:
one row per pair that has an actionable finding or a garble score of at least
:data:`~review.report.stats.GARBLE_FLAG_THRESHOLD` (see
:func:`~review.report.stats.is_flagged`), sorted by the numeric ``priority``
column from highest to lowest.  ``effort_minutes`` follows the effort model in
:mod:`review.report.stats`: one minute to read the pair plus, per Korean word,
0.05 min when the worst finding is minor, 0.15 when major, 0.25 when critical
or garbled (a retranslation).

:func:`merge_outputs` reads several review output folders and ranks all their
rows in one queue (per pair, or per paragraph), with a summary per document.

Both leave out the findings a reviewer marked as false alarms in the output
folder's ``decisions.sqlite`` (written by ``mtreview serve``).
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Sequence

from corpus.atomic import atomic_write
from corpus.errors import InputError
from review.records import ReviewedPair
from review.report.cells import spreadsheet_safe
from review.report.reference import ReferenceScores, read_reference_jsonl
from review.report.stats import (SEVERITIES, actionable_findings, effort_minutes, is_flagged, korean_words,
                                 pair_penalty, pair_priority, ranked, severity_rank, summarize)

SNIPPET_CHARS = 80

WORKLIST_COLUMNS: tuple[str, ...] = (
    "rank", "priority", "document", "id", "position", "paragraph", "penalty", "garble_score",
    "quality", "worst_severity", "critical", "major", "minor", "checks", "categories", "korean_words",
    "effort_minutes", "no_source", "chrf", "ter", "output", "snippet", "english", "korean")

DOCUMENT_COLUMNS: tuple[str, ...] = (
    "document", "output", "pairs", "flagged", "flagged_share", "words", "penalty", "penalty_per_100_words",
    "critical", "major", "minor", "effort_minutes", "chrf", "bleu")


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def worklist_row(pair: ReviewedPair, reference: ReferenceScores | None = None, output: str = "") -> dict[str, Any]:
    """One worklist row (JSON types; :func:`write_worklist` flattens lists for the CSV)."""
    findings = actionable_findings(pair)
    by_sev = {s.value: sum(1 for f in findings if f.severity is s) for s in SEVERITIES}
    ordered = sorted(findings, key=lambda f: -severity_rank(f.severity))
    worst = ordered[0].severity.value if ordered else ""  # "" with a high garble score and no finding
    ref = reference.pairs.get(pair.id) if reference else None
    text = pair.tgt if pair.tgt.strip() else f"[no Korean] {pair.src}"
    return {
        "rank": 0, "priority": round(pair_priority(pair), 4), "document": pair.doc_id, "id": pair.id,
        "position": pair.position, "paragraph": pair.paragraph, "penalty": round(pair_penalty(pair), 3),
        "garble_score": None if pair.score is None else round(float(pair.score), 4),
        "quality": None if pair.quality is None else round(float(pair.quality), 4),
        "worst_severity": worst, **by_sev,
        "checks": list(dict.fromkeys(f.check for f in ordered)),
        "categories": list(dict.fromkeys(f.category.value for f in ordered)),
        "korean_words": korean_words(pair), "effort_minutes": effort_minutes(pair),
        "no_source": not pair.src.strip(),
        "chrf": None if ref is None else round(ref.chrf, 2), "ter": None if ref is None or ref.ter is None else round(ref.ter, 2),
        "output": output, "snippet": snippet(text), "english": pair.src, "korean": pair.tgt}


def worklist_rows(pairs: Sequence[ReviewedPair], reference: ReferenceScores | None = None,
                  output: str = "") -> list[dict[str, Any]]:
    """Rows for the flagged pairs, ranked by priority (rank 1 first)."""
    rows = [worklist_row(p, reference, output) for p in ranked(list(pairs)) if is_flagged(p)]
    return _renumber(rows)


def paragraph_rows(pair_rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pair rows grouped into one row per Korean paragraph (per document and output), ranked.

    A paragraph takes the highest priority and garble score of its pairs (it is read for its
    worst pair), the sums of their penalties, finding counts, words and effort, and the union of
    their checks; ``id`` lists its pairs' ids.  ``chrf``/``ter`` are per pair only (left empty).
    A pair outside any paragraph (English with no Korean) stays a row of its own.
    """
    groups: dict[tuple, list[dict[str, Any]]] = {}
    for r in sorted(pair_rows, key=lambda r: (r["output"], r["document"], r["position"])):
        key = (r["output"], r["document"], r["paragraph"] if r["paragraph"] is not None else f"pair {r['id']}")
        groups.setdefault(key, []).append(r)
    out = []
    rank_of = {"critical": 2, "major": 1, "minor": 0, "": -1}
    for members in groups.values():
        first = members[0]
        scores = [m["garble_score"] for m in members if m["garble_score"] is not None]
        out.append({
            **first, "rank": 0, "priority": max(m["priority"] for m in members),
            "id": "; ".join(m["id"] for m in members),
            "penalty": round(sum(m["penalty"] for m in members), 3),
            "garble_score": max(scores) if scores else None,
            "worst_severity": max((m["worst_severity"] for m in members), key=rank_of.__getitem__),
            **{s.value: sum(m[s.value] for m in members) for s in SEVERITIES},
            "checks": list(dict.fromkeys(c for m in members for c in m["checks"])),
            "categories": list(dict.fromkeys(c for m in members for c in m["categories"])),
            "korean_words": sum(m["korean_words"] for m in members),
            "effort_minutes": sum(m["effort_minutes"] for m in members),
            "no_source": all(m["no_source"] for m in members), "chrf": None, "ter": None,
            "snippet": snippet(" ".join(m["snippet"] for m in members)),
            "english": " ".join(m["english"] for m in members if m["english"]),
            "korean": " ".join(m["korean"] for m in members if m["korean"])})
    return _renumber(out)


def _renumber(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows.sort(key=lambda r: (-r["priority"], r["document"], r["output"], r["position"]))
    for k, r in enumerate(rows, start=1):
        r["rank"] = k
    return rows


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else ""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    value = spreadsheet_safe(value)  # text from the documents must not run as a formula
    if isinstance(value, str) and "\r" in value:  # the csv module does not quote a lone CR: it would split the row
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value


def rows_to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_csv_value(r.get(c)) for c in columns])
    return buf.getvalue()


def write_rows(path: str | Path, rows: Sequence[dict[str, Any]], columns: Sequence[str]) -> Path:
    """Write rows atomically as CSV, or as JSONL when ``path`` ends in ``.jsonl``."""
    path = Path(path)
    with atomic_write(path) as fh:
        if path.suffix.lower() == ".jsonl":
            for r in rows:
                fh.write(json.dumps({c: r.get(c) for c in columns}, ensure_ascii=False) + "\n")
        else:
            # A BOM so that spreadsheet programs read the Korean as UTF-8.
            fh.write("\ufeff" + rows_to_csv(rows, columns))
    return path


def write_worklist(out_dir: str | Path, pairs: Sequence[ReviewedPair],
                   reference: ReferenceScores | None = None, decisions=None,
                   output_dir: str | Path | None = None) -> dict[str, Path]:
    """``worklist.csv`` and ``worklist.jsonl`` in ``out_dir``; returns their paths.

    ``output_dir`` is the folder the rows' ``output`` column names (default ``out_dir``): a run writes
    into a staging folder that is renamed to the output folder afterwards.

    Findings a reviewer marked as false alarms (``decisions``, by default those in
    ``out_dir/decisions.sqlite``) are left out (see :func:`review.decisions.drop_false_alarms`).
    """
    from review.decisions import drop_false_alarms, load_decisions

    out_dir = Path(out_dir)
    if decisions is None:
        decisions = load_decisions(out_dir)
    # the output column names this folder, as in a merged worklist
    rows = worklist_rows(drop_false_alarms(pairs, decisions), reference,
                         output=str(output_dir if output_dir is not None else out_dir))
    return {"worklist_csv": write_rows(out_dir / "worklist.csv", rows, WORKLIST_COLUMNS),
            "worklist_jsonl": write_rows(out_dir / "worklist.jsonl", rows, WORKLIST_COLUMNS)}


# --- merging several review outputs ------------------------------------------------------------

@dataclass(frozen=True)
class ReviewOutput:
    """One review output folder read back: its header, pairs and reference scores (if any)."""

    out_dir: Path
    header: dict[str, Any]
    pairs: tuple[ReviewedPair, ...]
    reference: ReferenceScores | None = None


def load_output(out_dir: str | Path) -> ReviewOutput:
    """Read ``segments.jsonl`` (and ``reference.jsonl`` when present) from a review output folder."""
    from review.jsonl import read_jsonl
    from review.output import check_complete

    out_dir = Path(out_dir)
    seg_path = out_dir / "segments.jsonl" if out_dir.is_dir() else out_dir
    if out_dir.is_dir() and not seg_path.is_file():
        raise InputError(str(out_dir), "not a review output folder: it has no segments.jsonl")
    if not seg_path.is_file():
        raise InputError(str(out_dir), "no such review output folder")
    check_complete(seg_path.parent)  # never read the files of two runs as one
    try:
        header, records = read_jsonl(seg_path)
    except Exception as e:  # jsonlines raises its own InvalidLineError with the line number
        line = getattr(e, "lineno", None)
        raise InputError(str(seg_path), f"invalid JSONL: {e}", line=line) from None
    pairs = []
    start = 2 if header is not None else 1
    for line_no, rec in enumerate(records, start=start):
        try:
            pairs.append(ReviewedPair.from_dict(rec))
        except (KeyError, ValueError, TypeError) as e:
            raise InputError(str(seg_path), f"bad pair record: {e}", line=line_no) from None
    reference = read_reference_jsonl(seg_path.parent / "reference.jsonl")
    return ReviewOutput(seg_path.parent, header or {}, tuple(pairs), reference)


def document_summaries(output: ReviewOutput) -> list[dict[str, Any]]:
    """One summary row per document in a review output."""
    rows = []
    for doc_id in dict.fromkeys(p.doc_id for p in output.pairs):
        pairs = [p for p in output.pairs if p.doc_id == doc_id]
        s = summarize(pairs)
        ref = output.reference
        rows.append({
            "document": doc_id, "output": str(output.out_dir), "pairs": s.n_pairs, "flagged": s.n_flagged,
            "flagged_share": round(s.flagged_share, 4), "words": s.words, "penalty": round(s.penalty, 3),
            "penalty_per_100_words": round(s.penalty_per_100_words, 3), **s.by_severity,
            "effort_minutes": sum(effort_minutes(p) for p in pairs if is_flagged(p)),
            "chrf": None if ref is None or ref.corpus_chrf is None else round(ref.corpus_chrf, 2),
            "bleu": None if ref is None or ref.corpus_bleu is None else round(ref.corpus_bleu, 2)})
    return rows


@dataclass(frozen=True)
class MergedWorklist:
    rows: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    unit: str = "pair"  # what one queue row is: "pair" or "paragraph"
    # names spelled differently across the documents of a corpus run (--corpus-names; review.corpus_names)
    names: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "documents": self.documents, "queue": self.rows,
                **({"name_inconsistencies": self.names} if self.names else {})}


def expand_outputs(paths: Sequence[str | Path]) -> list[Path]:
    """Review output folders named by ``paths``: a folder with ``segments.jsonl`` is one; a folder without
    one but with sub-folders that have it (a corpus run, one folder per document) stands for those."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir() and not (path / "segments.jsonl").is_file():
            subs = sorted(p.parent for p in path.glob("*/segments.jsonl"))
            if subs:
                out.extend(subs)
                continue
        out.append(path)
    return out


def merge_outputs(out_dirs: Sequence[str | Path], by: str = "pair") -> MergedWorklist:
    """One queue ranked across all documents of the given review outputs, and a summary per document.

    ``by="paragraph"`` gives one row per Korean paragraph worth fixing (:func:`paragraph_rows`).
    """
    if by not in ("pair", "paragraph"):
        raise ValueError(f"by must be 'pair' or 'paragraph', not {by!r}")
    if not out_dirs:
        raise InputError("-", "no review output folders given")
    from review.decisions import drop_false_alarms, load_decisions

    from review.corpus_names import read_corpus_names

    rows: list[dict[str, Any]] = []
    docs: list[dict[str, Any]] = []
    names: list[dict[str, Any]] = []
    for folder in out_dirs:  # a corpus run's folder may hold corpus-wide names
        names.extend(read_corpus_names(folder) or [])
    for d in expand_outputs(out_dirs):
        output = load_output(d)
        # findings a reviewer marked as false alarms (``mtreview serve``) are not queued
        output = replace(output, pairs=tuple(drop_false_alarms(output.pairs, load_decisions(output.out_dir))))
        rows.extend(worklist_row(p, output.reference, str(output.out_dir)) for p in output.pairs if is_flagged(p))
        docs.extend(document_summaries(output))
    docs.sort(key=lambda r: -r["penalty_per_100_words"])
    return MergedWorklist(paragraph_rows(rows) if by == "paragraph" else _renumber(rows), docs, by, names)


def write_merged(path: str | Path, merged: MergedWorklist) -> dict[str, Path]:
    """The merged queue at ``path`` (CSV, or JSONL by suffix) and the summary beside it (``*.documents.*``)."""
    path = Path(path)
    suffix = path.suffix if path.suffix.lower() in (".csv", ".jsonl") else ".csv"
    docs_path = path.with_name(f"{path.stem}.documents{suffix}")
    files = {"worklist": write_rows(path, merged.rows, WORKLIST_COLUMNS),
             "documents": write_rows(docs_path, merged.documents, DOCUMENT_COLUMNS)}
    if merged.names:
        from review.corpus_names import write_inconsistencies

        files["names"] = write_inconsistencies(path.with_name(f"{path.stem}.names.csv"), merged.names)
    return files


def format_merged(merged: MergedWorklist, top: int = 20, files: dict[str, Path] | None = None,
                  width: int = 100) -> str:
    """The per-document summary and the head of the merged queue as plain-text tables."""
    from review.report.terminal import _table, fit

    lines = [f"{len(merged.documents)} document(s), {len(merged.rows)} {merged.unit}s to fix, "
             f"{sum(r['effort_minutes'] for r in merged.rows):g} minutes estimated", ""]
    rows = [["document", "pairs", "flagged", "pen/100w", "crit", "major", "minor", "effort min", "output"]]
    for d in merged.documents:
        rows.append([d["document"], str(d["pairs"]), f"{d['flagged']} ({100 * d['flagged_share']:.0f}%)",
                     f"{d['penalty_per_100_words']:.2f}", str(d["critical"]), str(d["major"]), str(d["minor"]),
                     f"{d['effort_minutes']:g}", d["output"]])
    lines.extend(_table(rows, "lrrrrrrrl"))
    if merged.rows:
        shown = merged.rows[:top]
        lines += ["", f"queue (top {len(shown)} of {len(merged.rows)}):"]
        rows = [["rank", "prio", "document", "#", "checks", "min", "text"]]
        for r in shown:
            rows.append([str(r["rank"]), f"{r['priority']:.1f}", r["document"], str(r["position"]),
                         ",".join(r["checks"]) or "garble", f"{r['effort_minutes']:g}", ""])
        fixed = max(sum(len(c) for c in row[:6]) for row in rows) + 16
        for row, r in zip(rows[1:], shown):
            row[6] = fit(r["snippet"], max(20, width - fixed))
        lines.extend(_table(rows, "rrlrlrl"))
    if merged.names:
        lines += ["", f"names spelled differently across documents ({len(merged.names)}):"]
        rows = [["name", "english", "docs", "uses", "spellings (document: uses)"]]
        for r in merged.names[:top]:
            rows.append([r["name"], r["english"], str(r["documents"]), str(r["occurrences"]), ""])
        fixed = max(sum(len(c) for c in row[:4]) for row in rows) + 12
        for row, r in zip(rows[1:], merged.names):
            row[4] = fit(r["spellings"], max(20, width - fixed))
        lines.extend(_table(rows, "llrrl"))
    if files:
        lines += ["", "files:"] + [f"  {k:<10} {v}" for k, v in files.items()]
    return "\n".join(lines)
