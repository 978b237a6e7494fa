"""Reviewing many documents from a manifest: parallel, resumable, safe to interrupt.

The manifest is a TSV (``.tsv``) or CSV (any other suffix; a header row with a
tab in it is read as TSV) with a header row naming its columns:

``target``
    the Korean file of the document (plain text);
``source``
    optional: its English source (plain text); leave the cell empty for Korean alone;
``bitext``
    instead of ``source``/``target``: one bitext file (``.tsv``, ``.jsonl``,
    XLIFF ``.xlf``/``.xliff``, ``.tmx``);
``doc_id``
    optional: the document's id and the name of its output folder (default:
    from the file name, ``maisky.ko.txt`` -> ``maisky``).

Paths are relative to the manifest's folder.  Blank lines and lines starting
with ``#`` are skipped.  Each document is reviewed into ``OUT_DIR/<doc_id>/``;
when everything in it is written, a ``DONE`` marker is written last, holding a
fingerprint of the input files' bytes and of the configuration.  A rerun skips
every document whose marker matches (unless ``force``), so an interrupted run
picks up where it stopped and a changed input or setting is reviewed again.
Every file is written atomically, and a document's old ``DONE`` is removed
before it is reviewed again, so an interruption never leaves a half-written
document that counts as done.

With ``workers > 1`` documents are reviewed in a pool of processes; each
process keeps its models (``corpus.encoders.load_encoder`` caches per process),
so they are loaded once per worker, not once per document.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, Iterator

from corpus.atomic import atomic_write
from corpus.encoders import DEFAULT_ENCODER
from corpus.errors import InputError, MtreviewError
from corpus.readers import doc_id_for
from corpus.textio import read_input_bytes, read_text
from review import __version__
from review import pipeline
from review.output import prepare_out_dir
from review.pipeline import ReviewConfig

DONE_NAME = "DONE"
FAILED_NAME = "FAILED"
STATUS_NAME = "batch-status.jsonl"
MANIFEST_COLUMNS = ("source", "target", "bitext", "doc_id")
ENGINES = ("local", "ray")


@dataclass(frozen=True)
class ManifestEntry:
    """One document of a manifest: where its row is and which files it reads."""

    line: int
    doc_id: str
    source: str | None = None
    target: str | None = None
    bitext: str | None = None

    def inputs(self) -> list[tuple[str, str]]:
        """``(role, path)`` of every input file, in a fixed order."""
        return [(role, path) for role, path in
                (("source", self.source), ("target", self.target), ("bitext", self.bitext)) if path]


@dataclass(frozen=True)
class DocumentOutcome:
    """What happened to one document: ``done``, ``skipped`` (already done), ``failed``, or
    ``interrupted`` (not finished when the run was stopped)."""

    doc_id: str
    line: int
    status: str
    out_dir: str
    message: str | None = None
    n_pairs: int = 0
    seconds: float = 0.0
    pid: int | None = None


@dataclass(frozen=True)
class BatchResult:
    """Every document's outcome, in manifest order."""

    manifest: str
    out_dir: Path
    outcomes: tuple[DocumentOutcome, ...] = field(default_factory=tuple)
    # with corpus_names: OUT/names.jsonl and OUT/name-inconsistencies.csv (see review.corpus_names)
    corpus_files: dict[str, Path] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> tuple[DocumentOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == "failed")


# --------------------------------------------------------------------------- manifest

