"""Test hook, loaded only when tests put this folder on PYTHONPATH: a worker dies on one document.

With ``MTREVIEW_TEST_CRASH=DOC_ID`` the process reviewing that document exits at once, without
cleaning up (as a worker killed by the system's out-of-memory killer would): the engine must report
that document failed and go on with the others.
"""
import os

_doc = os.environ.get("MTREVIEW_TEST_CRASH")
if _doc:
    from review import pipeline

    _real_run_review = pipeline.run_review

    def _crashing_run_review(config, *args, **kwargs):
        if config.doc_id == _doc:
            os._exit(1)
        return _real_run_review(config, *args, **kwargs)

    pipeline.run_review = _crashing_run_review
