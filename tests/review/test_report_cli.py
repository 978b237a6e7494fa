"""``mtreview review`` terminal output: the summary, --quiet, --json, --fail-on, --reference; and compare."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from _report_sample import base_pairs, sample_bitext, sample_pairs
from review.cli import main
from review.jsonl import write_jsonl
from review.pipeline import ReviewResult
from review.records import Category, Finding, Severity
from review.report import write_reports
from review.report.terminal import EXIT_FAIL_ON, findings_at_or_above


def fake_run_review(pairs):
    """Stand in for the pipeline with the hand-annotated pairs, writing the real report files."""
    def run(config, progress=None):
        out = Path(config.out_dir)
        b = sample_bitext()
        seg = out / "segments.jsonl"
        write_jsonl(seg, (p.to_dict() for p in pairs), header=config.header())
        files = {"segments": seg, **write_reports(out, config.header(), pairs, target=b.target, source=b.source,
                                                  reference_path=config.reference)}
        return ReviewResult("maisky", tuple(pairs), out, files, len(b.source.segments), len(b.target.segments))
    return run


@pytest.fixture
def annotated(monkeypatch):
    pairs = sample_pairs()
    monkeypatch.setattr("review.pipeline.run_review", fake_run_review(pairs))
    return pairs


def test_summary_table(tmp_path, annotated, capsys):
    assert main(["review", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "reviewing" in err and "reviewing" not in out  # progress goes to stderr
    assert "per 100 words" in out and "top 5 by priority" in out
    assert "critical" in out and "repetition" in out
    for name in ("report.html", "worklist.csv", "worklist.jsonl", "segments.jsonl"):
        assert name in out and (tmp_path / name).is_file()
    best = max(annotated, key=lambda p: p.priority)
    first_row = next(line for line in out.splitlines() if line.strip().startswith(str(best.position) + " "))
    assert "repetition" in first_row


def test_quiet_and_json(tmp_path, annotated, capsys):
    assert main(["review", "--out", str(tmp_path), "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == ""
    assert main(["review", "--out", str(tmp_path), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["document"] == "maisky"
    assert data["pairs"] == len(annotated)
    assert data["by_severity"] == {"critical": 1, "major": 4, "minor": 8}
    assert data["findings"] == sum(len(p.findings) for p in annotated)
    assert [t["id"] for t in data["top"]][0] == max(annotated, key=lambda p: p.priority).id
    assert set(data["files"]) >= {"segments", "report", "worklist_csv", "worklist_jsonl"}
    assert data["reference"] is None


@pytest.mark.parametrize("level,expected", [("minor", EXIT_FAIL_ON), ("major", EXIT_FAIL_ON),
                                            ("critical", EXIT_FAIL_ON)])
def test_fail_on_with_a_critical(tmp_path, annotated, capsys, level, expected):
    assert main(["review", "--out", str(tmp_path), "--quiet", "--fail-on", level]) == expected


def test_fail_on_thresholds(tmp_path, monkeypatch, capsys):
    minor_only = base_pairs()
    minor_only[3] = replace(minor_only[3], findings=(Finding("empty-brackets", Category.FLUENCY, Severity.MINOR,
                                                             "Empty brackets"),))
    monkeypatch.setattr("review.pipeline.run_review", fake_run_review(minor_only))
    assert main(["review", "--out", str(tmp_path), "--quiet", "--fail-on", "critical"]) == 0
    assert main(["review", "--out", str(tmp_path), "--quiet", "--fail-on", "major"]) == 0
    assert main(["review", "--out", str(tmp_path), "--fail-on", "minor", "--json"]) == 3
    out, err = capsys.readouterr()
    assert json.loads(out)["by_severity"]["minor"] == 1
    assert "1 finding(s) at or above minor" in err
    assert findings_at_or_above(minor_only, "major") == 0 and findings_at_or_above(minor_only, "minor") == 1


def test_bad_arguments(tmp_path, annotated, capsys):
    with pytest.raises(SystemExit):
        main(["review", "--fail-on", "fatal"])
    capsys.readouterr()
    assert main(["review", "--out", str(tmp_path), "--reference", str(tmp_path / "nope.txt")]) == 1
    assert "nope.txt: reference file not found" in capsys.readouterr().err


@pytest.mark.slow
def test_real_review_with_reference(tmp_path, capsys):
    """The real pipeline on the bundled sample, scored against a post-edited copy of its Korean."""
    from review.pipeline import sample_paths

    ko = sample_paths()[1].read_text(encoding="utf-8")
    ref = tmp_path / "post.ko.txt"
    ref.write_text(ko.replace("대사 레오니트 크라신 대사 레오니트 크라신", "대사 레오니트 크라신"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", "--out", str(out), "--reference", str(ref)]) == 0
    text = capsys.readouterr().out
    assert "chrF" in text and "nrefs:1" in text
    for name in ("segments.jsonl", "report.html", "worklist.csv", "worklist.jsonl", "reference.jsonl"):
        assert (out / name).is_file(), name
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "chrF" in html and "Reference" in html
    from review.report.reference import read_reference_jsonl
    scores = read_reference_jsonl(out / "reference.jsonl")
    assert scores is not None and scores.pairs
    assert any(r.chrf < 100 for r in scores.pairs.values())
    assert sum(1 for r in scores.pairs.values() if r.chrf == 100) >= 0.9 * len(scores.pairs)
    # A rerun without --reference drops the stale scores.
    assert main(["review", "--out", str(out), "--quiet"]) == 0
    assert not (out / "reference.jsonl").exists()


def test_json_quiet_prints_only_the_json(tmp_path, annotated, capsys):
    """The README's `mtreview review --json --quiet`: the JSON on stdout, nothing on stderr."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert "--json --quiet" in readme
    assert main(["review", "--out", str(tmp_path), "--json", "--quiet", "--fail-on", "minor"]) == EXIT_FAIL_ON
    out, err = capsys.readouterr()
    assert json.loads(out)["pairs"] == len(annotated) and err == ""


def test_fail_on_ignores_informational_notes(tmp_path, monkeypatch, capsys):
    from corpus.records import Span

    pairs = [replace(p, findings=(Finding("no-source", Category.ACCURACY, Severity.MINOR, "no English source",
                                          (Span.of(p.tgt, 0, len(p.tgt)),)),)) if p.no_source and p.tgt else p
             for p in base_pairs()]
    monkeypatch.setattr("review.pipeline.run_review", fake_run_review(pairs))
    assert main(["review", "--out", str(tmp_path), "--quiet", "--fail-on", "minor"]) == 0


def test_terminal_tables_align_hangul():
    from corpus.textwidth import display_width, table

    lines = table([["id", "label", "n"], ["ivan-maisky", "마이스키", "3"], ["x", "Maisky", "12"]], "llr")
    # every row's last column ends at the same terminal column
    assert len({display_width(line) for line in lines}) == 1, lines
    assert display_width("마이스키") == 8 and display_width("Maisky") == 6