def _is_safe_doc_id(doc_id: str) -> bool:
    # The id names a folder under OUT_DIR: one plain path component, not hidden (temp files are).
    return bool(doc_id) and doc_id not in (".", "..", STATUS_NAME) and not doc_id.startswith(".") \
        and not any(c in doc_id for c in "/\\") and all(c.isprintable() for c in doc_id)


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Parse a manifest (see the module docstring); structural problems are an :class:`InputError`."""
    name = str(path)
    text, _ = read_text(path)
    lines = text.split("\n")
    header_index = next((i for i, line in enumerate(lines) if line.strip() and not line.startswith("#")), None)
    if header_index is None:
        raise InputError(name, "no header row (expected columns: source, target, doc_id; or bitext, doc_id)")
    delimiter = "\t" if Path(name).suffix.lower() == ".tsv" or "\t" in lines[header_index] else ","
    base = Path(path).resolve().parent

    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    entries: list[ManifestEntry] = []
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as e:  # a field over the csv module's 128 KB limit, a NUL byte...
            raise InputError(name, f"unreadable row: {e}", line=rows.line_num) from None
        line_no = rows.line_num
        if not any(c.strip() for c in cells) or cells[0].startswith("#"):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            unknown = [c for c in header if c not in MANIFEST_COLUMNS]
            if unknown:
                raise InputError(name, f"unknown column {unknown[0]!r} (known: {', '.join(MANIFEST_COLUMNS)})",
                                 line=line_no)
            dupes = sorted({c for c in header if header.count(c) > 1})
            if dupes:
                raise InputError(name, f"column {dupes[0]!r} appears twice", line=line_no)
            if "target" not in header and "bitext" not in header:
                raise InputError(name, "the header needs a 'target' or a 'bitext' column", line=line_no)
            continue
        if len(cells) > len(header):
            raise InputError(name, f"{len(cells)} cells but the header names {len(header)} columns", line=line_no)
        row = {col: (cells[i].strip() if i < len(cells) else "") for i, col in enumerate(header)}
        entries.append(_entry(name, base, line_no, row))
    if not entries:
        raise InputError(name, "no documents listed under the header")
    _reject_duplicates(name, entries)
    return entries


def _entry(name: str, base: Path, line_no: int, row: dict[str, str]) -> ManifestEntry:
    source, target, bitext = row.get("source", ""), row.get("target", ""), row.get("bitext", "")
    if bitext and (source or target):
        raise InputError(name, "a row gives either 'bitext' or 'source'/'target', not both", line=line_no)
    if not bitext and not target:
        raise InputError(name, "no 'target' (Korean file) or 'bitext' in this row", line=line_no)

    def resolve(p: str) -> str | None:
        return str(base / Path(p).expanduser()) if p else None

    doc_id = row.get("doc_id", "") or doc_id_for(bitext or target)
    if not _is_safe_doc_id(doc_id):
        raise InputError(name, f"doc_id {doc_id!r} cannot name an output folder (no '/', '\\', leading '.', "
                               f"or {STATUS_NAME!r})", line=line_no)
    return ManifestEntry(line_no, doc_id, resolve(source), resolve(target), resolve(bitext))


def _reject_duplicates(name: str, entries: list[ManifestEntry]) -> None:
    # Compare case-insensitively: on macOS and Windows "Maisky" and "maisky" are the same folder.
    seen: dict[str, list[ManifestEntry]] = {}
    for e in entries:
        seen.setdefault(e.doc_id.casefold(), []).append(e)
    clashes = [group for group in seen.values() if len(group) > 1]
    if clashes:
        parts = [f"{group[0].doc_id!r} on lines {', '.join(str(e.line) for e in group)}" for group in clashes]
        raise InputError(name, "duplicate doc_id " + "; ".join(parts)
                         + " (give each document its own doc_id)", line=clashes[0][1].line)


# --------------------------------------------------------------------------- fingerprints and markers

def _file_digest(path: str) -> str:
    return hashlib.sha256(read_input_bytes(path)).hexdigest()


def fingerprint(entry: ManifestEntry, config: ReviewConfig) -> str:
    """A hash of the document's input bytes, its id, the configuration (with the content of any
    file a setting names) and the mtreview version."""
    settings = asdict(replace(config, source=None, target=None, out_dir="", doc_id=entry.doc_id))
    # A setting that names a file (a glossary, a reference...) counts by its content, not its name.
    setting_files = {key: _file_digest(value) for key, value in sorted(settings.items())
                     if isinstance(value, str) and os.path.isfile(value)}
    data = {"mtreview": __version__, "config": settings, "setting_files": setting_files,
            "inputs": [(role, _file_digest(path)) for role, path in entry.inputs()]}
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def is_done(doc_dir: Path, expected: str) -> bool:
    """Whether ``doc_dir`` holds a finished review whose ``DONE`` marker matches ``expected``."""
    try:
        marker = json.loads((doc_dir / DONE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(marker, dict) and marker.get("fingerprint") == expected


def _clear_for_rerun(doc_dir: Path) -> None:
    """Forget that a document was done: its marker, the outputs that marker lists (a rerun with
    other settings may not write them all again), and stray temp files of an interrupted write."""
    try:
        marker = json.loads((doc_dir / DONE_NAME).read_text(encoding="utf-8"))
        listed = marker.get("files", {}).values() if isinstance(marker, dict) else ()
    except (OSError, ValueError, AttributeError):
        listed = ()
    for stale in (doc_dir / DONE_NAME, doc_dir / FAILED_NAME):
        with contextlib.suppress(FileNotFoundError):
            stale.unlink()
    for name in listed:
        if isinstance(name, str) and _is_safe_doc_id(name):  # a plain file name inside doc_dir
            with contextlib.suppress(OSError):
                (doc_dir / name).unlink()
    if doc_dir.is_dir():
        for tmp in doc_dir.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                tmp.unlink()


# --------------------------------------------------------------------------- one document

def review_entry(entry: ManifestEntry, config: ReviewConfig, out_dir: str, expected: str) -> DocumentOutcome:
    """Review one document into ``out_dir/<doc_id>/`` and write its ``DONE`` marker last.

    Bad input becomes a ``failed`` outcome (with file, line and problem), not an exception,
    so the other documents go on; an interruption propagates.
    """
    started = time.monotonic()
    doc_dir = Path(out_dir) / entry.doc_id
    _clear_for_rerun(doc_dir)
    if entry.bitext:
        source, target = entry.bitext, None
    else:
        source, target = entry.source, entry.target
    doc_config = replace(config, source=source, target=target, out_dir=str(doc_dir), doc_id=entry.doc_id)
    try:
        result = pipeline.run_review(doc_config)
    except MtreviewError as e:
        message = str(e)
    except Exception as e:  # noqa: BLE001 - one document's bug must not stop the others
        message = f"internal error: {type(e).__name__}: {e}\n{traceback.format_exc(limit=-3)}".rstrip()
    else:
        marker = {"fingerprint": expected, "doc_id": entry.doc_id, "mtreview": __version__,
                  "inputs": dict(entry.inputs()), "pairs": len(result.pairs),
                  "files": {k: str(Path(v).name) for k, v in result.files.items()},
                  "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        with atomic_write(doc_dir / DONE_NAME) as fh:
            json.dump(marker, fh, ensure_ascii=False, indent=1)
        return DocumentOutcome(entry.doc_id, entry.line, "done", str(doc_dir), None, len(result.pairs),
                               time.monotonic() - started, os.getpid())
    with contextlib.suppress(OSError), atomic_write(doc_dir / FAILED_NAME) as fh:
        fh.write(message + "\n")
    return DocumentOutcome(entry.doc_id, entry.line, "failed", str(doc_dir), message, 0,
                           time.monotonic() - started, os.getpid())


def _init_worker(parent_pid: int | None = None) -> None:
    # Ctrl-C goes to the whole process group: the parent alone decides to stop, and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # the pool's processes are the parallelism: each reviews its document in one thread (corpus.parallel)
    from corpus.parallel import set_review_threads
    set_review_threads(1)
    if parent_pid is not None:
        threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="mtreview-parent-watch",
                         daemon=True).start()


def _exit_with_parent(parent_pid: int) -> None:
    """End this worker as soon as the batch's main process is gone, however it died (SIGKILL included).

    A worker's parent is the forkserver, not the batch process, so ``PR_SET_PDEATHSIG`` would watch the
    wrong process; a pidfd becomes readable exactly when the batch process exits (no pid reuse race).
    """
    try:
        pidfd = os.pidfd_open(parent_pid)
    except (AttributeError, OSError):  # not Linux >= 5.3: poll
        pidfd = None
    if pidfd is not None:
        import select
        select.select([pidfd], [], [])
    else:
        while True:
            time.sleep(1.0)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                break
            except PermissionError:
                continue
    os._exit(1)  # no cleanup to do: every write is atomic, and the next run removes stray staging folders


# --------------------------------------------------------------------------- progress

class Progress:
    """A one-line bar on a terminal; plain lines otherwise (logs, CI); nothing when ``enabled`` is false.

    The bar is a few lines of our own rather than tqdm: it redraws one line with ``\r``, prints
    failures above it, and shows the elapsed time and an estimate of the time left.
    """

    WIDTH = 24

    def __init__(self, total: int, enabled: bool = True, stream: Any = None):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.total = total
        self.finished = 0
        self.started = time.monotonic()
        self.terminal = enabled and bool(total) and getattr(self.stream, "isatty", lambda: False)()
        self._last = ""
        if self.terminal:
            self._draw()

    def _draw(self) -> None:
        elapsed = time.monotonic() - self.started
        filled = self.WIDTH * self.finished // self.total
        left = f", ~{elapsed / self.finished * (self.total - self.finished):.0f} s left" \
            if 0 < self.finished < self.total else ""
        line = (f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {self.finished}/{self.total} documents, "
                f"{elapsed:.0f} s{left} {self._last}")
        columns = shutil.get_terminal_size((80, 24)).columns
        self.stream.write("\r" + line[: max(columns - 1, 20)] + "\x1b[K")
        self.stream.flush()

    def note(self, text: str) -> None:
        if not self.enabled:
            return
        if self.terminal:
            self.stream.write("\r\x1b[K" + text + "\n")
            self._draw()
        else:
            print(text, file=self.stream, flush=True)

    def advance(self, outcome: DocumentOutcome) -> None:
        self.finished += 1
        if not self.enabled:
            return
        if self.terminal:
            self._last = outcome.doc_id
            if outcome.status == "failed":
                self.note(f"FAILED {outcome.doc_id}: {outcome.message}")
            else:
                self._draw()
        elif outcome.status == "failed":
            self.note(f"[{self.finished}/{self.total}] {outcome.doc_id}: FAILED: {outcome.message}")
        else:
            self.note(f"[{self.finished}/{self.total}] {outcome.doc_id}: done "
                      f"({outcome.n_pairs} pairs, {outcome.seconds:.1f} s)")

    def close(self) -> None:
        if self.terminal:
            self.terminal = False
            self.stream.write("\n")
            self.stream.flush()


# --------------------------------------------------------------------------- the run

@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Treat SIGTERM like Ctrl-C while the batch runs, so workers are stopped either way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end the workers now (their writes are atomic, so this is safe)."""
    # The executor has no public way to end running workers; its process table is the only handle
    # (taken before shutdown, which drops it).
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(timeout=5)


