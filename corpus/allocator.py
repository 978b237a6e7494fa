"""The C allocator's arenas: fewer of them, so that a review's memory is what it holds, not what it once held.

glibc's malloc gives each thread that allocates concurrently an arena of its own (up to 8 per core),
and memory freed in one arena serves only that arena.  A review runs its stages in several threads
(alignment beside Kiwi and name discovery, the encoder's batches on two threads, Kiwi's own workers),
each allocating and freeing large numpy arrays and many small Python objects: the freed memory stays
spread over the arenas and the resident size keeps climbing.  Two arenas (as ``MALLOC_ARENA_MAX=2``)
took the NTREX document's review from about 636 to 590 MB of peak RSS (names: 718 to 660 MB), at the
same speed; the results are the same by construction (only where freed memory is reused changes).

``limit_arenas`` sets it for this process (``mallopt``) and, through the environment, for processes it
starts later (pool workers).  A ``MALLOC_ARENA_MAX`` the user set is left as it is.  Elsewhere than on
glibc (musl, macOS, Windows) it does nothing.
"""
from __future__ import annotations

import ctypes
import os

ARENAS = 2
_M_ARENA_MAX = -8   # glibc malloc.h


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Hold this process (and the processes it starts) to ``arenas`` malloc arenas; True if it was set here.

    Call it early, before the process starts threads: a thread keeps the arena it already has.
    """
    if "MALLOC_ARENA_MAX" in os.environ or not _glibc():
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    if mallopt(_M_ARENA_MAX, int(arenas)) != 1:
        return False
    os.environ["MALLOC_ARENA_MAX"] = str(int(arenas))
    return True


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):
        return False
