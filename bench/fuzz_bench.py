"""The long fuzz run of issue 17: mutate valid inputs for every reader, random text for the segmenter and
whole reviews, random requests for the app, for a fixed time, and report every unhandled exception type met.

    PYTHONPATH=. python bench/fuzz_bench.py --minutes 10 [--seed 1] [--save DIR]

The targets are those of the CI suite (tests/fuzz/fuzz_targets.py): a reader or a review may only raise
MtreviewError, the segmenter nothing, the app must answer every request below 500.  One call taking over
--hang-seconds counts as a hang.  Exit status 1 when anything unhandled was found;
``--save DIR`` keeps the first input of each kind of failure for a regression test.
"""
from __future__ import annotations

import argparse
import collections
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fuzz"))

from fuzz_targets import (READER_KINDS, SEEDS, Unhandled, app_attack, app_payload, app_request,  # noqa: E402
                          make_review_output, mutate, random_bitext, read_input, review_document, segment)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def _random_text(rng: random.Random) -> str:
    pool = "마이스키는 외교관. 그는 \"왔다\"! (1941) [3] ... ? ‘’“”「」 a@b.c http://x.y/ Mr. U.S.\n\n\t"
    n = rng.choice([10, 100, 1000, 20_000])
    if rng.random() < 0.3:  # long runs without spaces
        alphabet = rng.sample(list("ab.@-_+1마:/?!\"'"), rng.randint(1, 6))
        return "".join(rng.choices(alphabet, k=n))
    return "".join(rng.choice(pool) if rng.random() < 0.8 else chr(rng.randrange(0x110000)) for _ in range(n))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--hang-seconds", type=float, default=30.0)
    ap.add_argument("--save", type=Path, help="keep the first failing input of each kind here")
    args = ap.parse_args()

    from review.serve import start_in_thread

    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="mtreview-fuzz-bench-"))
    server = start_in_thread(str(make_review_output(work)), port=0)
    address = server.httpd.server_address[:2]
    signal.signal(signal.SIGALRM, _alarm)
    counts: collections.Counter = collections.Counter()
    found: dict[str, tuple[str, object]] = {}
    tries = collections.Counter()
    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    try:
        while time.monotonic() < deadline:
            pick = rng.random()
            signal.setitimer(signal.ITIMER_REAL, args.hang_seconds)
            try:
                if pick < 0.55:
                    kind = rng.choice(READER_KINDS)
                    data = mutate(SEEDS[kind], rng) if rng.random() < 0.85 else rng.randbytes(rng.randint(0, 600))
                    target, example = f"read {kind}", data
                    read_input(kind, data)
                elif pick < 0.60:
                    en, ko = random_bitext(rng)
                    en, names, models = en if rng.random() < 0.9 else None, rng.random() < 0.7, rng.random() < 0.9
                    target, example = "review", (en, ko, names, models)
                    review_document(work, en, ko, names=names, use_models=models, reports=rng.random() < 0.2)
                elif pick < 0.75:
                    text, lang = _random_text(rng), rng.choice(["en", "ko"])
                    target, example = f"segment {lang}", text
                    segment(text, lang)
                elif pick < 0.92:
                    method, path, headers, body = app_attack(rng, address[1])
                    target, example = "app request", (method, path, headers, body)
                    app_request(address, method, path, headers, body)
                else:
                    route = rng.choice(["decision", "proposal"])
                    payload = rng.choice([None, 1, "x", [], {}, {"fingerprint": 1}, {"key": None, "verdict": 2},
                                          {"fingerprint": "x" * 10, "verdict": "confirmed", "note": ["a"]},
                                          {"key": "en:maisky", "verdict": "accepted", "preferred": 5}])
                    target, example = f"app {route}", payload
                    app_payload(server.httpd.app, route, payload)
                tries[target] += 1
            except Hang:
                key = f"{target}: hang over {args.hang_seconds:.0f} s"
                counts[key] += 1
                found.setdefault(key, (target, example))
            except Unhandled as e:
                kind_of = str(e).split(":", 2)
                key = f"{target}: {kind_of[1].strip() if len(kind_of) > 1 else e}"
                counts[key] += 1
                found.setdefault(key, (target, example))
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        server.stop()
    elapsed = time.monotonic() - started
    total = sum(tries.values()) + sum(counts.values())
    print(f"fuzz run: {total:,} inputs in {elapsed / 60:.1f} min (seed {args.seed})")
    for target in sorted(tries):
        print(f"  {target:20s} {tries[target]:7,d} handled")
    if not counts:
        print("no unhandled exception type, no hang")
        return 0
    print("UNHANDLED:")
    for key, n in counts.most_common():
        print(f"  {n:6,d}  {key}")
    if args.save:
        args.save.mkdir(parents=True, exist_ok=True)
        for k, (key, (target, example)) in enumerate(found.items()):
            path = args.save / f"{k:02d}-{target.replace(' ', '-')}.repr"
            path.write_text(f"# {key}\n{example!r}\n", encoding="utf-8")
        print(f"first input of each kind written to {args.save}/")
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
