"""corpus.parallel: the threads one review may use, and what the pool workers set."""
import pytest

from corpus import parallel


@pytest.fixture(autouse=True)
def _restore():
    saved = parallel._threads
    yield
    parallel._threads = saved


@pytest.mark.parametrize("value, expected", [("1", 1), ("3", 3), ("0", 1), ("many", parallel.DEFAULT_THREADS)])
def test_environment_sets_the_default(monkeypatch, value, expected):
    monkeypatch.setenv("MTREVIEW_THREADS", value)
    parallel._threads = None
    assert parallel.review_threads() == expected


def test_set_review_threads_wins_and_floors_at_one():
    parallel.set_review_threads(0)
    assert parallel.review_threads() == 1
    parallel.set_review_threads(2)
    assert parallel.review_threads() == 2


def test_a_pool_worker_reviews_in_one_thread():
    from review.batch import _init_worker
    import signal
    previous = signal.getsignal(signal.SIGINT)
    try:
        parallel.set_review_threads(2)
        _init_worker(None)
        assert parallel.review_threads() == 1
    finally:
        signal.signal(signal.SIGINT, previous)
