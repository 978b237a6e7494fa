"""How many threads one review may keep busy in this process.

By default two: a document's Kiwi analysis and name discovery run beside its alignment, the
encoder's batches on two threads, Kiwi's batch analysis on two workers (the models release the
GIL), so one long document uses both cores of a small machine.  A worker of a ``--manifest`` pool
or a Ray actor is set to one: there the processes are the parallelism, one document per core, and
threads inside them would only take cores from the other workers (and cost switching).  Results are
the same either way; only the order of the work changes.

``MTREVIEW_THREADS`` in the environment sets the default (``1`` or more).
"""
from __future__ import annotations

import os

DEFAULT_THREADS = 2
_threads: int | None = None


def review_threads() -> int:
    """The number of threads a review may use in this process (at least 1)."""
    global _threads
    if _threads is None:
        try:
            _threads = max(1, int(os.environ.get("MTREVIEW_THREADS", DEFAULT_THREADS)))
        except ValueError:
            _threads = DEFAULT_THREADS
    return _threads


def set_review_threads(n: int) -> None:
    """Set the threads of every later review in this process (call it before Kiwi is first loaded:
    its worker threads are fixed when it is created)."""
    global _threads
    _threads = max(1, int(n))


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says, as containers and ``taskset``
    limit it; else the machine's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # no sched_getaffinity (macOS, Windows)
        return max(1, os.cpu_count() or 1)
