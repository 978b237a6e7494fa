"""Issue 17: concurrent glossary changes all survive (a file lock around read-modify-write), and proposal keys
are unique per document so one Accept marks one proposal."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from glossary.tbx import read_tbx
from glossary.termbase import GlossaryError, glossary_lock
from review.decisions import proposal_key, proposal_keys, stored_proposal_keys

ROOT = Path(__file__).resolve().parents[2]


def test_ten_concurrent_adds_keep_ten_entries(tmp_path):
    gl = tmp_path / "g.tbx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "review", "glossary", "--glossary", str(gl)]
    assert subprocess.run(cmd + ["init"], env=env, capture_output=True, timeout=60).returncode == 0
    procs = [subprocess.Popen(cmd + ["add", f"Name{i}", f"이름{i}"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for i in range(10)]
    results = [(p.wait(timeout=120), p.stderr.read().decode()) for p in procs]
    assert all(rc == 0 for rc, _ in results), results
    assert sorted(e.id for e in read_tbx(gl)) == sorted(f"name{i}" for i in range(10))


def test_lock_timeout_is_a_message(tmp_path):
    gl = tmp_path / "g.tbx"
    with glossary_lock(gl):
        code = ("import sys; from glossary.termbase import glossary_lock, GlossaryError\n"
                "try:\n    glossary_lock(sys.argv[1], timeout=0.2).__enter__()\n"
                "except GlossaryError as e:\n    print(e); sys.exit(3)\n")
        done = subprocess.run([sys.executable, "-c", code, str(gl)], capture_output=True, text=True, timeout=60,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 3 and "another process is changing this glossary" in done.stdout
    assert issubclass(GlossaryError, Exception)


# The sample's clusters that shared keys: one English name found as several Korean clusters.
SAMPLE_COLLISIONS = [
    {"english": "anti-appeaser", "variants": ["유화 반대론자", "반유쾌"], "canonical": "유화 반대론자"},
    {"english": "anti-appeaser", "variants": ["유화 반대론자", "반유포자"], "canonical": "유화 반대론자"},
    {"english": "anti-appeaser", "variants": ["유화 반대론자", "반유해"], "canonical": "유화 반대론자"},
    {"english": "Sidney", "variants": ["Sidney"], "canonical": "Sidney"},
    {"english": "Sidney", "variants": ["시드니"], "canonical": "시드니"},
    {"english": "Herzen", "variants": ["에르뇌"], "canonical": "에르뇌"},
    {"english": "Herzen", "variants": ["헤르젠"], "canonical": "헤르젠"},
    {"english": "Maisky", "variants": ["마이스키", "메이스키"], "canonical": "마이스키"},
    {"english": None, "variants": ["소련"], "canonical": "소련"},
    {"english": None, "variants": ["소련"], "canonical": "소련"},
]


def test_proposal_keys_are_unique_and_keep_the_plain_key_when_alone():
    keys = proposal_keys(SAMPLE_COLLISIONS)
    assert len(set(keys)) == len(keys) == 10
    assert keys[7] == proposal_key(SAMPLE_COLLISIONS[7]) == "en:maisky"  # decisions made before still apply
    assert keys[3:5] == ["en:sidney|Sidney", "en:sidney|시드니"]
    assert keys[0] == "en:anti-appeaser|유화 반대론자|반유쾌,유화 반대론자"
    assert keys[8:] == ["ko:소련|소련", "ko:소련|소련#2"]


def test_proposal_keys_are_stable():
    assert proposal_keys(SAMPLE_COLLISIONS) == proposal_keys([dict(p) for p in SAMPLE_COLLISIONS])
    # another document's names do not change the keys of this one's
    assert proposal_keys(SAMPLE_COLLISIONS[3:5]) == proposal_keys(SAMPLE_COLLISIONS)[3:5]


def test_stored_keys_are_used_unless_they_repeat():
    stored = [{**p, "id": f"k{i}"} for i, p in enumerate(SAMPLE_COLLISIONS)]
    assert stored_proposal_keys(stored) == [f"k{i}" for i in range(10)]
    old_file = [{**p, "id": proposal_key(p)} for p in SAMPLE_COLLISIONS]  # written before keys were unique
    assert stored_proposal_keys(old_file) == proposal_keys(SAMPLE_COLLISIONS)
