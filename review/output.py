"""The output folder of a review run: checked before the work, switched in as a whole after it.

A run writes every file into a hidden staging folder inside the output folder
(same file system, so moving a file in is one rename).  Only when all of them
are written does it move them in, ``segments.jsonl`` last, and remove the files
of an earlier run that this run did not write (``names.jsonl`` without names,
``reference.jsonl`` without ``--reference``).  A full disk or a kill while
writing leaves the earlier run untouched; a kill in the short moment of the
renames leaves the marker :data:`INCOMPLETE`, and readers (``serve``,
``worklist``, ``compare``) refuse such a folder rather than read two runs as one.
``decisions.sqlite`` and any file that is not a run file stay where they are.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Iterator

from corpus.errors import InputError, MtreviewError

RUN_FILES = ("report.html", "worklist.csv", "worklist.jsonl", "names.jsonl", "reference.jsonl",
             "review.xlf", "review.xlsx", "segments.jsonl")
"""Files one review run writes; those it did not write this time are removed from the folder."""
INCOMPLETE = ".mtreview-incomplete"
"""Present while a run's files are being moved in: the folder may hold files of two runs."""
_STAGING_PREFIX = ".mtreview-run-"


class OutputError(MtreviewError):
    """The output folder cannot be used (a file, not writable, not creatable)."""


def prepare_out_dir(path: str | Path) -> Path:
    """Make sure ``path`` is a folder this process can write into (created if absent), before any work."""
    out = Path(path)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: the output folder (--out) names an existing file, not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"{out}: cannot create the output folder: {e.strerror or e}") from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".mtreview-probe-", dir=out)
        os.close(fd)
        os.unlink(probe)
    except OSError as e:
        raise OutputError(f"{out}: cannot write into the output folder: {e.strerror or e}") from None
    return out


def check_complete(out_dir: str | Path) -> None:
    """Refuse a folder whose last run was interrupted while its files were being moved in."""
    out = Path(out_dir)
    if (out / INCOMPLETE).exists():
        raise InputError(str(out), "a review run was interrupted while writing this folder, so its files may "
                                   "come from two runs; run `mtreview review` again into it")


def _remove_abandoned_staging(out: Path) -> None:
    """Staging folders of runs that died (their process is gone) are removed."""
    for folder in out.glob(_STAGING_PREFIX + "*"):
        pid = folder.name[len(_STAGING_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def commit(staging: Path, out: Path) -> dict[str, Path]:
    """Move every file of ``staging`` into ``out`` (``segments.jsonl`` last) and remove the run files of an
    earlier run that are not among them; returns ``{file name: final path}``."""
    marker = out / INCOMPLETE
    marker.write_text(f"{staging.name}\n", encoding="utf-8")
    new = sorted(staging.iterdir(), key=lambda p: (p.name == "segments.jsonl", p.name))
    names = {p.name for p in new}
    for stale in RUN_FILES:
        if stale not in names:
            with contextlib.suppress(FileNotFoundError):
                (out / stale).unlink()
    moved = {}
    for path in new:
        _move(path, out / path.name)
        moved[path.name] = out / path.name
    marker.unlink()
    return moved


def _move(source: Path, destination: Path) -> None:
    os.replace(source, destination)


@contextlib.contextmanager
def staged_run(out_dir: str | Path) -> Iterator[Path]:
    """A fresh staging folder for one run's files; moved into ``out_dir`` as a whole when the block succeeds.

    On any failure (a full disk, an interrupt) the staging folder is removed and ``out_dir`` is unchanged.
    """
    out = prepare_out_dir(out_dir)
    _remove_abandoned_staging(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING_PREFIX}{os.getpid()}-", dir=out))
    try:
        yield staging
        commit(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def final_paths(files: dict[str, Path], staging: Path, out: Path) -> dict[str, Path]:
    """``files`` as written into ``staging``, renamed to where they are once committed into ``out``."""
    return {k: out / Path(v).relative_to(staging) if Path(v).is_relative_to(staging) else Path(v)
            for k, v in files.items()}
