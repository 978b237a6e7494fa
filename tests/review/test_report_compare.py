"""``mtreview compare``: matching pairs of two review outputs, diffs, fixed / still / new findings."""
from __future__ import annotations

import json
from dataclasses import replace

from _report_sample import sample_pairs
from corpus.records import Span
from review.cli import main
from review.jsonl import write_jsonl
from review.records import Category, Finding, Severity
from review.report.compare import compare_outputs, inline_diff, match_pairs

REP = "대사 레오니트 크라신 대사 레오니트 크라신"


def write_output(out_dir, pairs):
    write_jsonl(out_dir / "segments.jsonl", (p.to_dict() for p in pairs), header={"mtreview": "test"})
    return out_dir


def retranslated():
    """The sample after a retranslation: one loop fixed, one name half fixed, a new problem, a new line."""
    old = sample_pairs()
    new = list(old)
    k_rep = next(k for k, p in enumerate(old) if REP in p.tgt)
    fixed_text = old[k_rep].tgt.replace(REP, "대사 레오니트 크라신")
    new[k_rep] = replace(old[k_rep], tgt=fixed_text, findings=(), penalty=0.0, priority=0.1)
    k_lit = next(k for k, p in enumerate(old) if "Maisky는" in p.tgt)
    text = old[k_lit].tgt.replace("Maisky는", "마이스키는")
    still = tuple(f for f in old[k_lit].findings if f.check == "glued-words")
    untranslated = Finding("untranslated", Category.ACCURACY, Severity.MAJOR, "English names left in the Korean",
                           (Span.of(text, text.index("Maxim"), text.index("Maxim") + 5),))
    new[k_lit] = replace(old[k_lit], tgt=text, findings=still + (untranslated,))
    k_new = 40
    t = new[k_new].tgt
    new[k_new] = replace(new[k_new], findings=(Finding("repetition", Category.FLUENCY, Severity.MINOR, "Repeated",
                                                       (Span.of(t, 0, 2),)),), penalty=1.0, priority=1.0)
    # A line inserted after position 60: later positions shift by one.
    inserted = replace(old[60], id="maisky:new", tgt="새로 번역된 문장입니다.", findings=())
    new = new[:61] + [inserted] + new[61:]
    new = [replace(p, position=k, id=f"maisky:{k}") for k, p in enumerate(new)]
    return old, new, k_rep, k_lit, k_new


def test_match_pairs_handles_insertion():
    old, new, *_ = retranslated()
    matched = match_pairs(old, new)
    added = [(o, n) for o, n in matched if o is None]
    assert len(added) == 1 and added[0][1].tgt == "새로 번역된 문장입니다."
    assert not [m for m in matched if m[1] is None]
    # Every old pair after the insertion is matched to the pair one position later.
    for o, n in matched:
        if o is not None and o.position > 60:
            assert n.position == o.position + 1


def test_compare_statuses_and_findings(tmp_path):
    old, new, k_rep, k_lit, k_new = retranslated()
    comp = compare_outputs(write_output(tmp_path / "old", old), write_output(tmp_path / "new", new))
    by_old = {c.old.position: c for c in comp.changes if c.old}
    rep = by_old[k_rep]
    assert rep.status == "changed"
    assert rep.fixed == ("repetition", "term-variant") and rep.still == () and rep.new_findings == ()
    ops = rep.diff_ops()
    assert [op for op in ops if op[0] != "equal"] == [("delete", " 대사 레오니트 크라신", "")]
    assert "크라신[- 대사 레오니트 크라신-]의" in inline_diff(ops)
    lit = by_old[k_lit]
    assert lit.status == "changed" and lit.fixed == ("untranslated",)
    assert lit.still == ("glued-words", "untranslated") and lit.new_findings == ()
    assert "[-Maisky-]{+마이스키+}" in inline_diff(lit.diff_ops())
    fresh = by_old[k_new]
    assert fresh.status == "unchanged" and fresh.new_findings == ("repetition",) and fresh.interesting
    totals = comp.totals()
    assert totals["pairs"]["added"] == 1 and totals["pairs"]["removed"] == 0
    assert totals["pairs"]["changed"] == 2
    assert totals["findings"] == {"fixed": 3, "still": sum(len(p.findings) for p in old) - 3, "new": 1}
    assert totals["new_penalty"] < totals["old_penalty"]


def test_compare_command(tmp_path, capsys):
    old, new, k_rep, *_ = retranslated()
    a, b = write_output(tmp_path / "old", old), write_output(tmp_path / "new", new)
    assert main(["compare", str(a), str(b)]) == 0
    out = capsys.readouterr().out
    assert "3 fixed" in out and "1 new" in out and "fixed: repetition,term-variant" in out
    assert "{+마이스키+}" in out
    assert main(["compare", str(a), str(b), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["findings"]["fixed"] == 3
    statuses = {p["status"] for p in data["pairs"]}
    assert "unchanged" in statuses and "changed" in statuses and "added" in statuses  # unchanged with a new finding
    rep = next(p for p in data["pairs"] if p["old_position"] == k_rep)
    assert rep["fixed"] == ["repetition", "term-variant"] and rep["diff"]
    assert main(["compare", str(a), str(a), "--json"]) == 0
    same = json.loads(capsys.readouterr().out)
    assert same["pairs"] == [] and same["summary"]["findings"]["fixed"] == 0
    assert main(["compare", str(a), str(tmp_path / "nowhere")]) == 1
