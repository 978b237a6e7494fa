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

# With MTREVIEW_TEST_KILL_DOC=DOC_ID and MTREVIEW_TEST_KILL_MARK=FILE, the process reviewing DOC_ID kills itself
# (SIGKILL, as the system's OOM killer would) the first time, leaving FILE behind: the batch must retry it.
_kill_doc = os.environ.get("MTREVIEW_TEST_KILL_DOC")
if _kill_doc:
    import signal

    from review import pipeline

    _run_review_before_kill = pipeline.run_review

    def _killing_run_review(config):
        mark = os.environ["MTREVIEW_TEST_KILL_MARK"]
        if config.doc_id == _kill_doc and not os.path.exists(mark):
            open(mark, "w").close()
            os.kill(os.getpid(), signal.SIGKILL)
        return _run_review_before_kill(config)

    pipeline.run_review = _killing_run_review
