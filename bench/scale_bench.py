"""Speed and scale of a whole review, measured in one run (issue 14's targets).

1. The NTREX-128 news test set as ONE document (all 1,997 sentences, one per line, on each side):
   the time of embedding every sentence once with the encoder (the floor: model loaded, nothing
   else), then the whole ``mtreview review`` of that document (a fresh process: start-up, model
   loading, alignment, names, checks, reports) with its peak memory, and the same with ``--no-names``.
   Ratios to the embedding time are printed (targets: <= 3x and <= 600 MB; <= 2x without names).
2. A corpus: the same sentences as NTREX's 123 documents (``DOCUMENT_IDS.tsv``), one manifest,
   reviewed with ``--workers 1``, ``--workers 2`` and ``--engine ray --workers 2`` (a fresh output
   folder each, so nothing is skipped): documents per second and the ratios (targets: 2 workers
   >= 1.7x one; Ray within 15% of 2 workers).  ``--workers 1`` already uses two threads (the
   default of corpus.parallel), so the ratio to it is not per-core scaling: ``--workers 1`` with
   ``MTREVIEW_THREADS=1`` (one core) is timed too and the ratio to it printed beside.  Each corpus run's
   memory is the peak of the summed PSS of all its processes (pool workers, Ray's own processes),
   sampled every 0.25 s: what the machine must hold, shared pages counted once.  With Ray, the corpus
   listed twice is reviewed too with ``--workers 2`` and with Ray: the difference of the walls gives each
   engine's cost per further document and its fixed cost (Ray's start and stop), what a corpus far
   larger than this one would see.

    PYTHONPATH=. python bench/scale_bench.py [--data /work/shared/data/ntrex128] [--docs N]
                                             [--skip-document] [--skip-corpus] [--no-ray] [--keep DIR]

Every process runs with one BLAS thread (as the CLI sets itself).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1",
           PYTHONPATH=os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))

EMBED_SNIPPET = """
import json, sys, time
from corpus.encoders import load_encoder
texts = [line.strip() for path in sys.argv[1:] for line in open(path, encoding="utf-8") if line.strip()]
encoder = load_encoder("use")
encoder.inner.encode(texts[:8])  # warm up (first-call allocations), then time every sentence once
start = time.perf_counter()
encoder.inner.encode(texts)
print(json.dumps({"seconds": time.perf_counter() - start, "sentences": len(texts)}))
"""


def run_timed(args: list[str]) -> str:
    """The stdout of a child process (an error names the command and shows its stderr)."""
    proc = subprocess.run(args, env=ENV, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout


def run_measured(args: list[str], env: dict[str, str] | None = None,
                 whole_tree: bool = False) -> tuple[float, float, str, float | None]:
    """Wall seconds, peak resident MB, stdout of ``args`` and, with ``whole_tree``, the peak of the summed
    proportional set size (PSS: shared pages split among their sharers) of all its processes, sampled
    every SAMPLE_SECONDS.  The first peak is that process's and the descendants it waited for, as ``wait4``
    reports it: the largest single process (pool workers forked by a forkserver are not among them).
    ``env`` is added to the bench's environment."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-c", _RSS_WRAPPER, rss.name, *args], env={**ENV, **(env or {})},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = _TreeSampler(proc.pid) if whole_tree else None
        stdout, stderr = proc.communicate()
        wall = time.perf_counter() - start
        tree_peak = sampler.stop() if sampler is not None else None
        if proc.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}):\n{stderr[-3000:]}")
        peak_kb = int(Path(rss.name).read_text() or 0)
    return wall, peak_kb / 1024, stdout, tree_peak


SAMPLE_SECONDS = 0.25


class _TreeSampler:
    """The peak over time of the summed PSS (MB) of a process and all its descendants (Linux /proc)."""

    def __init__(self, pid: int):
        import threading
        self.pid, self.peak, self._done = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        found, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    todo.extend(int(c) for c in task.read_text().split())
                except OSError:
                    pass
        return found

    def _run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            total_kb = 0
            for pid in self._tree():
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Pss:"):
                            total_kb += int(line.split()[1])
                            break
                except OSError:   # the process ended meanwhile
                    pass
            self.peak = max(self.peak, total_kb / 1024)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak


# Runs a command as its own child and records that child's peak RSS (os.wait4 gives per-child usage).
_RSS_WRAPPER = """
import os, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def build_document(data: Path, work: Path) -> tuple[Path, Path, int]:
    en, ko = work / "ntrex.en.txt", work / "ntrex.ko.txt"
    shutil.copyfile(data / "newstest2019-src.eng.txt", en)
    shutil.copyfile(data / "newstest2019-ref.kor.txt", ko)
    return en, ko, sum(1 for _ in en.open(encoding="utf-8"))


def build_corpus(data: Path, work: Path, limit: int | None) -> tuple[Path, int]:
    """NTREX's documents, one pair of files each, and a manifest listing them."""
    ids = [line.strip() for line in (data / "DOCUMENT_IDS.tsv").open(encoding="utf-8")]
    en = (data / "newstest2019-src.eng.txt").read_text(encoding="utf-8").splitlines()
    ko = (data / "newstest2019-ref.kor.txt").read_text(encoding="utf-8").splitlines()
    docs: dict[str, list[int]] = {}
    for i, doc in enumerate(ids):
        docs.setdefault(doc, []).append(i)
    folder = work / "corpus"
    folder.mkdir()
    rows = ["source\ttarget\tdoc_id"]
    for n, (doc, lines) in enumerate(docs.items()):
        if limit is not None and n >= limit:
            break
        name = f"d{n:03d}"
        (folder / f"{name}.en.txt").write_text("\n".join(en[i] for i in lines) + "\n", encoding="utf-8")
        (folder / f"{name}.ko.txt").write_text("\n".join(ko[i] for i in lines) + "\n", encoding="utf-8")
        rows.append(f"{name}.en.txt\t{name}.ko.txt\t{name}")
    manifest = folder / "manifest.tsv"
    manifest.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return manifest, len(rows) - 1


