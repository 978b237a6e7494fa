"""Test hook, loaded only when tests put this folder on PYTHONPATH: slows every document down.

With ``MTREVIEW_TEST_DELAY=SECONDS`` each ``review.pipeline.run_review`` sleeps after
writing its outputs and before the batch writes ``DONE``: the worst moment for an
interruption, which is what the manifest interruption test needs.
"""
import os

_delay = float(os.environ.get("MTREVIEW_TEST_DELAY", "0") or 0)
if _delay:
    import time

    from review import pipeline

    _real_run_review = pipeline.run_review

    def _slow_run_review(config):
        result = _real_run_review(config)
        time.sleep(_delay)
        return result

    pipeline.run_review = _slow_run_review
