"""Many documents from a manifest: parsing, parallel runs, resuming, failures, interruption, --force."""
from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from corpus.errors import InputError
from corpus.records import Bead
from review.batch import DONE_NAME, DocumentOutcome, Progress, fingerprint, read_manifest, run_manifest
from review.cli import main
from review.pipeline import ReviewConfig

REPO = Path(__file__).resolve().parents[2]
HOOK = Path(__file__).resolve().parent / "slow_hook"

XLIFF = """<?xml version="1.0" encoding="UTF-8"?>
<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="ko">
  <file id="f1"><unit id="u1"><segment><source>Maisky was born.</source><target>마이스키는 태어났다.</target>
  </segment></unit></file>
</xliff>
"""


def _paired_aligner(bitext, encoder=None, params=None, hints=None, progress=None, leave_out=None):
    """Pairs given paragraphs without an encoder, so these tests never load the default model."""
    if bitext.source is None:
        return [Bead((), (s.index,), 0.0) for s in bitext.target.iter_segments()]
    return [Bead(tuple(s.index for s in ps.segments), tuple(s.index for s in pt.segments), 0.0)
            for ps, pt in zip(bitext.source.paragraphs, bitext.target.paragraphs) if ps.segments or pt.segments]


@pytest.fixture
def no_encoder(monkeypatch):
    monkeypatch.setattr("review.pipeline.align_bitext", _paired_aligner, raising=False)