def run_manifest(manifest_path: str | Path, out_dir: str | Path, workers: int | str | None = 1, force: bool = False,
                 base_config: ReviewConfig | None = None, progress: bool = True, engine: str = "local",
                 address: str | None = None, corpus_names: bool = False) -> BatchResult:
    """Review every document of a manifest into ``out_dir/<doc_id>/`` (see the module docstring).

    ``engine`` is ``local`` (``workers`` processes of this machine; None means 1) or ``ray``
    (:mod:`review.ray_engine`: ``workers`` Ray actors, None meaning one per CPU of the Ray
    cluster at ``address``).  ``workers="auto"``: one per CPU this process may use (local), as None (Ray).  ``corpus_names`` also discovers names across all documents, once they
    are reviewed (:mod:`review.corpus_names`).  Returns every document's outcome; a failed document
    does not stop the others.
    Raises :class:`InputError` for a malformed manifest (before any work), and lets
    ``KeyboardInterrupt`` through after stopping the workers; finished documents stay done.
    """
    if engine not in ENGINES:
        raise MtreviewError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if address is not None and engine != "ray":
        raise MtreviewError("--address goes with --engine ray")
    if workers == "auto":   # one per CPU: of this process on the local engine, of the cluster with Ray
        from corpus.parallel import usable_cpus
        workers = usable_cpus() if engine == "local" else None
    if workers is None and engine == "local":
        workers = 1
    if workers is not None and workers < 1:
        raise MtreviewError(f"--workers must be at least 1, got {workers}")
    config = base_config or ReviewConfig()
    entries = read_manifest(manifest_path)
    out = prepare_out_dir(out_dir)  # a file or an unwritable folder is said before any work

    outcomes: dict[str, DocumentOutcome] = {}
    todo: list[tuple[ManifestEntry, str]] = []
    fingerprints: list[str] = []
    for entry in entries:
        doc_dir = out / entry.doc_id
        try:
            expected = fingerprint(entry, config)
        except InputError as e:
            outcomes[entry.doc_id] = DocumentOutcome(entry.doc_id, entry.line, "failed", str(doc_dir), str(e))
            continue
        fingerprints.append(expected)
        if not force and is_done(doc_dir, expected):
            outcomes[entry.doc_id] = DocumentOutcome(entry.doc_id, entry.line, "skipped", str(doc_dir))
        else:
            todo.append((entry, expected))

    bar = Progress(len(todo), enabled=progress)
    n_skipped = sum(1 for o in outcomes.values() if o.status == "skipped")
    if n_skipped:
        bar.note(f"{n_skipped} of {len(entries)} documents already done (--force reviews them again)")
    for o in outcomes.values():
        if o.status == "failed":
            bar.note(f"FAILED {o.doc_id} (manifest line {o.line}): {o.message}")
    try:
        with _sigterm_as_interrupt():
            if engine == "ray" and todo:
                from review import ray_engine

                def record(outcome: DocumentOutcome) -> None:
                    outcomes[outcome.doc_id] = outcome
                    bar.advance(outcome)

                ray_engine.run(todo, config, out, workers, address, record, lambda entry, message: DocumentOutcome(
                    entry.doc_id, entry.line, "failed", str(out / entry.doc_id), message))
            elif workers == 1 or len(todo) <= 1:
                for entry, expected in todo:
                    outcome = review_entry(entry, config, str(out), expected)
                    outcomes[entry.doc_id] = outcome
                    bar.advance(outcome)
            else:
                _run_pool(todo, config, out, min(workers, len(todo)), outcomes, bar)
    except KeyboardInterrupt:
        finished = sum(1 for o in outcomes.values() if o.status in ("done", "skipped"))
        bar.close()
        with contextlib.suppress(OSError):
            _write_status(out, BatchResult(str(manifest_path), out, tuple(
                outcomes.get(e.doc_id) or DocumentOutcome(e.doc_id, e.line, "interrupted", str(out / e.doc_id))
                for e in entries)))
        bar.note(f"Interrupted: {finished} of {len(entries)} documents are done; "
                 "run the same command again to review the rest.")
        raise
    finally:
        bar.close()
    corpus_files: dict[str, Path] = {}
    if corpus_names and config.names:
        from review.corpus_names import corpus_fingerprint, write_corpus_names

        readable = [e for e in entries if outcomes.get(e.doc_id) and outcomes[e.doc_id].status != "failed"]
        bar.note(f"discovering names across {len(readable)} documents ...")
        corpus_files = write_corpus_names(out, readable, config, corpus_fingerprint(fingerprints))
    result = BatchResult(str(manifest_path), out, tuple(outcomes[e.doc_id] for e in entries if e.doc_id in outcomes),
                         corpus_files)
    _write_status(out, result)
    return result


