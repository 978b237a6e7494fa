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

Start-up costs, measured on 2 cores (2026-12-05): ``ray.init`` of a Ray of our own ~2.2 s, the
actors ready 0.2 s later (they are the workers Ray starts in advance: no runtime_env, see
:func:`start`), ``stop`` ~0.3 s; each actor's first document then loads its models (~2 s, as a
pool worker does).  On a small corpus these fixed costs are what Ray costs over ``--workers``.
"""
from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Callable, Iterator

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


# A Ray started for the run: the raylet connects to the object store it has just started, and when the store
# is not listening yet (3 starts in 4 on a 2-core machine) tries again only after
# raylet_client_connect_timeout_milliseconds (default 1000, 10 attempts): ray.init took 3.2-3.3 s instead of
# 2.2 s.  Try every 0.1 s, 100 times: the same 10 s before giving up.  (Ray's RAY_<setting> overrides; one
# the user has set is left as it is.)
RAY_START_ENV = {"RAY_raylet_client_connect_timeout_milliseconds": "100", "RAY_raylet_client_num_connect_attempts": "100"}


def _runtime_env() -> dict[str, Any]:
    env = dict(WORKER_ENV)
    # Workers import mtreview the way the driver does: an installed package, or this source tree
    # (PYTHONPATH) when running from a checkout.
    if os.environ.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return {"env_vars": env}


def starts_own_ray(address: str | None) -> bool:
    """Whether ``ray.init(address)`` starts a Ray on this machine for the run rather than joining a cluster:
    no address and no ``RAY_ADDRESS`` (or ``"local"``).  (Left to itself, ``ray.init()`` would also join
    a cluster that ``ray start`` left running on this machine; ``--address auto`` asks for that.)"""
    return address == "local" or (address is None and not os.environ.get("RAY_ADDRESS"))


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` updated with ``values`` for the duration of the block."""
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def start(address: str | None) -> bool:
    """Connect to Ray (see the module docstring); True when this call started it (and should stop it)."""
    ray = _import_ray()
    if ray.is_initialized():
        return False
    options = dict(include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        if starts_own_ray(address):
            # The Ray started here runs its workers with this process's environment (the raylet, started by
            # ray.init, passes its own on), so WORKER_ENV goes there for the start rather than in a runtime_env:
            # a job's runtime_env makes Ray set up each worker through an extra process and leaves the workers
            # it started in advance unused (measured: actors ready 0.17 s after ray.init instead of 0.85 s).
            start_env = {key: value for key, value in RAY_START_ENV.items() if key not in os.environ}
            with _environ({**WORKER_ENV, **start_env}):
                ray.init(address="local", **options)
        else:
            # a cluster's workers have their nodes' environment: WORKER_ENV (and PYTHONPATH) go with the job
            ray.init(address=address, runtime_env=_runtime_env(), **options)
    except ConnectionError as e:
        raise MtreviewError(f"cannot reach the Ray cluster at {address!r}: {e}") from None
    return True


def stop() -> None:
    """Stop the Ray that :func:`start` started on this machine."""
    ray = _import_ray()
    # Ray stops its processes one by one, each with SIGTERM and up to a second's grace; its autoscaler
    # monitor (nothing to autoscale on one machine, nothing to save) takes the whole second, as it tries to
    # report its end to the cluster store already stopped before it.  End it at once first (Ray's own
    # Node.kill_monitor, SIGKILL); on a Ray without that method, shutdown does it the slow way.
    with contextlib.suppress(Exception):
        node = ray._private.worker._global_node
        if node is not None and node.is_head():
            node.kill_monitor(check_alive=False)
    ray.shutdown()


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
        from review.batch import by_size, review_entry

        @ray.remote(num_cpus=1, max_restarts=0)
        class Reviewer:
            def __init__(self):
                # one document at a time in one thread: the actors are the parallelism (as a pool worker)
                from corpus.parallel import set_review_threads
                set_review_threads(1)

            def review(self, entry, config, out_dir, expected):
                return review_entry(entry, config, out_dir, expected)

        if workers is None:
            workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        actors = [Reviewer.remote() for _ in range(min(workers, len(todo)))]
        queue = by_size(todo)  # largest first, as the local pool: a long one started last keeps the others idle
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
            stop()


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else ""
