"""The worklist: ranking, columns, the effort model, merging several review outputs."""
from __future__ import annotations

import csv
import json
from dataclasses import replace

import pytest

from _report_sample import sample_pairs
from corpus.records import Span
from review.cli import main
from review.jsonl import write_jsonl
from review.records import Category, Finding, Severity
from review.report.stats import EFFORT_MINUTES_PER_WORD, GARBLE_FLAG_THRESHOLD, summarize
from review.report.worklist import WORKLIST_COLUMNS, merge_outputs, write_worklist


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_output(out_dir, pairs):
    write_jsonl(out_dir / "segments.jsonl", (p.to_dict() for p in pairs), header={"mtreview": "test"})
    return out_dir


@pytest.fixture(scope="module")
def pairs():
    ps = sample_pairs()
    # A pair flagged by its garble score alone, one just under the threshold, one with only a no-source note.
    ps[20] = replace(ps[20], score=0.7, priority=7.0)
    ps[21] = replace(ps[21], score=GARBLE_FLAG_THRESHOLD - 0.01, priority=4.9)
    ps[22] = replace(ps[22], findings=(Finding("no-source", Category.ACCURACY, Severity.MINOR,
                                               "No English for this Korean"),))
    return ps


def test_worklist_files_sorted_with_columns(tmp_path, pairs):
    files = write_worklist(tmp_path, pairs)
    rows = read_csv(files["worklist_csv"])
    assert tuple(rows[0].keys()) == WORKLIST_COLUMNS
    prios = [float(r["priority"]) for r in rows]
    assert prios == sorted(prios, reverse=True)
    assert [int(r["rank"]) for r in rows] == list(range(1, len(rows) + 1))
    ids = {r["id"] for r in rows}
    expected = {p.id for p in pairs if [f for f in p.findings if f.check != "no-source"]} | {pairs[20].id}
    assert ids == expected
    assert pairs[21].id not in ids and pairs[22].id not in ids
    jsonl = [json.loads(line) for line in files["worklist_jsonl"].read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in jsonl] == [r["id"] for r in rows]
    assert all(isinstance(r["priority"], float) for r in jsonl)
    top = jsonl[0]
    best = max(pairs, key=lambda p: p.priority)
    assert top["id"] == best.id and top["checks"][0] == "repetition" and top["critical"] == 1


def test_effort_and_counts(tmp_path, pairs):
    rows = {r["id"]: r for r in read_csv(write_worklist(tmp_path, pairs)["worklist_csv"])}
    for p in pairs:
        if p.id not in rows:
            continue
        r = rows[p.id]
        words = len(p.tgt.split())
        assert int(r["korean_words"]) == words
        worst = max((f.severity for f in p.findings), key=lambda s: s.weight, default=None)
        if p.score is not None and p.score >= GARBLE_FLAG_THRESHOLD:
            worst = Severity.CRITICAL
        assert float(r["effort_minutes"]) == pytest.approx(1 + words * EFFORT_MINUTES_PER_WORD[worst], abs=0.26)
        for s in Severity:
            assert int(r[s.value]) == sum(1 for f in p.findings if f.severity is s)
        assert r["no_source"] == ("yes" if not p.src else "")


def test_merge_ranks_across_documents(tmp_path, pairs):
    other = [replace(p, id=p.id.replace("maisky", "second"), doc_id="second",
                     priority=p.priority * 2) for p in pairs[:40]]
    a = write_output(tmp_path / "a", pairs)
    b = write_output(tmp_path / "b", other)
    merged = merge_outputs([a, b])
    docs = {d["document"]: d for d in merged.documents}
    assert set(docs) == {"maisky", "second"}
    for doc, ps in (("maisky", pairs), ("second", other)):
        s = summarize(ps)
        assert docs[doc]["penalty_per_100_words"] == pytest.approx(s.penalty_per_100_words, abs=1e-3)
        assert docs[doc]["flagged"] == s.n_flagged
        assert docs[doc]["flagged_share"] == pytest.approx(s.n_flagged / len(ps), abs=1e-4)
    prios = [r["priority"] for r in merged.rows]
    assert prios == sorted(prios, reverse=True)
    best = max(other, key=lambda p: p.priority)
    assert (merged.rows[0]["document"], merged.rows[0]["id"]) == ("second", best.id)
    assert merged.rows[0]["output"] == str(b)
    assert len(merged.rows) == sum(d["flagged"] for d in merged.documents)