PRELOAD_MODULE = "review.worker_preload"

MAX_WORKER_ATTEMPTS = 3
"""A document whose worker process died is tried this many times in all before it counts as failed."""


def _run_pool(todo: list[tuple[ManifestEntry, str]], config: ReviewConfig, out: Path, workers: int,
              outcomes: dict[str, DocumentOutcome], bar: Progress) -> None:
    """Review ``todo`` in a pool of worker processes.

    A worker that dies (killed, out of memory) breaks the whole pool: every document still
    queued or running in it gets ``BrokenProcessPool``.  Those documents are tried again in a
    new pool, up to :data:`MAX_WORKER_ATTEMPTS` times each, instead of all being marked failed.
    """
    attempts = {entry.doc_id: 0 for entry, _ in todo}
    remaining = by_size(todo)
    while remaining:
        retry: list[tuple[ManifestEntry, str]] = []
        pool = _new_pool(min(workers, len(remaining)), preload=config.use_models and config.encoder == DEFAULT_ENCODER)
        try:
            pending: dict[Future, tuple[ManifestEntry, str]] = {
                pool.submit(review_entry, entry, config, str(out), expected): (entry, expected)
                for entry, expected in remaining}
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in finished:
                    entry, expected = pending.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        attempts[entry.doc_id] += 1
                        if attempts[entry.doc_id] < MAX_WORKER_ATTEMPTS:
                            retry.append((entry, expected))
                            continue
                        outcome = DocumentOutcome(entry.doc_id, entry.line, "failed", str(out / entry.doc_id),
                                                  f"a worker process died while reviewing it, {MAX_WORKER_ATTEMPTS} "
                                                  "times (killed, or out of memory?)")
                    except Exception as e:  # noqa: BLE001 - one document's bug must not stop the others
                        outcome = DocumentOutcome(entry.doc_id, entry.line, "failed", str(out / entry.doc_id),
                                                  f"worker failed: {type(e).__name__}: {e}")
                    outcomes[entry.doc_id] = outcome
                    bar.advance(outcome)
        except BaseException:
            _stop_pool(pool)
            raise
        if retry:
            _stop_pool(pool)
            bar.note(f"a worker process died; trying its {len(retry)} unfinished document(s) again")
        else:
            pool.shutdown(wait=True)
        remaining = retry


