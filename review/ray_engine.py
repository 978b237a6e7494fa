"""``--engine ray``: a manifest's documents reviewed by Ray actors, on this machine or a cluster.

Each actor is one long-lived worker process that reviews document after document with
:func:`review.batch.review_entry`, the function the local engine runs, so the outputs, the
``DONE`` markers and the resume rules are the same; its models (sentence encoder, Kiwi) load on
its first document and stay loaded.  The driver (``mtreview review --manifest ... --engine ray``)
decides what is left to do, hands one document at a time to each idle actor, and records the
outcomes.  A document whose actor dies (killed, out of memory) is reported failed and a fresh
actor takes the next one; the corpus goes on.

Paths: workers read the inputs and write ``OUT_DIR/<doc_id>/`` at the paths the driver gives,
so on a cluster the manifest's files and the output folder must be on a filesystem every node
sees at the same path (NFS, a mounted bucket).  ``address`` is passed to ``ray.init``:
``None`` starts a Ray on this machine for the run (or joins the one ``RAY_ADDRESS`` names),
``"auto"`` joins the cluster this machine belongs to, ``"ray://host:10001"`` a remote one
through Ray Client.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from corpus.errors import MtreviewError

# The workers' environment: one BLAS thread per actor (as the CLI sets for itself) -- each actor
# is one document at a time on one CPU, and OpenBLAS's busy-waiting threads would fight each other.
# MTREVIEW_THREADS=1: the actors are the parallelism, each reviews its document in one thread (corpus.parallel).
WORKER_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MTREVIEW_THREADS": "1"}


def _import_ray():
    try:
        import ray
    except ImportError as e:
        raise MtreviewError("--engine ray needs Ray: pip install 'mtreview[ray]'") from e
    return ray


def _runtime_env() -> dict[str, Any]:
    env = dict(WORKER_ENV)
    # Workers import mtreview the way the driver does: an installed package, or this source tree
    # (PYTHONPATH) when running from a checkout.
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return {"env_vars": env}


def start(address: str | None) -> bool:
    """Connect to Ray (see the module docstring); True when this call started it (and should stop it)."""
    ray = _import_ray()
    if ray.is_initialized():
        return False
    try:
        ray.init(address=address, runtime_env=_runtime_env(), include_dashboard=False,
                 log_to_driver=False, configure_logging=False)
    except ConnectionError as e:
        raise MtreviewError(f"cannot reach the Ray cluster at {address!r}: {e}") from None
    return True


def run(todo: list, config, out: Path, workers: int | None, address: str | None,
        record: Callable[[Any], None], failed: Callable[[Any, str], Any]) -> None:
    """Review the ``(entry, fingerprint)`` pairs of ``todo`` with Ray actors.

    ``record(outcome)`` is called as each document finishes; ``failed(entry, message)`` builds the
    outcome of a document whose worker died.  ``workers`` actors (default: one per CPU Ray has).
    Lets ``KeyboardInterrupt`` through after stopping the actors; finished documents stay done.
    """
    ray = _import_ray()
    started = start(address)
    try:
        from review.batch import review_entry

        @ray.remote(num_cpus=1, max_restarts=0)
        class Reviewer:
            def review(self, entry, config, out_dir, expected):
                return review_entry(entry, config, out_dir, expected)

        if workers is None:
            workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        actors = [Reviewer.remote() for _ in range(min(workers, len(todo)))]
        queue = list(todo)
        running: dict[Any, tuple[Any, Any]] = {}  # result ref -> (entry, actor)

        def hand_out(actor) -> None:
            entry, expected = queue.pop(0)
            running[actor.review.remote(entry, config, str(out), expected)] = (entry, actor)

        try:
            for actor in actors:
                if queue:
                    hand_out(actor)
            while running:
                ready, _ = ray.wait(list(running), num_returns=1)
                for ref in ready:
                    entry, actor = running.pop(ref)
                    try:
                        outcome = ray.get(ref)
                    except ray.exceptions.RayError as e:  # the actor died: a fresh one takes its place
                        outcome = failed(entry, f"worker failed: {type(e).__name__}: {_first_line(e)}")
                        ray.kill(actor)
                        actor = Reviewer.remote()
                        actors.append(actor)
                    record(outcome)
                    if queue:
                        hand_out(actor)
        finally:
            for actor in actors:
                ray.kill(actor)  # a Ctrl-C stops the documents under way; their writes are atomic
    finally:
        if started:
            ray.shutdown()


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
