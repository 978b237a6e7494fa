"""The C allocators: so that a review's memory is what it holds, not what it once held.

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

Kiwi (kiwipiepy) brings its own allocator, mimalloc, which by default keeps freed pages for 10 ms and then
only when the freeing thread allocates again (Kiwi's worker threads sleep between batches), and puts its
memory in transparent huge pages where the system allows (2 MB resident for any page touched).
:data:`KIWI_ALLOCATOR` returns freed pages at once and uses ordinary pages: Kiwi's resident size after a
document's analyses 331 -> 303 MB, at the same speed (the NTREX Korean sentences and their words analysed
twice: 3.0-3.3 s either way); the review of the NTREX document peaks 30-40 MB lower.  mimalloc reads these options from the environment when
kiwipiepy is loaded, so :func:`kiwi_allocator_options` must run before the first ``import kiwipiepy``
(corpus.kiwi does it); options the user set are kept.

Even with two arenas, the free memory inside glibc's heaps is returned to the system only from the top of
each heap; the pages of a freed stage's arrays and objects in the middle stay resident.
:func:`release_free_memory` (``malloc_trim``) gives them back between the stages of a review: the names run
of the NTREX document peaked at 581-583 MB instead of 603 MB with it called around the pairs' signals and
checks, at the same speed.
"""
from __future__ import annotations

import ctypes
import os

ARENAS = 2
_M_ARENA_MAX = -8   # glibc malloc.h
KIWI_ALLOCATOR = {"MIMALLOC_PURGE_DELAY": "0", "MIMALLOC_ALLOW_LARGE_OS_PAGES": "0"}


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


def release_free_memory() -> None:
    """Return the free pages inside glibc's heaps to the system (``malloc_trim(0)``); nothing elsewhere.

    Only where memory goes back changes, never what is held.  It walks the heaps (a few milliseconds),
    so call it between stages, not in loops.
    """
    if not _glibc():
        return
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return
    trim.argtypes, trim.restype = (ctypes.c_size_t,), ctypes.c_int
    trim(0)


def kiwi_allocator_options() -> None:
    """Set :data:`KIWI_ALLOCATOR` in the environment (where not set already) for kiwipiepy's mimalloc."""
    for name, value in KIWI_ALLOCATOR.items():
        os.environ.setdefault(name, value)


def _glibc() -> bool:
    try:
        return (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc")
    except (AttributeError, ValueError, OSError):
        return False
