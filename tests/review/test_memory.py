"""What keeps a long review's memory down without changing what it finds (issue 14): Kiwi's analyses kept
compactly, word scores kept without their tokens, two malloc arenas for the CLI's process and its workers."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from corpus.kiwi import Token, analyze, get_kiwi
from review.checks import context

ROOT = Path(__file__).resolve().parents[2]


def test_tokens_share_their_strings_and_have_no_instance_dict():
    first, second = analyze("나는 학교에 갔다."), analyze("너는 학교에 갔다.")
    assert not hasattr(first[0], "__dict__")
    school = [t for t in first if t.form == "학교"][0]
    school2 = [t for t in second if t.form == "학교"][0]
    assert school.form is school2.form and school.tag is school2.tag
    assert school == Token("학교", "NNG", school.start, school.end, school.morph_id)


def test_words_are_scored_alone_and_kept_without_tokens():
    texts = ["이반 마이스키는 소련의 외교관이었다.", "그는 런던에서 대사로 일했다."]
    signals = context.lm_signals(texts)
    kiwi = get_kiwi()
    for text, (tokens, score, gain, _) in zip(texts, signals):
        words = text.split()
        alone = [kiwi.analyze(w, top_n=1)[0][1] for w in words]
        assert score == pytest.approx(kiwi.analyze(text, top_n=1)[0][1])
        assert gain == pytest.approx((score - sum(alone)) / len(words))
        assert tokens and all(isinstance(t, Token) for t in tokens)
        for word in words:   # the words' cache holds their scores only
            kept_tokens, kept_score = context._WORD_SCORES([], [word])[0]   # found kept: Kiwi is not asked
            assert kept_tokens == () and kept_score == pytest.approx(kiwi.analyze(word, top_n=1)[0][1])


def _run(code: str, **env) -> str:
    base = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"}
    return subprocess.run([sys.executable, "-c", code], env={**base, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.skipif(not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"), reason="glibc only")
def test_the_cli_holds_itself_and_its_workers_to_two_arenas_unless_told_otherwise():
    code = "import os, review.cli; print(os.environ.get('MALLOC_ARENA_MAX'))"
    assert _run(code) == "2"                       # set for this process and, by the environment, its workers
    assert _run(code, MALLOC_ARENA_MAX="4") == "4"  # the user's own setting is kept
    assert _run("from corpus.allocator import limit_arenas; print(limit_arenas())", MALLOC_ARENA_MAX="8") == "False"
    assert _run("from corpus.allocator import limit_arenas; print(limit_arenas())") == "True"


_TRIM_PROBE = """
import gc
from corpus.allocator import release_free_memory
def rss():
    return next(int(line.split()[1]) for line in open('/proc/self/status') if line.startswith('VmRSS')) // 1024
blocks = [bytearray(1000) for _ in range(100_000)]   # ~100 MB in malloc's heap, not in mmapped chunks
pinned = bytearray(1000)                              # above them: the heap's top cannot shrink by itself
del blocks
gc.collect()
before = rss()
release_free_memory()
print(before - rss())
"""


@pytest.mark.skipif(not (os.confstr("CS_GNU_LIBC_VERSION") or "").startswith("glibc"), reason="glibc only")
def test_freed_heap_memory_below_the_top_goes_back_to_the_system_when_released():
    assert int(_run(_TRIM_PROBE)) > 50   # MB returned


def test_kiwis_allocator_is_told_to_return_freed_pages_before_kiwipiepy_loads():
    code = "from corpus.kiwi import get_kiwi; get_kiwi(); import os; print(os.environ['MIMALLOC_PURGE_DELAY'])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("MIMALLOC_")},
                               "PYTHONPATH": str(ROOT), "MIMALLOC_VERBOSE": "1"})
    assert proc.stdout.strip() == "0"
    if "mimalloc:" in proc.stderr:   # kiwipiepy's mimalloc read them (it prints its options when verbose)
        assert "option 'purge_delay': 0" in proc.stderr
        assert "option 'allow_large_os_pages': 0" in proc.stderr
    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "MIMALLOC_PURGE_DELAY": "5"}).stdout.strip()
    assert kept == "5"   # the user's own setting is kept