def test_worklist_command(tmp_path, pairs, capsys):
    a = write_output(tmp_path / "a", pairs)
    b = write_output(tmp_path / "b", [replace(p, doc_id="b", id=f"b:{p.position}") for p in pairs[:30]])
    out = tmp_path / "queue.csv"
    assert main(["worklist", str(a), str(b), "--output", str(out)]) == 0
    text = capsys.readouterr().out
    assert "pen/100w" in text and "queue" in text
    rows = read_csv(out)
    assert [float(r["priority"]) for r in rows] == sorted((float(r["priority"]) for r in rows), reverse=True)
    assert {r["document"] for r in rows} == {"maisky", "b"}
    docs = read_csv(tmp_path / "queue.documents.csv")
    assert {d["document"] for d in docs} == {"maisky", "b"}
    assert main(["worklist", str(a), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["queue"][0]["rank"] == 1 and data["documents"][0]["document"] == "maisky"


def test_worklist_bad_inputs(tmp_path, capsys):
    assert main(["worklist", str(tmp_path / "missing")]) == 1
    assert "missing" in capsys.readouterr().err
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "segments.jsonl").write_text('{"mtreview": "x"}\n{"id": "a:0", "doc_id": "a"}\n', encoding="utf-8")
    assert main(["worklist", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "segments.jsonl:2" in err and "missing key" in err


def test_zero_width_finding_keeps_pair_on_worklist(tmp_path, pairs):
    p = pairs[30]
    f = Finding("glued-words", Category.FLUENCY, Severity.MINOR, "No space", (Span(3, 3, ""),), suggestion=" ")
    rows = read_csv(write_worklist(tmp_path, [replace(p, findings=(f,))])["worklist_csv"])
    assert len(rows) == 1 and rows[0]["checks"] == "glued-words" and float(rows[0]["priority"]) == 1.0


def test_corpus_folder_expands_to_its_documents(tmp_path, pairs):
    write_output(tmp_path / "corpus" / "doc1", pairs)
    write_output(tmp_path / "corpus" / "doc2", [replace(p, doc_id="doc2", id=f"doc2:{p.position}") for p in pairs])
    merged = merge_outputs([tmp_path / "corpus"])
    assert [d["output"] for d in merged.documents] == [str(tmp_path / "corpus" / "doc1"),
                                                       str(tmp_path / "corpus" / "doc2")]
    assert len(merged.rows) == 2 * merged.documents[0]["flagged"]


def test_empty_review(tmp_path):
    from review.report import write_reports

    files = write_reports(tmp_path, {}, [])
    assert read_csv(files["worklist_csv"]) == []
    assert "No findings." in files["report"].read_text(encoding="utf-8")


def test_paragraph_rows(tmp_path, pairs):
    # Split one flagged paragraph pair into two pairs of the same paragraph to see them grouped.
    k = next(k for k, p in enumerate(pairs) if any(f.check == "repetition" for f in p.findings)
             and p.score and p.score < 0.9)
    p = pairs[k]
    second = replace(p, id=f"{p.id}b", position=p.position, findings=(
        Finding("untranslated", Category.ACCURACY, Severity.MAJOR, "x"),), penalty=5.0, priority=50.0, score=0.1)
    split = pairs[:k + 1] + [second] + pairs[k + 1:]
    merged = merge_outputs([write_output(tmp_path / "a", split)], by="paragraph")
    top = merged.rows[0]
    assert top["id"] == f"{p.id}; {p.id}b" and top["priority"] == 50.0
    assert top["penalty"] == pytest.approx(p.penalty + 5.0)
    assert top["checks"][-1] == "untranslated" and "repetition" in top["checks"]
    assert top["major"] == 1 + sum(1 for f in p.findings if f.severity is Severity.MAJOR)
    assert top["garble_score"] == p.score
    per_pair = merge_outputs([tmp_path / "a"])
    assert len(merged.rows) == len(per_pair.rows) - 1
    assert sum(r["effort_minutes"] for r in merged.rows) == pytest.approx(
        sum(r["effort_minutes"] for r in per_pair.rows))


def test_informational_findings_weigh_nothing_in_the_summary():
    from review.records import ReviewedPair
    from review.report.stats import pair_penalty
    note = Finding("no-source", Category.ACCURACY, Severity.MINOR, "no English for this Korean")
    slip = Finding("glued-words", Category.FLUENCY, Severity.MINOR, "no space after the sentence")
    only_note = ReviewedPair("d:0", "d", 0, (), (0,), "", "마이스키는 외교관이었다.", findings=(note,))
    both = replace(only_note, id="d:1", position=1, findings=(note, slip))
    assert pair_penalty(only_note) == 0.0 and pair_penalty(both) == 1.0
    assert summarize([only_note, both]).penalty == 1.0


def test_staged_run_names_the_final_output_folder(tmp_path, pairs):
    """A review writes into a staging folder renamed afterwards: the worklist must name the final folder."""
    from review.report import write_reports

    final = tmp_path / "out"
    staging = final / ".mtreview-run-staging"
    staging.mkdir(parents=True)
    files = write_reports(staging, {"mtreview": "test"}, pairs[:30], decisions_dir=final)
    rows = [json.loads(line) for line in files["worklist_jsonl"].read_text(encoding="utf-8").splitlines()]
    assert rows and {r["output"] for r in rows} == {str(final)}
    assert {r["output"] for r in read_csv(files["worklist_csv"])} == {str(final)}
