"""The command line: the main job on the bundled sample, errors, and help for every command."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from review.cli import COMMAND_MODULES, build_parser, main


def test_every_command_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert {f"{name}_cmd" for name in sub.choices} >= set(COMMAND_MODULES) - {"suggest_cmd"}
    for name, p in sub.choices.items():
        assert p.description or p.format_help(), name


@pytest.mark.slow
def test_review_bundled_sample_writes_segments_jsonl(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["review", "--out", str(out)]) == 0
    lines = (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert "id" not in header and header["mtreview"] and header["config"]["out_dir"] == str(out)
    records = [json.loads(line) for line in lines[1:]]
    assert records and all("id" in r and "src" in r and "tgt" in r for r in records)
    # every Korean segment of the sample appears in exactly one record
    tgt_idx = sorted(i for r in records for i in r["tgt_idx"])
    assert tgt_idx == list(range(len(tgt_idx)))
    assert "maisky" in capsys.readouterr().out
    # the opening lines: the title pairs with its transliteration (USE alone pairs it with the Korean
    # infobox line, which kept the name in Latin), and that Latin line is a name, not a critical copy
    assert (records[0]["src"], records[0]["tgt"]) == ("Ivan Maisky", "이반 마이스키")
    assert (records[1]["src"], records[1]["tgt"]) == ("Ivan Mikhailovich Maisky", "Ivan Maisky")
    assert records[2]["src"] == "Maisky in 1941" and records[2]["tgt"].startswith("1941년")
    assert not [f for f in records[1]["findings"] if f["check"] == "source-copy"]
    assert any(f["check"] == "name-untranslated" for f in records[1]["findings"])


def test_review_bad_input_is_a_clear_error(tmp_path, capsys):
    en = tmp_path / "a.en.txt"
    en.write_text("Hello world.", encoding="utf-8")
    ko = tmp_path / "a.ko.txt"
    ko.write_bytes(b"")
    assert main(["review", str(en), str(ko), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1] == f"Error: {ko}: the file is empty"
    assert not (tmp_path / "o" / "segments.jsonl").exists()


def test_no_command_prints_help(capsys):
    assert main([]) == 2
    assert "usage: mtreview" in capsys.readouterr().out


def test_python_dash_m_review_runs(monkeypatch):
    # `python -m review` is the same program as `mtreview`: the same help, word for word
    from review.cli import build_parser
    env = {**os.environ, "COLUMNS": "100"}
    result = subprocess.run([sys.executable, "-m", "review", "--help"], capture_output=True, text=True, timeout=60,
                            env=env)
    monkeypatch.setenv("COLUMNS", "100")
    assert result.returncode == 0 and result.stdout == build_parser().format_help()
    assert result.stdout.startswith("usage: mtreview")


@pytest.mark.slow
def test_review_sample_checks_names_with_the_demo_glossary(tmp_path):
    out = tmp_path / "out"
    assert main(["review", "--out", str(out), "--quiet", "--no-models"]) == 0
    lines = (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    header = json.loads(lines[0])
    assert header["config"]["glossary"].endswith("maisky.glossary.tbx")
    findings = [f for line in lines[1:] for f in json.loads(line)["findings"]]
    deprecated = [f for f in findings if f["check"] == "term-deprecated"]
    # 메이스키 is a deprecated spelling of 마이스키 in the demo glossary
    assert any(s["text"].startswith("메이스키") for f in deprecated for s in f["tgt_spans"])
    assert all(f["suggestion"] for f in deprecated)
    # a Latin name the glossary knows is reported once, as name-untranslated, not also as untranslated
    for line in lines[1:]:
        rec = json.loads(line)
        named = [s for f in rec["findings"] if f["check"] == "name-untranslated" for s in f["tgt_spans"]]
        generic = [s for f in rec["findings"] if f["check"] == "untranslated" for s in f["tgt_spans"]]
        assert not any(a["start"] < b["end"] and b["start"] < a["end"] for a in named for b in generic)


def test_review_without_names(tmp_path, sample_en, sample_ko):
    out = tmp_path / "out"
    assert main(["review", str(sample_en), str(sample_ko), "--out", str(out), "--quiet", "--no-models",
                 "--no-names"]) == 0
    lines = (out / "segments.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0])["config"]["glossary"] is None
    checks = {f["check"] for line in lines[1:] for f in json.loads(line)["findings"]}
    assert checks and not checks & {"name-inconsistent", "term-variant", "term-deprecated", "name-untranslated"}