def _korean_docs(folder: Path, n: int = 3) -> Path:
    """``n`` Korean-only documents (nothing to embed) and a TSV manifest listing them."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["target\tdoc_id"]
    for k in range(n):
        (folder / f"doc{k}.ko.txt").write_text(f"마이스키는 {1884 + k}년에 태어났다.\n\n그는 런던에 갔다.\n",
                                              encoding="utf-8")
        rows.append(f"doc{k}.ko.txt\td{k}")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def _done_mtimes(out: Path) -> dict[str, int]:
    return {p.parent.name: p.stat().st_mtime_ns for p in out.glob(f"*/{DONE_NAME}")}


# ---------------------------------------------------------------- manifest format

def test_manifest_columns_paths_and_doc_ids(tmp_path):
    sub = tmp_path / "texts"
    sub.mkdir()
    manifest = tmp_path / "corpus.csv"
    manifest.write_text("# my corpus\nsource,target,doc_id\n"
                        "texts/a.en.txt,texts/a.ko.txt,\n"
                        ",texts/b.ko.txt,bee\n"
                        "\n"
                        f",{tmp_path}/abs.ko.txt,\n", encoding="utf-8")
    entries = read_manifest(manifest)
    assert [(e.line, e.doc_id) for e in entries] == [(3, "a"), (4, "bee"), (6, "abs")]
    assert entries[0].source == str(sub / "a.en.txt") and entries[0].target == str(sub / "a.ko.txt")
    assert entries[1].source is None and entries[1].target == str(sub / "b.ko.txt")

    bitexts = tmp_path / "bitexts.tsv"
    bitexts.write_text("bitext\ndoc_id\nx.tsv\t\ny.xlf\tyy\nz.tmx\t\n".replace("bitext\ndoc_id", "bitext\tdoc_id"),
                       encoding="utf-8")
    assert [(e.doc_id, Path(e.bitext).name) for e in read_manifest(bitexts)] == [
        ("x", "x.tsv"), ("yy", "y.xlf"), ("z", "z.tmx")]


@pytest.mark.parametrize("text, problem", [
    ("target\na/x.ko.txt\nb/x.ko.txt\nc.ko.txt\nd/X.ko.txt\n",
     ":3: duplicate doc_id 'x' on lines 2, 3, 5 (give each document its own doc_id)"),
    ("target,doc_id\na.ko.txt,one\nb.ko.txt,two\nc.ko.txt,one\nd.ko.txt,two\n",
     ":4: duplicate doc_id 'one' on lines 2, 4; 'two' on lines 3, 5 (give each document its own doc_id)"),
    ("source,tagret\na,b\n", ":1: unknown column 'tagret' (known: source, target, bitext, doc_id)"),
    ("source,doc_id\na,b\n", ":1: the header needs a 'target' or a 'bitext' column"),
    ("source,target,bitext\n,a.ko.txt,b.tsv\n", ":2: a row gives either 'bitext' or 'source'/'target', not both"),
    ("source,target\na.en.txt,\n", ":2: no 'target' (Korean file) or 'bitext' in this row"),
    ("target,doc_id\na.ko.txt,../escape\n",
     ":2: doc_id '../escape' cannot name an output folder (no '/', '\\', leading '.', or 'batch-status.jsonl')"),
    ("target\na.ko.txt,b\n", ":2: 2 cells but the header names 1 columns"),
    ("# only a comment\n", ": no header row (expected columns: source, target, doc_id; or bitext, doc_id)"),
    ("target\n", ": no documents listed under the header"),
])
def test_manifest_errors_name_file_line_and_problem(tmp_path, text, problem):
    manifest = tmp_path / "m.csv"
    manifest.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_manifest(manifest)
    assert str(err.value) == f"{manifest}{problem}"


# ---------------------------------------------------------------- running

@pytest.mark.slow
def test_manifest_run_in_parallel_then_resume_then_force(tmp_path, no_encoder):
    manifest = _korean_docs(tmp_path / "in")
    out = tmp_path / "out"
    result = run_manifest(manifest, out, workers=2, progress=False)
    assert [(o.doc_id, o.status) for o in result.outcomes] == [("d0", "done"), ("d1", "done"), ("d2", "done")]
    assert len({o.pid for o in result.outcomes}) <= 2  # processes are reused: models load once per worker
    for k in range(3):
        lines = (out / f"d{k}" / "segments.jsonl").read_text(encoding="utf-8").splitlines()
        assert f"{1884 + k}년" in lines[1]
        marker = json.loads((out / f"d{k}" / DONE_NAME).read_text(encoding="utf-8"))
        assert marker["doc_id"] == f"d{k}" and marker["pairs"] == 2 and len(marker["fingerprint"]) == 64
    status = [json.loads(line) for line in (out / "batch-status.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [s["status"] for s in status] == ["done"] * 3

    before = _done_mtimes(out)
    again = run_manifest(manifest, out, workers=2, progress=False)
    assert [o.status for o in again.outcomes] == ["skipped"] * 3
    assert _done_mtimes(out) == before

    # a changed input is reviewed again; the others are not
    (tmp_path / "in" / "doc1.ko.txt").write_text("마이스키는 대사였다.\n", encoding="utf-8")
    changed = run_manifest(manifest, out, progress=False)
    assert [o.status for o in changed.outcomes] == ["skipped", "done", "skipped"]
    after = _done_mtimes(out)
    assert after["d0"] == before["d0"] and after["d2"] == before["d2"] and after["d1"] != before["d1"]

    # a changed setting is too: --xliff adds review.xlf everywhere
    with_xliff = run_manifest(manifest, out, progress=False, base_config=ReviewConfig(xliff=True))
    assert [o.status for o in with_xliff.outcomes] == ["done"] * 3
    assert all((out / f"d{k}" / "review.xlf").is_file() for k in range(3))
    # ...and going back without it removes the now stale review.xlf
    run_manifest(manifest, out, progress=False)
    assert not any((out / f"d{k}" / "review.xlf").exists() for k in range(3))

    forced = run_manifest(manifest, out, force=True, progress=False)
    assert [o.status for o in forced.outcomes] == ["done"] * 3


def test_bitext_rows_and_a_failed_document(tmp_path, no_encoder, capsys):
    (tmp_path / "a.tsv").write_text("Maisky was born.\t마이스키는 태어났다.\n", encoding="utf-8")
    (tmp_path / "b.xlf").write_text(XLIFF, encoding="utf-8")
    (tmp_path / "c.xlf").write_text(XLIFF.replace("</segment>", "</segmnt>"), encoding="utf-8")
    manifest = tmp_path / "m.tsv"
    manifest.write_text("bitext\na.tsv\nb.xlf\nc.xlf\nmissing.tmx\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["review", "--manifest", str(manifest), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "4 documents: 2 reviewed, 0 already done, 2 failed" in captured.out
    assert (f"FAILED c (manifest line 4): {tmp_path / 'c.xlf'}:4: malformed XML: mismatched tag (column 5)"
            in captured.err)
    assert f"FAILED missing (manifest line 5): {tmp_path / 'missing.tmx'}: no such file" in captured.err
    assert (out / "a" / DONE_NAME).is_file() and (out / "b" / DONE_NAME).is_file()
    assert not (out / "c" / DONE_NAME).exists()
    assert "mismatched tag" in (out / "c" / "FAILED").read_text(encoding="utf-8")
    records = [json.loads(line) for line in (out / "b" / "segments.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[1]["src"] == "Maisky was born." and records[1]["tgt"] == "마이스키는 태어났다."

    # fixing the broken file and rerunning reviews only what is not done
    (tmp_path / "c.xlf").write_text(XLIFF, encoding="utf-8")
    before = _done_mtimes(out)
    assert main(["review", "--manifest", str(manifest), "--out", str(out)]) == 1  # missing.tmx still missing
    assert "1 reviewed, 2 already done, 1 failed" in capsys.readouterr().out
    assert {k: v for k, v in _done_mtimes(out).items() if k in before} == before


def test_manifest_options_go_together(tmp_path, capsys):
    manifest = _korean_docs(tmp_path)
    assert main(["review", "x.ko.txt", "--manifest", str(manifest)]) == 1
    assert "--manifest lists the documents" in capsys.readouterr().err
    assert main(["review", "--workers", "2"]) == 1
    assert capsys.readouterr().err == ("Error: --workers, --force, --engine, --address and --corpus-names go with "
                                       "--manifest\n")
    assert main(["review", "--manifest", str(manifest), "--workers", "0"]) == 1
    assert capsys.readouterr().err == "Error: --workers must be at least 1, got 0\n"


def test_workers_auto_is_one_per_usable_cpu(tmp_path, capsys, monkeypatch):
    import review.batch as batch
    from corpus.parallel import usable_cpus
    assert 1 <= usable_cpus() <= (os.cpu_count() or 1)
    manifest = _korean_docs(tmp_path, n=4)
    pools: list[int] = []
    real_pool = batch._run_pool
    monkeypatch.setattr(batch, "_run_pool", lambda todo, config, out, workers, *rest:
                        pools.append(workers) or real_pool(todo, config, out, workers, *rest))
    monkeypatch.setattr("corpus.parallel.usable_cpus", lambda: 3)
    assert main(["review", "--manifest", str(manifest), "--out", str(tmp_path / "out"), "--workers", "auto",
                 "--no-models", "-q"]) == 0
    assert pools == [3] and len(list((tmp_path / "out").glob(f"*/{DONE_NAME}"))) == 4
    with pytest.raises(SystemExit):
        main(["review", "--manifest", str(manifest), "--workers", "many"])
    assert "expected a number of workers or 'auto', got 'many'" in capsys.readouterr().err


# ---------------------------------------------------------------- interruption

def _review_cmd(manifest: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "review", "review", "--manifest", str(manifest), "--out", str(out), *extra]


def _env(delay: float) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HOOK), str(REPO)]), OMP_NUM_THREADS="1")
    env["MTREVIEW_TEST_DELAY"] = str(delay)
    return env


def _group_ends(pgid: int, within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_interrupted_run_resumes_without_redoing_or_losing_work(tmp_path, workers):
    manifest = _korean_docs(tmp_path / "in", n=4)
    out = tmp_path / "out"
    # Each document sleeps after writing its outputs, before its DONE marker: Ctrl-C lands mid-document.
    proc = subprocess.Popen(_review_cmd(manifest, out, "--workers", workers), env=_env(1.5), cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not _done_mtimes(out) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Interrupted: " in err and "run the same command again" in err
    status = [json.loads(line) for line in (out / "batch-status.jsonl").read_text(encoding="utf-8").splitlines()]
    # (a document whose DONE landed just as Ctrl-C came may still be listed as interrupted: it is done)
    assert {s["doc_id"] for s in status if s["status"] == "interrupted"} >= {"d0", "d1", "d2", "d3"} - set(
        _done_mtimes(out))
    assert all((out / s["doc_id"] / DONE_NAME).is_file() for s in status if s["status"] == "done")
    done_first = _done_mtimes(out)
    assert 1 <= len(done_first) < 4, err
    # nothing of the group is left running, and no half-written file counts as anything
    assert _group_ends(proc.pid), "worker processes outlived the interrupted run"
    # a worker stopped mid-write may leave a temp file, never in a folder that counts as done
    assert not [tmp for tmp in out.glob("*/.*.tmp") if tmp.parent.name in done_first]
    saved = {d: (out / d / "segments.jsonl").read_bytes() for d in done_first}

    rerun = subprocess.run(_review_cmd(manifest, out, "--workers", workers), env=_env(0), cwd=tmp_path,
                           capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{4 - len(done_first)} reviewed, {len(done_first)} already done, 0 failed" in rerun.stdout
    done_all = _done_mtimes(out)
    assert set(done_all) == {"d0", "d1", "d2", "d3"}
    assert {d: done_all[d] for d in done_first} == done_first  # finished documents were not redone
    assert {d: (out / d / "segments.jsonl").read_bytes() for d in done_first} == saved
    assert not list(out.glob("*/.*.tmp"))  # the rerun cleared what the interruption left

    forced = subprocess.run(_review_cmd(manifest, out, "--force"), env=_env(0), cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert forced.returncode == 0, forced.stderr
    assert "4 reviewed, 0 already done" in forced.stdout
    assert all(_done_mtimes(out)[d] > done_all[d] for d in done_all)


# ---------------------------------------------------------------- progress display

class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _outcome(doc_id: str, status: str = "done", message: str | None = None) -> DocumentOutcome:
    return DocumentOutcome(doc_id, 2, status, f"out/{doc_id}", message, n_pairs=3, seconds=0.25)


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_otherwise():
    terminal = _Terminal()
    bar = Progress(2, stream=terminal)
    bar.advance(_outcome("a"))
    bar.advance(_outcome("b", "failed", "b.xlf:3: malformed XML"))
    bar.close()
    shown = terminal.getvalue()
    assert shown.startswith("\r[........................] 0/2 documents, 0 s \x1b[K")
    assert "\r[############............] 1/2 documents, 0 s, ~0 s left a\x1b[K" in shown
    assert "\r\x1b[KFAILED b: b.xlf:3: malformed XML\n" in shown
    assert shown.endswith("\r[########################] 2/2 documents, 0 s b\x1b[K\n")

    log = io.StringIO()
    plain = Progress(2, stream=log)
    plain.advance(_outcome("a"))
    plain.advance(_outcome("b", "failed", "b.xlf:3: malformed XML"))
    assert log.getvalue().splitlines() == ["[1/2] a: done (3 pairs, 0.2 s)",
                                           "[2/2] b: FAILED: b.xlf:3: malformed XML"]

    quiet = io.StringIO()
    Progress(1, enabled=False, stream=quiet).advance(_outcome("a"))
    assert quiet.getvalue() == ""


def test_fingerprint_follows_input_bytes_settings_and_setting_files(tmp_path):
    manifest = _korean_docs(tmp_path, n=1)
    entry = read_manifest(manifest)[0]
    base = fingerprint(entry, ReviewConfig())
    assert fingerprint(entry, ReviewConfig(out_dir="elsewhere")) == base  # where the output goes is no setting
    assert fingerprint(entry, ReviewConfig(xliff=True)) != base
    # a setting naming a file (here: the encoding field stands in for a glossary path) counts by content
    settings_file = tmp_path / "settings.txt"
    settings_file.write_text("one", encoding="utf-8")
    with_file = fingerprint(entry, ReviewConfig(encoding=str(settings_file)))
    settings_file.write_text("two", encoding="utf-8")
    assert fingerprint(entry, ReviewConfig(encoding=str(settings_file))) != with_file
    Path(entry.target).write_text("마이스키.\n", encoding="utf-8")
    assert fingerprint(entry, ReviewConfig()) != base


def test_manifest_json_and_fail_on_work_as_for_one_document(tmp_path, no_encoder, capsys):
    """--json prints JSON (not the plain summary) and --fail-on judges the findings of every document."""
    manifest = _korean_docs(tmp_path / "in", n=2)
    (tmp_path / "in" / "doc1.ko.txt").write_text("마이스키( )는 1884년에 태어났다.\n\n그는 런던에 갔다.\n", encoding="utf-8")
    out = tmp_path / "out"
    code = main(["review", "--manifest", str(manifest), "--out", str(out), "--json", "--quiet", "--no-models",
                 "--no-names"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert code == 0 and captured.err == ""
    assert [d["doc_id"] for d in data["documents"]] == ["d0", "d1"] and data["reviewed"] == 2
    by_doc = {d["doc_id"]: d["summary"] for d in data["documents"]}
    assert by_doc["d1"]["pairs"] >= 2 and by_doc["d1"]["document"] == "d1"
    worst = by_doc["d1"]["by_severity"]
    assert worst["minor"] + worst["major"] + worst["critical"] >= 1
    # a rerun (documents skipped) judges the same findings: exit 3 at minor, 0 at critical
    assert main(["review", "--manifest", str(manifest), "--out", str(out), "--quiet", "--no-models",
                 "--no-names", "--fail-on", "minor"]) == 3
    assert main(["review", "--manifest", str(manifest), "--out", str(out), "--quiet", "--no-models",
                 "--no-names", "--fail-on", "critical"]) == 0
    assert capsys.readouterr().out == ""


# ---------------------------------------------------------------- dead workers (issue 17)

def test_a_killed_worker_s_documents_are_retried(tmp_path):
    manifest = _korean_docs(tmp_path / "in", n=4)
    out = tmp_path / "out"
    env = {**_env(0), "MTREVIEW_TEST_KILL_DOC": "d1", "MTREVIEW_TEST_KILL_MARK": str(tmp_path / "killed")}
    done = subprocess.run(_review_cmd(manifest, out, "--workers", "2", "--no-models"), env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert (tmp_path / "killed").exists()  # the worker reviewing d1 did die
    assert done.returncode == 0, done.stderr
    assert "4 reviewed, 0 already done, 0 failed" in done.stdout
    assert "a worker process died; trying its" in done.stderr
    assert set(_done_mtimes(out)) == {"d0", "d1", "d2", "d3"}


def test_workers_die_with_a_killed_parent(tmp_path):
    manifest = _korean_docs(tmp_path / "in", n=4)
    out = tmp_path / "out"
    proc = subprocess.Popen(_review_cmd(manifest, out, "--workers", "2", "--no-models"), env=_env(60), cwd=tmp_path,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not list(out.glob("*/segments.jsonl")) and time.monotonic() < deadline:
        time.sleep(0.1)  # a worker has written a document and now sleeps before its DONE marker
    assert list(out.glob("*/segments.jsonl")), "no worker got going"
    os.kill(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert _group_ends(proc.pid, within=15), "worker processes outlived their killed parent"


def test_pool_hands_out_the_largest_documents_first(tmp_path):
    from review.batch import ManifestEntry, _input_size
    small, big = tmp_path / "a.ko.txt", tmp_path / "b.ko.txt"
    small.write_text("가\n", encoding="utf-8")
    big.write_text("가나다라\n" * 50, encoding="utf-8")
    entries = [ManifestEntry(2, "a", target=str(small)), ManifestEntry(3, "b", target=str(big)),
               ManifestEntry(4, "gone", target=str(tmp_path / "missing.ko.txt"))]
    assert _input_size(entries[1]) > _input_size(entries[0]) > _input_size(entries[2]) == 0
    assert [e.doc_id for e in sorted(entries, key=lambda e: -_input_size(e))] == ["b", "a", "gone"]


def _run_python(code: str, drop_env: tuple[str, ...] = ()) -> str:
    env = {k: v for k, v in _env(0).items() if k not in drop_env}
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


@pytest.mark.parametrize("preload", [True, False])
def test_pool_workers_start_with_the_default_models_when_preloaded(preload):
    # a fresh interpreter: the forkserver (and what it preloaded) lives as long as the process that started it
    state = _run_python("from review.batch import _new_pool, _worker_state\n"
                        f"with _new_pool(1, preload={preload}) as pool:\n"
                        "    print(pool.submit(_worker_state).result())")
    assert state == str({"encoder": preload, "kiwi": preload})


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="counts the process's threads in /proc")
def test_worker_preload_starts_no_thread():
    # the forkserver forks after this import: a thread it started would be missing, its locks held, in every worker
    # (BLAS settings left out of the environment: OpenBLAS would start its threads on import unless told not to)
    threads = _run_python("import review.worker_preload, os, corpus.kiwi, corpus.encoders\n"
                          "assert corpus.kiwi._KIWI is not None and corpus.encoders._LOADED\n"
                          "print(len(os.listdir('/proc/self/task')))",
                          drop_env=("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"))
    assert threads == "1"
