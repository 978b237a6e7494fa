"""atomic_write: the written file gets the permissions a plain open() would give it."""
from __future__ import annotations

import os
import stat

import pytest

from corpus.atomic import atomic_write

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits and umask")


def mode_of(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def umask():
    """Set the process umask for one test, restoring the previous one afterwards."""
    old = os.umask(0o022)
    os.umask(old)
    yield os.umask
    os.umask(old)


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077, 0o027])
def test_new_file_gets_open_mode(tmp_path, umask, mask):
    umask(mask)
    with open(tmp_path / "plain.txt", "w") as fh:
        fh.write("x")
    with atomic_write(tmp_path / "atomic.txt") as fh:
        fh.write("x")
    assert mode_of(tmp_path / "atomic.txt") == 0o666 & ~mask
    assert mode_of(tmp_path / "atomic.txt") == mode_of(tmp_path / "plain.txt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atomic.txt", "plain.txt"], "no temp file left"


@pytest.mark.parametrize("existing", [0o640, 0o604, 0o755, 0o600])
def test_replacing_keeps_existing_mode(tmp_path, umask, existing):
    umask(0o022)
    target = tmp_path / "glossary.tsv"
    target.write_text("old\n", encoding="utf-8")
    os.chmod(target, existing)
    with atomic_write(target, backup=True) as fh:
        fh.write("new\n")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert mode_of(target) == existing
    assert (tmp_path / "glossary.tsv~").read_text(encoding="utf-8") == "old\n"


def test_binary_mode_and_failed_write_leave_old_file(tmp_path, umask):
    umask(0o022)
    target = tmp_path / "data.bin"
    with atomic_write(target, "wb") as fh:
        fh.write(b"\x00\x01")
    assert mode_of(target) == 0o644 and target.read_bytes() == b"\x00\x01"
    with pytest.raises(RuntimeError):
        with atomic_write(target, "wb") as fh:
            fh.write(b"half")
            raise RuntimeError("interrupted")
    assert target.read_bytes() == b"\x00\x01" and mode_of(target) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["data.bin"]


def test_umask_read_without_proc(tmp_path, umask, monkeypatch):
    # Systems without /proc/self/status (macOS, BSD) read the umask by setting it back.
    import corpus.atomic as atomic

    def no_proc(*args, **kwargs):
        raise FileNotFoundError("/proc/self/status")

    umask(0o027)
    monkeypatch.setattr(atomic, "open", no_proc, raising=False)
    assert atomic._current_umask() == 0o027
    assert os.umask(0o027) == 0o027, "the umask is left as it was"
    with atomic_write(tmp_path / "new.txt") as fh:
        fh.write("x")
    assert mode_of(tmp_path / "new.txt") == 0o640