def document_bench(data: Path, work: Path) -> None:
    en, ko, n = build_document(data, work)
    out = run_timed([sys.executable, "-c", EMBED_SNIPPET, str(en), str(ko)])
    embed = json.loads(out.strip().splitlines()[-1])
    floor = embed["seconds"]
    print(f"NTREX as one document: {n} English + {n} Korean lines; embedding all {embed['sentences']} "
          f"sentences once (USE, model loaded): {floor:.1f} s")
    review = [sys.executable, "-m", "review", "review", str(en), str(ko), "-q"]
    for label, extra, target in (("--no-names", ["--no-names"], 2.0), ("names", [], 3.0)):
        wall, peak, _, _ = run_measured(review + ["--out", str(work / f"out-{label.strip('-')}"), *extra])
        pairs = sum(1 for _ in (work / f"out-{label.strip('-')}" / "segments.jsonl").open(encoding="utf-8")) - 1
        print(f"  mtreview review ({label}): {wall:.1f} s wall = {wall / floor:.2f}x the embedding "
              f"(target <= {target:g}x), peak {peak:.0f} MB (target <= 600), {pairs} pairs, {pairs / wall:.1f} pairs/s")


def corpus_bench(data: Path, work: Path, limit: int | None, ray: bool) -> None:
    manifest, n = build_corpus(data, work, limit)
    print(f"corpus: {n} NTREX documents ({manifest})")
    # --workers 1 reviews in the main process, which by default keeps both cores busy with two threads
    # (corpus.parallel); MTREVIEW_THREADS=1 holds it to one core, the baseline of per-core scaling
    single_core = "--workers 1, MTREVIEW_THREADS=1"
    runs = [("--workers 1", ["--workers", "1"], {}), (single_core, ["--workers", "1"], {"MTREVIEW_THREADS": "1"}),
            ("--workers 2", ["--workers", "2"], {})]
    if ray:
        runs.append(("--engine ray --workers 2", ["--engine", "ray", "--workers", "2"], {}))
    rates, walls = {}, {}
    for label, extra, env in runs:
        out = work / ("corpus-out-" + "-".join(x.strip("-") for x in extra) + ("-1thread" if env else ""))
        wall, peak, stdout, tree = run_measured([sys.executable, "-m", "review", "review", "--manifest",
                                                 str(manifest), "--out", str(out), *extra], env, whole_tree=True)
        done = sum(1 for _ in out.glob("*/DONE"))
        rates[label], walls[label] = done / wall, wall
        print(f"  {label}: {wall:.1f} s wall, {done}/{n} documents done, {rates[label]:.2f} documents/s, "
              f"peak of all its processes {tree:.0f} MB PSS (of the main process {peak:.0f} MB RSS)")
    if "--workers 2" in rates:
        print(f"  --workers 2 / --workers 1 throughput: {rates['--workers 2'] / rates['--workers 1']:.2f}x "
              f"(target >= 1.7x); / one core ({single_core}): {rates['--workers 2'] / rates[single_core]:.2f}x")
    if "--engine ray --workers 2" in rates:
        print(f"  ray / --workers 2 throughput: {rates['--engine ray --workers 2'] / rates['--workers 2']:.2f} "
              f"(target >= 0.85)")
        marginal_costs(manifest, work, n, walls)


def marginal_costs(manifest: Path, work: Path, n: int, walls: dict[str, float]) -> None:
    """Ray's start and stop cost a fixed few seconds a run: the same corpus listed twice (each document
    again under a second id) separates that from the cost per document, by the difference of the walls."""
    rows = manifest.read_text(encoding="utf-8").splitlines()
    doubled = manifest.with_name("manifest-twice.tsv")
    doubled.write_text("\n".join([rows[0], *rows[1:], *(r + "-again" for r in rows[1:])]) + "\n", encoding="utf-8")
    per_doc = {}
    for label, extra in (("--workers 2", ["--workers", "2"]), ("--engine ray --workers 2",
                                                               ["--engine", "ray", "--workers", "2"])):
        out = work / ("twice-out-" + "-".join(x.strip("-") for x in extra))
        wall, _, _, _ = run_measured([sys.executable, "-m", "review", "review", "--manifest", str(doubled),
                                      "--out", str(out), *extra])
        per_doc[label] = (wall - walls[label]) / n
        fixed = walls[label] - n * per_doc[label]
        print(f"  {label} on the corpus twice ({2 * n} documents): {wall:.1f} s wall; per further document "
              f"{per_doc[label] * 1000:.0f} ms, fixed cost {fixed:.1f} s")
    print(f"  ray / --workers 2 throughput per further document: "
          f"{per_doc['--workers 2'] / per_doc['--engine ray --workers 2']:.2f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=Path("/work/shared/data/ntrex128"))
    ap.add_argument("--docs", type=int, help="corpus: only the first N documents (default: all 123)")
    ap.add_argument("--skip-document", action="store_true")
    ap.add_argument("--skip-corpus", action="store_true")
    ap.add_argument("--no-ray", action="store_true")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = ap.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="mtreview-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        os.system("uptime")  # the machine's load, to read the figures by
        if not args.skip_document:
            document_bench(args.data, work)
        if not args.skip_corpus:
            try:
                import ray  # noqa: F401
                has_ray = not args.no_ray
            except ImportError:
                has_ray = False
            corpus_bench(args.data, work, args.docs, has_ray)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