def by_size(todo: list[tuple[ManifestEntry, str]]) -> list[tuple[ManifestEntry, str]]:
    """The documents to review, largest first: a long one started last would keep one worker busy while
    the others idle (ties in manifest order)."""
    return sorted(todo, key=lambda item: -_input_size(item[0]))


def _input_size(entry: ManifestEntry) -> int:
    """The bytes of a document's input files (0 for one that cannot be read: it fails on its own)."""
    size = 0
    for _, path in entry.inputs():
        with contextlib.suppress(OSError):
            size += os.path.getsize(path)
    return size


def _new_pool(workers: int, preload: bool = False) -> ProcessPoolExecutor:
    """A pool of ``workers`` processes; with ``preload``, forked from a forkserver that has the default
    models loaded (review/worker_preload.py: the workers share their pages instead of loading their own)."""
    # forkserver: workers start from a clean process, not a fork of one whose model threads may hold locks.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else None)
    if preload and "forkserver" in methods:
        # read when this process starts its forkserver (once: a later pool reuses it, whatever it loaded)
        context.set_forkserver_preload([PRELOAD_MODULE])
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(os.getpid(),))


def _worker_state() -> dict[str, bool]:
    """Which default models this process holds (what a pool's preloaded forkserver hands its workers)."""
    from corpus import encoders, kiwi
    return {"encoder": DEFAULT_ENCODER in encoders._LOADED, "kiwi": kiwi._KIWI is not None}


def _write_status(out: Path, result: BatchResult) -> None:
    """``batch-status.jsonl``: one line per document of the last run, for scripts."""
    with atomic_write(out / STATUS_NAME) as fh:
        for o in result.outcomes:
            fh.write(json.dumps({"doc_id": o.doc_id, "status": o.status, "line": o.line, "out_dir": o.out_dir,
                                 "message": o.message, "pairs": o.n_pairs}, ensure_ascii=False) + "\n")
