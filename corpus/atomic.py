"""Atomic file writes: write to a temporary file beside the target, then rename over it.

A crash or Ctrl-C mid-write leaves the old file untouched (and at worst a
stray ``.tmp`` file), never a half-written glossary or review file.

``mkstemp`` creates the temporary file with mode 0600; before the rename it is
given the mode a plain ``open(path, "w")`` would have left: the replaced
file's own mode, or ``0666 & ~umask`` for a new file.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
import threading
from pathlib import Path
from typing import IO, Iterator


_UMASK_LOCK = threading.Lock()


def _current_umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:  # Linux 4.7+: reading it leaves no window where another thread sees umask 0
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    with _UMASK_LOCK:  # elsewhere the only way to read it is to set it
        mask = os.umask(0o022)
        os.umask(mask)
    return mask


def _final_mode(target: Path) -> int:
    """Permissions for the file that replaces ``target``: as ``open()`` would give them.

    Writing into an existing file keeps its permission bits (the kernel drops
    set-user/group-ID on a write, so those are not carried over).
    """
    try:
        return stat.S_IMODE(os.stat(target).st_mode) & 0o777
    except FileNotFoundError:
        return 0o666 & ~_current_umask()


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", encoding: str | None = "utf-8",
                 backup: bool = False) -> Iterator[IO]:
    """Open a temporary file for writing; on success it replaces ``path`` in one rename.

    With ``backup=True`` an existing ``path`` is first copied to ``path~``.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding,
                       newline=None if "b" in mode else "\n") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if backup and target.exists():
            shutil.copy2(target, target.with_name(target.name + "~"))
        os.chmod(tmp_name, _final_mode(target))
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
