"""``--engine ray``: the same outputs as the local engine, resuming, failures, interruption.

These start a Ray on this machine (``ray.init(num_cpus=2)``), never a remote one.  The documents are
Korean only and reviewed without models, so the tests time Ray and the batch logic, not the encoder.
"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review.batch import DONE_NAME, run_manifest
from review.pipeline import ReviewConfig

import ray  # noqa: E402 - the test extra installs it: a missing ray is a broken extra, not a skip

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CONFIG = ReviewConfig(use_models=False, names=False)


def _corpus(folder: Path, n: int) -> Path:
    """``n`` Korean documents, one broken bitext (malformed XLIFF), and a TSV manifest listing them."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["target\tbitext\tdoc_id"]
    for k in range(n):
        (folder / f"doc{k}.ko.txt").write_text(
            f"마이스키는 {1884 + k}년에 태어났다.\n\n그는 런던에 갔다. 그는 {k}번 대사였다!!\n", encoding="utf-8")
        rows.append(f"doc{k}.ko.txt\t\td{k}")
    (folder / "broken.xlf").write_text("<xliff><file><unit>", encoding="utf-8")
    rows.append("\tbroken.xlf\tbroken")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest


def _outputs(out: Path) -> dict[str, bytes]:
    """Every output file but the DONE markers (they hold the time they were written) and the run's status."""
    found = {}
    for path in sorted(out.glob("*/*")):
        if path.name == DONE_NAME:
            marker = json.loads(path.read_text(encoding="utf-8"))
            found[str(path.relative_to(out))] = json.dumps({k: v for k, v in marker.items() if k != "finished"})
        elif not path.name.startswith("."):
            found[str(path.relative_to(out))] = path.read_bytes()
    return found


def _headerless(data: bytes | str, out: Path) -> bytes | str:
    # the JSONL headers and reports name the output folder, and the report its time; nothing else may differ
    if isinstance(data, str):
        return data.replace(str(out), "OUT")
    return re.sub(rb"generated \d{4}-\d\d-\d\d \d\d:\d\d UTC", b"generated", data.replace(str(out).encode(), b"OUT"))


# (first: it starts its own Ray in a child process, before this process starts one for the test after it)
def test_interrupted_ray_run_resumes_to_the_outputs_of_an_uninterrupted_one(tmp_path):
    manifest = _corpus(tmp_path / "in", 6)
    (tmp_path / "in" / "broken.xlf").write_text(
        '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="en" trgLang="ko">'
        '<file id="f"><unit id="u"><segment><source>Hi.</source><target>안녕.</target></segment></unit></file>'
        '</xliff>', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE / "slow_hook"), str(REPO)]), OMP_NUM_THREADS="1",
               MTREVIEW_TEST_DELAY="1.5")

    def command(out: Path) -> list[str]:
        return [sys.executable, "-m", "review", "review", "--manifest", str(manifest), "--out", str(out),
                "--engine", "ray", "--workers", "2", "--no-models", "--no-names"]

    out = tmp_path / "out"
    proc = subprocess.Popen(command(out), env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    deadline = time.monotonic() + 180
    while not list(out.glob(f"*/{DONE_NAME}")) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    done_first = {p.parent.name: p.stat().st_mtime_ns for p in out.glob(f"*/{DONE_NAME}")}
    assert 1 <= len(done_first) < 7, err

    env["MTREVIEW_TEST_DELAY"] = "0"
    rerun = subprocess.run(command(out), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{7 - len(done_first)} reviewed, {len(done_first)} already done, 0 failed" in rerun.stdout
    assert {d: t for d, t in ((p.parent.name, p.stat().st_mtime_ns) for p in out.glob(f"*/{DONE_NAME}"))
            if d in done_first} == done_first
    assert not list(out.glob("*/.*.tmp"))

    whole = tmp_path / "whole"
    straight = subprocess.run(command(whole), env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert straight.returncode == 0, straight.stderr
    assert {k: _headerless(v, out) for k, v in _outputs(out).items()} == \
        {k: _headerless(v, whole) for k, v in _outputs(whole).items()}


@pytest.fixture(scope="module")
def local_ray():
    # the crash hook makes a worker die on document d3; the driver (this process) never loads it
    env = {"PYTHONPATH": os.pathsep.join([str(HERE / "crash_hook"), str(REPO)]), "MTREVIEW_TEST_CRASH": "d3",
           "OMP_NUM_THREADS": "1"}
    ray.init(num_cpus=2, runtime_env={"env_vars": env}, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_writes_what_local_writes_reports_failures_and_resumes(tmp_path, local_ray):
    manifest = _corpus(tmp_path / "in", 6)
    local = run_manifest(manifest, tmp_path / "local", workers=1, base_config=CONFIG, progress=False)
    result = run_manifest(manifest, tmp_path / "ray", workers=2, base_config=CONFIG, progress=False, engine="ray")

    status = {o.doc_id: o.status for o in result.outcomes}
    # bad input fails with the same message as locally; a dead worker fails its document only
    assert status == {**{f"d{k}": "done" for k in range(6) if k != 3}, "d3": "failed", "broken": "failed"}
    failed = {o.doc_id: o.message for o in result.failed}
    assert failed["broken"] == {o.doc_id: o.message for o in local.failed}["broken"]
    assert "broken.xlf" in failed["broken"]
    assert failed["d3"].startswith("worker failed: ")
    assert [o.doc_id for o in result.outcomes] == [o.doc_id for o in local.outcomes]  # manifest order
    assert len({o.pid for o in result.outcomes if o.status == "done"} - {os.getpid()}) >= 1  # not this process

    ray_files, local_files = _outputs(tmp_path / "ray"), _outputs(tmp_path / "local")
    expected = {name: _headerless(data, tmp_path / "local") for name, data in local_files.items()
                if not name.startswith("d3/")}
    assert {name: _headerless(data, tmp_path / "ray") for name, data in ray_files.items()
            if not name.startswith("d3/")} == expected
    assert not (tmp_path / "ray" / "d3" / DONE_NAME).exists()

    # a rerun redoes only what is not done (the failed ones), and leaves the finished ones alone
    finished = {p.parent.name: p.stat().st_mtime_ns for p in (tmp_path / "ray").glob(f"*/{DONE_NAME}")}
    again = run_manifest(manifest, tmp_path / "ray", workers=2, base_config=CONFIG, progress=False, engine="ray")
    assert {o.doc_id: o.status for o in again.outcomes} == {**{d: "skipped" for d in finished},
                                                           "d3": "failed", "broken": "failed"}
    assert {p.parent.name: p.stat().st_mtime_ns for p in (tmp_path / "ray").glob(f"*/{DONE_NAME}")} == finished
