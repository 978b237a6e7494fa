"""The Excel QA report (``review.xlsx``): one row per finding, the way Xbench or Verifika list theirs.

Sheet "Findings": one row per finding, highest-priority pair first, with the
full English and Korean of its pair, the check, MQM category, severity,
message, suggestion, the exact Korean text it points at, and the reviewer's
decision and note (``mtreview serve``'s ``decisions.sqlite``).  Informational
notes (``no-source``) are rows too, marked in the "informational" column and
listed after the errors.  The header row is frozen and filtered; text wraps;
Korean cells name a Korean font.  Sheet "Summary": counts by severity,
category and check, and the decisions taken.

Every text cell goes through :func:`review.report.cells.spreadsheet_safe`, so a
translation that starts with ``=`` is shown as text and never runs as a formula.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any, Sequence

from corpus.atomic import atomic_write
from review.checks.registry import is_informational
from review.decisions import Decisions, finding_fingerprints
from review.records import ReviewedPair
from review.report.cells import spreadsheet_safe
from review.report.stats import SEVERITIES, pair_priority, ranked, severity_rank, summarize

FINDING_COLUMNS: tuple[tuple[str, int], ...] = (
    # (header, column width in characters)
    ("rank", 6), ("document", 12), ("pair", 14), ("position", 9), ("priority", 9), ("severity", 10),
    ("category", 13), ("check", 20), ("informational", 8), ("message", 48), ("suggestion", 26),
    ("korean span", 24), ("english", 60), ("korean", 60), ("decision", 12), ("note", 30))
KOREAN_FONT = "Malgun Gothic"  # Excel's Korean UI font on Windows; others substitute their own Hangul font


def finding_rows(pairs: Sequence[ReviewedPair], decisions: Decisions | None = None) -> list[dict[str, Any]]:
    """One row per finding: errors by pair priority (worst finding first within a pair), then informational notes."""
    rows, notes = [], []
    for pair in ranked(list(pairs)):
        fps = finding_fingerprints(pair)
        order = sorted(range(len(pair.findings)), key=lambda k: -severity_rank(pair.findings[k].severity))
        for k in order:
            f = pair.findings[k]
            d = decisions.findings.get(fps[k]) if decisions else None
            info = is_informational(f.check)
            row = {"document": pair.doc_id, "pair": pair.id, "position": pair.position,
                   "priority": round(pair_priority(pair), 4), "severity": f.severity.value,
                   "category": f.category.value, "check": f.check, "informational": "yes" if info else "",
                   "message": f.message, "suggestion": f.suggestion or "",
                   "korean span": " | ".join(s.text for s in f.tgt_spans) if not info else "",
                   "english": pair.src, "korean": pair.tgt,
                   "decision": {"false_alarm": "false alarm"}.get(d.verdict, d.verdict) if d and d.verdict else "",
                   "note": d.note if d else ""}
            (notes if info else rows).append(row)
    for k, row in enumerate(rows + notes, start=1):
        row["rank"] = k
    return rows + notes


def write_xlsx(path: str | Path, pairs: Sequence[ReviewedPair], decisions: Decisions | None = None,
               header: dict[str, Any] | None = None) -> Path:
    """Write the Excel QA report to ``path`` atomically (temporary file, then rename); returns the path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    rows = finding_rows(pairs, decisions)
    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    bold = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDE5F4")
    ws.append([name for name, _ in FINDING_COLUMNS])
    for cell in ws[1]:
        cell.font, cell.fill = bold, head_fill
    for row in rows:
        ws.append([spreadsheet_safe(row[name]) for name, _ in FINDING_COLUMNS])
    wrap = Alignment(wrap_text=True, vertical="top")
    korean_font = Font(name=KOREAN_FONT)
    sev_fill = {"critical": PatternFill("solid", fgColor="F8D0CC"), "major": PatternFill("solid", fgColor="FBE0C2"),
                "minor": PatternFill("solid", fgColor="FBF3C6")}
    names = [name for name, _ in FINDING_COLUMNS]
    text_cols = {names.index(n) + 1 for n in ("message", "suggestion", "korean span", "english", "korean", "note")}
    korean_cols = {names.index(n) + 1 for n in ("suggestion", "korean span", "korean")}
    sev_col = names.index("severity") + 1
    for k, (name, width) in enumerate(FINDING_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(k)].width = width
    for r in range(2, len(rows) + 2):
        for c in text_cols:
            cell = ws.cell(row=r, column=c)
            cell.alignment = wrap
            if c in korean_cols:
                cell.font = korean_font
        info = rows[r - 2]["informational"]
        if not info:
            ws.cell(row=r, column=sev_col).fill = sev_fill[rows[r - 2]["severity"]]
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(FINDING_COLUMNS))}{len(rows) + 1}"

    summary = wb.create_sheet("Summary")
    s = summarize(pairs)
    errors = [r for r in rows if not r["informational"]]
    decided = Counter(r["decision"] for r in errors if r["decision"])
    lines: list[list[Any]] = [
        ["mtreview QA report"], [],
        ["documents", ", ".join(s.doc_ids)], ["pairs", s.n_pairs], ["pairs worth fixing", s.n_flagged],
        ["findings (errors)", len(errors)], ["informational notes", len(rows) - len(errors)],
        ["MQM penalty per 100 words", round(s.penalty_per_100_words, 3)], [],
        ["severity", "findings"], *[[sev.value, sum(1 for r in errors if r["severity"] == sev.value)]
                                     for sev in SEVERITIES], [],
        ["category", "findings"], *[[c, n] for c, n in Counter(r["category"] for r in errors).most_common()], [],
        ["check", "findings"], *[[c, n] for c, n in Counter(r["check"] for r in errors).most_common()], [],
        ["decision", "findings"], ["confirmed", decided.get("confirmed", 0)],
        ["false alarm", decided.get("false alarm", 0)], ["open", len(errors) - sum(decided.values())],
    ]
    if header and header.get("mtreview"):
        lines.insert(1, ["written by", f"mtreview {header['mtreview']}"])
    for line in lines:
        summary.append([spreadsheet_safe(v) for v in line])
    summary["A1"].font = Font(bold=True, size=13)
    for row in summary.iter_rows():
        if row and row[0].value in ("severity", "category", "check", "decision"):
            for cell in row:
                cell.font = bold
    summary.column_dimensions["A"].width = 30
    summary.column_dimensions["B"].width = 40

    with atomic_write(path, "wb") as fh:
        wb.save(fh)
    return Path(path)
