"""Issue 17, output safety: --out is checked before the work, a run is switched in as a whole, a folder never
mixes two runs, and a full disk is a message."""
from __future__ import annotations

import errno
import json
import os
import time

import pytest

from corpus.errors import InputError
from review import output as output_mod
from review.cli import main
from review.output import INCOMPLETE, OutputError, check_complete, prepare_out_dir, staged_run
from review.report.worklist import load_output

KO = "이반 마이스키는 소련의 외교관이었습니다.\n\n그는 런던에서 일했습니다.\n"
EN = "Ivan Maisky was a Soviet diplomat.\n\nHe worked in London.\n"


@pytest.fixture
def inputs(tmp_path):
    en, ko = tmp_path / "a.en.txt", tmp_path / "a.ko.txt"
    en.write_text(EN, encoding="utf-8")
    ko.write_text(KO, encoding="utf-8")
    return str(en), str(ko)


def _review(inputs, out, *extra) -> int:
    return main(["review", *inputs, "--out", str(out), "--no-models", "-q", *extra])


def test_out_naming_a_file_is_refused_before_the_work(tmp_path, inputs, capsys, monkeypatch):
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    import review.pipeline as pipeline

    monkeypatch.setattr(pipeline, "read_bitext", lambda *a, **k: pytest.fail("the work started"))
    assert _review(inputs, target) == 1
    err = capsys.readouterr().err
    assert "names an existing file, not a folder" in err and "Traceback" not in err
    assert target.read_text() == "x"


def test_unwritable_out_is_refused_before_the_work(capsys, inputs, monkeypatch):
    import review.pipeline as pipeline

    monkeypatch.setattr(pipeline, "read_bitext", lambda *a, **k: pytest.fail("the work started"))
    assert _review(inputs, "/proc/mtreview-out") == 1  # nobody, not even root, can create folders in /proc
    assert "cannot create the output folder" in capsys.readouterr().err
    with pytest.raises(OutputError, match="cannot write into the output folder"):
        prepare_out_dir("/proc")


def test_manifest_out_naming_a_file(tmp_path, inputs, capsys):
    manifest = tmp_path / "m.tsv"
    manifest.write_text(f"source\ttarget\n{inputs[0]}\t{inputs[1]}\n", encoding="utf-8")
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert main(["review", "--manifest", str(manifest), "--out", str(target)]) == 1
    assert "names an existing file" in capsys.readouterr().err


def _files(out):
    return {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}


def test_full_disk_while_writing_leaves_the_earlier_run_untouched(tmp_path, inputs, capsys, monkeypatch):
    out = tmp_path / "out"
    assert _review(inputs, out, "--xliff") == 0
    before = _files(out)
    assert {"segments.jsonl", "report.html", "worklist.csv", "review.xlf"} <= set(before)

    import review.report.html as html

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(out / "report.html"))
    monkeypatch.setattr(html, "write_html_report", full_disk)
    ko2 = tmp_path / "b.ko.txt"
    ko2.write_text(KO.replace("런던", "파리"), encoding="utf-8")
    assert _review((inputs[0], str(ko2)), out) == 1
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Traceback" not in err
    assert _files(out) == before
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []  # no staging folder left


def test_interrupted_switch_is_refused_by_readers(tmp_path, inputs, monkeypatch, capsys):
    out = tmp_path / "out"
    assert _review(inputs, out) == 0
    real_move = output_mod._move
    moved = []

    def die_after_first(src, dst):
        if moved:
            raise KeyboardInterrupt  # killed between two renames
        moved.append(dst)
        real_move(src, dst)
    monkeypatch.setattr(output_mod, "_move", die_after_first)
    assert _review(inputs, out) == 130
    monkeypatch.setattr(output_mod, "_move", real_move)
    assert (out / INCOMPLETE).exists()
    with pytest.raises(InputError, match="interrupted while writing this folder"):
        load_output(out)
    capsys.readouterr()
    assert main(["worklist", str(out)]) == 1
    assert "may come from two runs" in capsys.readouterr().err
    # a new run repairs it
    assert _review(inputs, out) == 0
    assert not (out / INCOMPLETE).exists()
    load_output(out)


def test_rerun_removes_files_the_new_run_does_not_write(tmp_path, inputs):
    out = tmp_path / "out"
    assert _review(inputs, out, "--xliff") == 0
    assert (out / "review.xlf").exists()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert _review(inputs, out) == 0
    assert not (out / "review.xlf").exists()  # it described the earlier run
    assert (out / "notes.txt").read_text() == "mine"  # not a run file: left alone


def test_staged_run_switches_in_whole_and_cleans_up(tmp_path):
    out = tmp_path / "out"
    with staged_run(out) as staging:
        (staging / "segments.jsonl").write_text("{}\n", encoding="utf-8")
        (staging / "report.html").write_text("<p>", encoding="utf-8")
        assert not (out / "segments.jsonl").exists()
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "segments.jsonl"]
    with pytest.raises(RuntimeError), staged_run(out) as staging:
        (staging / "segments.jsonl").write_text("new", encoding="utf-8")
        raise RuntimeError("boom")
    assert (out / "segments.jsonl").read_text() == "{}\n"
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "segments.jsonl"]
    check_complete(out)


def test_abandoned_staging_of_a_dead_process_is_removed(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / ".mtreview-run-999999999-abc"
    dead.mkdir()
    (dead / "segments.jsonl").write_text("old", encoding="utf-8")
    with staged_run(out):
        pass
    assert not dead.exists()


def test_review_json_to_a_full_disk(tmp_path, inputs):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    with open("/dev/full", "wb") as full:
        done = subprocess.run([sys.executable, "-m", "review", "review", *inputs, "--out", str(tmp_path / "o"),
                               "--no-models", "--json"], stdout=full, stderr=subprocess.PIPE, timeout=300,
                              env={**os.environ, "PYTHONPATH": str(root)}, cwd=root)
    err = done.stderr.decode()
    assert done.returncode == 1 and "standard output: No space left on device" in err and "Traceback" not in err
    header = json.loads((tmp_path / "o" / "segments.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert header["mtreview"]
