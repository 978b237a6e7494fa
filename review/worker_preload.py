"""Models loaded once in the forkserver that a ``--manifest`` pool's worker processes are forked from.

Imported by ``multiprocessing``'s forkserver (``set_forkserver_preload``, see :func:`review.batch._new_pool`)
before it forks any worker.  Every worker then starts with the sentence encoder, Kiwi, the transliteration
model and the data tables in memory, in pages it shares with the forkserver and the other workers until
written (copy-on-write), instead of each loading its own.  Measured on the NTREX corpus with two workers
(/proc/PID/smaps_rollup mid-run): about 300 MB of each worker's memory is shared with the forkserver and the
other worker, 130-137 MB its own, where each worker had held about 455 MB of its own; each further worker
costs its own part only.

The forkserver forks: nothing here may start a thread, or a worker would inherit a lock held by a thread
it does not have.  Kiwi starts its worker thread on its first analysis, so Kiwi is created here and first
used in the worker; the test ``test_worker_preload_starts_no_thread`` checks the process still has one
thread after this module is imported.  A failure here is silent: the workers then load what they need
themselves, and report real errors with the document that met them.
"""
from __future__ import annotations

import os

# One BLAS thread in every worker (the processes are the parallelism, as the CLI sets for itself), set before
# numpy is first imported here: OpenBLAS would otherwise start its threads in the forkserver itself.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")


def preload() -> None:
    """Load what a review with the default models reads, leaving the process single-threaded."""
    from corpus.parallel import set_review_threads
    set_review_threads(1)   # as _init_worker sets it: Kiwi's worker count is fixed when it is created
    steps = (_encoder, _kiwi, _tables, _modules)
    for step in steps:
        try:
            step()
        except Exception:  # noqa: BLE001 - the worker loads it again and reports the error itself
            pass


def _encoder() -> None:
    from corpus.encoders import DEFAULT_ENCODER, load_encoder
    load_encoder(DEFAULT_ENCODER)


def _kiwi() -> None:
    from corpus.kiwi import get_kiwi
    get_kiwi()   # created only: its first analysis would start a thread


def _tables() -> None:
    from glossary.lexicon import load_lexicon
    from glossary.translit import default_model
    from glossary.translit.nikl import default_table
    from review.quality import default_quality_model
    from review.scoring import default_model as default_garble_model
    load_lexicon()
    default_model()
    default_table()
    default_quality_model()
    default_garble_model()


def _modules() -> None:
    import review.pipeline  # noqa: F401 - the review's own modules and the report's templates
    import review.report  # noqa: F401


preload()
