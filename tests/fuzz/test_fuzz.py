"""Property-based fuzzing of the readers, the segmenter and the app (issue 17), bounded for CI.

Each property runs a fixed number of examples (``MTREVIEW_FUZZ_EXAMPLES``, default 500 per
property: about a minute for the whole file).  The longer run is
``PYTHONPATH=. python bench/fuzz_bench.py --minutes 10`` (a byte mutator over the same targets,
reporting every unhandled exception type it meets).
"""
from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_targets import (READER_KINDS, SEEDS, Unhandled, app_attack, app_payload, app_request, make_review_output,
                          mutate, random_bitext, read_input, review_document, segment)

EXAMPLES = int(os.environ.get("MTREVIEW_FUZZ_EXAMPLES", "500"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# text with what breaks text handling: Hangul, punctuation, quotes, brackets, e-mail and URL pieces,
# digits, newlines, control characters, surrogates, characters outside the BMP
TEXT = st.text(alphabet=st.one_of(
    st.sampled_from(list("마이스키는 외교관. 그는 \"왔다\"! (1941) [3] ... ? ‘’“”「」 a@b.c http://x.y/ Mr. U.S.\n\n\t")),
    st.characters(codec=None)), max_size=400)


@FUZZ
@given(kind=st.sampled_from(READER_KINDS), seed=st.integers(0, 2**32 - 1))
def test_readers_survive_mutated_files(kind, seed):
    read_input(kind, mutate(SEEDS[kind], random.Random(seed)))


@FUZZ
@given(kind=st.sampled_from(READER_KINDS), data=st.binary(max_size=600))
def test_readers_survive_arbitrary_bytes(kind, data):
    read_input(kind, data)


@FUZZ
@given(records=st.lists(st.dictionaries(st.sampled_from(["id", "src", "tgt", "doc_id", "x"]),
                                        st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                                                     lambda inner: st.lists(inner, max_size=3)
                                                     | st.dictionaries(TEXT, inner, max_size=3), max_leaves=8),
                                        max_size=5), min_size=1, max_size=4))
def test_jsonl_reader_survives_any_json_records(records):
    import json
    read_input("jsonl", "\n".join(json.dumps(r, ensure_ascii=bool(len(r) % 2)) for r in records).encode(
        "utf-8", "surrogatepass"))


@FUZZ
@given(text=TEXT, lang=st.sampled_from(["en", "ko"]))
def test_segmenter_on_any_text(text, lang):
    segment(text, lang)


@settings(max_examples=max(5, EXAMPLES // 6), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), length=st.integers(5000, 20_000), lang=st.sampled_from(["en", "ko"]))
def test_segmenter_on_long_runs_without_spaces(seed, length, lang):
    import time
    rng = random.Random(seed)
    alphabet = rng.sample(list("ab.@-_+1마:/?!\"'"), rng.randint(1, 8))
    run = "".join(rng.choices(alphabet, k=length))
    started = time.monotonic()
    segment(run, lang)
    assert time.monotonic() - started < 10  # linear time (a quadratic pattern took 4 s at 20k characters)


@pytest.mark.slow
@settings(max_examples=max(10, EXAMPLES // 10), deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False), english=st.booleans(), names=st.booleans(), models=st.booleans(),
       reports=st.booleans())
def test_review_of_any_document_ends_in_outputs_or_a_clean_error(tmp_path, rng, english, names, models, reports):
    """The whole review (alignment, names, checks, scores, reports) of documents mixing every script, number
    notation and mark MT output holds: outputs, or a MtreviewError such as "expected Korean"."""
    en, ko = random_bitext(rng)
    review_document(tmp_path, en if english else None, ko, names=names, use_models=models, reports=reports)


@pytest.fixture(scope="module")
def app_output(tmp_path_factory):
    return make_review_output(tmp_path_factory.mktemp("fuzz-app"))


@pytest.fixture(scope="module")
def server(app_output):
    from review.serve import start_in_thread

    s = start_in_thread(str(app_output), port=0)
    yield s
    s.stop()


@FUZZ
@given(seed=st.integers(0, 2**32 - 1))
def test_app_answers_every_request(server, seed):
    method, path, headers, body = app_attack(random.Random(seed), server.httpd.server_address[1])
    app_request(server.httpd.server_address[:2], method, path, headers, body)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["fingerprint", "verdict", "note", "key", "preferred", "x"]) | TEXT, inner,
                        max_size=4), max_leaves=10)


@FUZZ
@given(route=st.sampled_from(["decision", "proposal"]), payload=JSON)
def test_app_routes_refuse_any_bad_payload_with_an_api_error(server, route, payload):
    app_payload(server.httpd.app, route, payload)


def test_a_target_failure_is_reported():
    # the harness itself can fail: a reader that raises anything but MtreviewError is a finding
    with pytest.raises(Unhandled, match="segment"):
        segment(None, "en")  # type: ignore[arg-type]
